package gate

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/ftgate/ftgate/scorecard"
)

// Kinds of case change: what the candidate did to a case the baseline
// handled differently.
const (
	// ChangeBroke: the candidate accepts fewer of the case's samples than
	// the baseline (with one sample: accepted → rejected).
	ChangeBroke = "broke"
	// ChangeFixed: the candidate accepts more of them (rejected → accepted).
	ChangeFixed = "fixed"
	// ChangeClass: both accept the same share, some samples are rejected,
	// and the failure classes differ.
	ChangeClass = "changed_class"
)

// A CaseChange is one paired case whose outcome differs between the
// baseline and the candidate: the drill-down behind the transition table.
// Cases with the same outcome on both sides are not listed.
type CaseChange struct {
	ID       string
	Workflow string
	// Change is ChangeBroke, ChangeFixed or ChangeClass.
	Change              string
	Baseline, Candidate CaseOutcome
	// CostChangeUSD is the candidate's mean cost per sample minus the
	// baseline's, NaN when either side has no cost.
	CostChangeUSD float64
}

// A CaseOutcome is one side's record of a case.
type CaseOutcome struct {
	Samples, Accepted int
	// Classes are the failure classes of the rejected samples, each once,
	// in name order, with Unlabelled for a rejected sample without one.
	Classes []string
	// CostUSD is the mean cost per sample, NaN when not measured.
	CostUSD float64
}

// Label is the outcome in one word or phrase: "accepted", the failure
// class of a single rejected sample ("(unlabelled)" without one), or
// "k of n accepted" for several samples.
func (o CaseOutcome) Label() string {
	switch {
	case o.Samples == 1 && o.Accepted == 1:
		return Accepted
	case o.Samples == 1 && len(o.Classes) == 1:
		return o.Classes[0]
	}
	return strconv.Itoa(o.Accepted) + " of " + strconv.Itoa(o.Samples) + " accepted"
}

// HasClass reports whether either side of the change shows the failure
// class c.
func (c CaseChange) HasClass(class string) bool {
	return slices.Contains(c.Baseline.Classes, class) || slices.Contains(c.Candidate.Classes, class)
}

// Provenance names what made a decision, so that every report can say
// which policy decided and which ftgate applied it. The gate copies it
// from the Input; it reads no file.
type Provenance struct {
	// PolicyFile is the policy's file name as given, "" for the defaults.
	PolicyFile string
	// PolicySHA256 is the hex SHA-256 of the policy file's bytes, "" for
	// the defaults.
	PolicySHA256 string
	// Version is the ftgate version that decided.
	Version string
	// Overrides are the policy keys set over the file on the command line
	// (--set KEY=VALUE, --effect), as given: the policy that decided is
	// the file's with these applied.
	Overrides []string
}

// outcomeOfCase summarises one arm's samples of one case.
func outcomeOfCase(samples []*scorecard.Sample, cost float64) CaseOutcome {
	o := CaseOutcome{Samples: len(samples), CostUSD: cost}
	seen := map[string]bool{}
	for _, s := range samples {
		if s.Accepted {
			o.Accepted++
			continue
		}
		if c := outcomeOf(s); !seen[c] {
			seen[c] = true
			o.Classes = append(o.Classes, c)
		}
	}
	slices.Sort(o.Classes)
	return o
}

// caseChanges lists the cases whose outcome changed, broken cases first,
// then fixed, then changed class; by workflow and id within each kind.
// Shares of accepted samples are compared as fractions, exactly.
func caseChanges(p *scorecard.Paired, base, cand arm) []CaseChange {
	var out []CaseChange
	for i := range p.Cases {
		b := outcomeOfCase(base.samples[i], base.cost[i])
		c := outcomeOfCase(cand.samples[i], cand.cost[i])
		if b.Samples == 0 || c.Samples == 0 {
			continue
		}
		var kind string
		switch lhs, rhs := c.Accepted*b.Samples, b.Accepted*c.Samples; {
		case lhs < rhs:
			kind = ChangeBroke
		case lhs > rhs:
			kind = ChangeFixed
		case !slices.Equal(b.Classes, c.Classes):
			kind = ChangeClass
		default:
			continue
		}
		out = append(out, CaseChange{ID: p.Cases[i].ID, Workflow: p.Cases[i].Workflow, Change: kind,
			Baseline: b, Candidate: c, CostChangeUSD: c.CostUSD - b.CostUSD})
	}
	rank := map[string]int{ChangeBroke: 0, ChangeFixed: 1, ChangeClass: 2}
	slices.SortStableFunc(out, func(x, y CaseChange) int {
		return cmp.Or(cmp.Compare(rank[x.Change], rank[y.Change]), cmp.Compare(x.Workflow, y.Workflow), cmp.Compare(x.ID, y.ID))
	})
	return out
}

// CountChanges counts the case changes of each kind.
func CountChanges(cs []CaseChange) (broke, fixed, class int) {
	for _, c := range cs {
		switch c.Change {
		case ChangeBroke:
			broke++
		case ChangeFixed:
			fixed++
		case ChangeClass:
			class++
		}
	}
	return broke, fixed, class
}
