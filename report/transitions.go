package report

import (
	"fmt"

	"github.com/ftgate/ftgate/gate"
)

// transitions is the failure-class transition table of a decision, laid
// out for a renderer: the outcomes in table order (accepted first, then
// the most frequent failure classes, unlabelled and the other classes
// together; see gate.TransitionOutcomes), the cases of each (from, to) pair, and the totals
// by kind.
type transitions struct {
	outcomes                    []string
	cases                       map[[2]string]float64
	fixed, broke, changed, kept float64
}

// transitionsOf returns the decision's transitions, or nil without any.
func transitionsOf(d *gate.Decision) *transitions {
	if len(d.FailureTransitions) == 0 {
		return nil
	}
	tr := &transitions{outcomes: gate.TransitionOutcomes(d.FailureClasses), cases: map[[2]string]float64{}}
	for _, t := range d.FailureTransitions {
		tr.cases[[2]string{t.From, t.To}] = t.Cases
		switch {
		case t.To == gate.Accepted:
			tr.fixed += t.Cases
		case t.From == gate.Accepted:
			tr.broke += t.Cases
		case t.From == t.To:
			tr.kept += t.Cases
		default:
			tr.changed += t.Cases
		}
	}
	// The decision's totals tell two classes counted together apart; a
	// decision built by hand has only its cells.
	if t := d.TransitionTotals; t != (gate.TransitionTotals{}) {
		tr.fixed, tr.broke, tr.changed, tr.kept = t.Fixed, t.Broke, t.Changed, t.Same
	}
	return tr
}

// summary counts the cases the candidate fixed, broke, changed the class
// of, and left in the same class.
func (tr *transitions) summary() string {
	return fmt.Sprintf("fixed %s, broke %s, changed class %s, same class %s", count(tr.fixed), count(tr.broke), count(tr.changed), count(tr.kept))
}

// classRows returns the rows of the failure-class table: the classes that
// have a row of their own in the transition table, then one row that adds
// up the others (gate.OtherClasses), and how many classes that row holds.
// Every renderer shows the same rows, so the table stays as short as the
// matrix however many classes the scorecards name; the JSON report lists
// every class.
func classRows(d *gate.Decision) (rows []gate.FailureClassCount, folded int) {
	own := map[string]bool{}
	for _, o := range gate.TransitionOutcomes(d.FailureClasses) {
		own[o] = true
	}
	other := gate.FailureClassCount{Class: gate.OtherClasses}
	for _, c := range d.FailureClasses {
		if own[c.Class] && c.Class != gate.OtherClasses && c.Class != gate.Accepted {
			rows = append(rows, c)
			continue
		}
		other.Baseline += c.Baseline
		other.Candidate += c.Candidate
		folded++
	}
	if folded > 0 {
		rows = append(rows, other)
	}
	return rows, folded
}
