package scorecard

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// PairOptions control pairing.
type PairOptions struct {
	// AllowUnmatched drops cases that are not in every scorecard (with a
	// warning) instead of failing.
	AllowUnmatched bool
	// CountMissing, with AllowUnmatched, keeps the cases that every arm
	// but Candidate has and Candidate lacks, each as one failed sample of
	// Candidate (a harness that crashed writes no row for the case it
	// crashed on); cases missing from any other arm are still dropped.
	// The sample's failure class is MissingClass and its cost, when every
	// sample of Candidate has one, the largest per-case mean cost of
	// Candidate: the conservative value for a test that Candidate is
	// cheaper.
	CountMissing bool
	// Candidate is the arm whose missing cases CountMissing counts as
	// failures.
	Candidate int
	// Context, when not nil, stops a long pairing: it is checked every
	// few thousand cases, and Pair returns its error.
	Context context.Context
}

// pairCheckEvery is how many cases Pair handles between two looks at its
// context.
const pairCheckEvery = 1 << 14

// stopped returns the error of o.Context once it is done.
func (o PairOptions) stopped() error {
	if o.Context == nil {
		return nil
	}
	return o.Context.Err()
}

// MissingClass is the failure class of a sample that stands for a case
// missing from the candidate's scorecard (PairOptions.CountMissing).
const MissingClass = "missing"

// Paired holds the cases common to several scorecards, matched by id.
// Arms are in the order given to Pair.
type Paired struct {
	Arms []*Scorecard
	// Cases are sorted by id, so everything computed from them has a
	// fixed order whatever the input order.
	Cases []Case
	// Clusters names each cluster index used by Case.Cluster: a cluster
	// field's value, or the case id for a case without one.
	Clusters []string
	// Unmatched counts the cases present in some scorecards but not all,
	// per arm: Unmatched[a] is the number of arm a's cases dropped.
	Unmatched []int
	// CountedMissing is the number of cases missing from the candidate
	// that were kept as candidate failures (PairOptions.CountMissing), and
	// MissingCost the cost each was given (NaN when none).
	CountedMissing int
	MissingCost    float64
	// MaxSamples is the largest number of samples any case has in any arm.
	MaxSamples int
	Warnings   []string
}

// A Case is one case id with its samples in every arm.
type Case struct {
	ID       string
	Workflow string
	// Cluster indexes Paired.Clusters.
	Cluster int
	Arms    []ArmCase
}

// ArmCase is one arm's record of a case: its samples and their means.
type ArmCase struct {
	Samples []*Sample
	// Accepted is the mean of accepted over the samples (0 or 1 with one sample).
	Accepted float64
	// Cost is the mean cost over the samples, NaN when the arm has no cost.
	Cost float64
}

// Single reports whether every case has exactly one sample in every arm.
func (p *Paired) Single() bool { return p.MaxSamples == 1 }

// Clustered reports whether some cluster holds more than one case.
func (p *Paired) Clustered() bool { return len(p.Clusters) < len(p.Cases) }

// ClusterIndex returns each case's cluster index, in case order.
func (p *Paired) ClusterIndex() []int {
	idx := make([]int, len(p.Cases))
	for i := range p.Cases {
		idx[i] = p.Cases[i].Cluster
	}
	return idx
}

// armCases is one arm's samples grouped by case id: order holds the
// sample indexes sorted by (id, sample number), stably, and case k's
// samples are order[starts[k]:starts[k+1]], the cases in ascending id
// order. first[k] is the case's first sample in input order, whose
// workflow, cluster and line stand for the case.
type armCases struct {
	sc     *Scorecard
	order  []int32
	starts []int32
	first  []int32
}

func (c *armCases) len() int { return len(c.starts) - 1 }

func (c *armCases) id(k int) string { return c.sc.Samples[c.order[c.starts[k]]].ID }

func (c *armCases) ref(k int) *Sample { return &c.sc.Samples[c.first[k]] }

// groupCases groups an arm's samples by case id. A scorecard written in id
// order (the usual case) is not sorted again. Samples of one case whose
// workflow or cluster differ from its first sample's are errors, in input
// order.
func groupCases(sc *Scorecard) (armCases, ErrorList) {
	n := len(sc.Samples)
	c := armCases{sc: sc, order: make([]int32, n)}
	for i := range c.order {
		c.order[i] = int32(i)
	}
	key := func(a, b int32) int {
		x, y := &sc.Samples[a], &sc.Samples[b]
		if k := strings.Compare(x.ID, y.ID); k != 0 {
			return k
		}
		return cmp.Compare(x.Sample, y.Sample)
	}
	if !slices.IsSortedFunc(c.order, key) {
		slices.SortStableFunc(c.order, key)
	}
	c.starts = make([]int32, 0, n+1)
	c.first = make([]int32, 0, n)
	type located struct {
		at  int32
		err *InputError
	}
	var bad []located
	for i := 0; i < n; {
		j := i + 1
		id := sc.Samples[c.order[i]].ID
		for j < n && sc.Samples[c.order[j]].ID == id {
			j++
		}
		first := slices.Min(c.order[i:j])
		c.starts = append(c.starts, int32(i))
		c.first = append(c.first, first)
		f := &sc.Samples[first]
		for _, k := range c.order[i:j] {
			if s := &sc.Samples[k]; k != first && (s.Workflow != f.Workflow || s.Cluster != f.Cluster) {
				bad = append(bad, located{k, Errorf(sc.Source, s.Line, "case %q sample %d has workflow %q and cluster %q, but its sample at line %d has %q and %q; every sample of a case belongs to the same workflow and cluster",
					s.ID, s.Sample, s.Workflow, s.Cluster, f.Line, f.Workflow, f.Cluster)})
			}
		}
		i = j
	}
	c.starts = append(c.starts, int32(n))
	slices.SortFunc(bad, func(a, b located) int { return cmp.Compare(a.at, b.at) })
	var errs ErrorList
	for _, b := range bad {
		errs = append(errs, b.err)
	}
	return c, errs
}

// Pair matches the cases of the given scorecards by id. A case's workflow
// and cluster must agree across its samples and across scorecards. Cases
// missing from some scorecard are an error unless o.AllowUnmatched.
//
// Each arm's samples are grouped by id in sorted order (no sorting when
// the file is in id order) and the arms are merged like sorted lists, so
// pairing costs no hashing per case.
func Pair(arms []*Scorecard, o PairOptions) (*Paired, error) {
	if len(arms) < 2 {
		return nil, fmt.Errorf("pairing needs at least two scorecards, got %d", len(arms))
	}
	A := len(arms)
	groups := make([]armCases, A)
	groupErrs := make([]ErrorList, A)
	var wg sync.WaitGroup
	for a, sc := range arms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			groups[a], groupErrs[a] = groupCases(sc)
		}()
	}
	wg.Wait()
	if err := o.stopped(); err != nil {
		return nil, err
	}
	var errs ErrorList
	for _, e := range groupErrs {
		errs = append(errs, e...)
	}
	if len(errs) > 0 {
		return nil, errs
	}

	count := o.AllowUnmatched && o.CountMissing && o.Candidate >= 0 && o.Candidate < A
	refArm := 0 // an arm that has every kept case
	if count && o.Candidate == 0 {
		refArm = 1
	}
	// Merge the arms' sorted ids. at[a] is arm a's case index of the id
	// being looked at (-1 when the arm lacks it); kept lists them for the
	// cases kept, one row of A per case.
	var kept []int32
	var missing []string
	only := make([][]string, A)
	pos := make([]int, A)
	at := make([]int32, A)
	for step := 1; ; step++ {
		if step%pairCheckEvery == 0 {
			if err := o.stopped(); err != nil {
				return nil, err
			}
		}
		var id string
		found := false
		for a := range groups {
			if pos[a] < groups[a].len() {
				if x := groups[a].id(pos[a]); !found || x < id {
					id, found = x, true
				}
			}
		}
		if !found {
			break
		}
		in := 0
		for a := range groups {
			at[a] = -1
			if pos[a] < groups[a].len() && groups[a].id(pos[a]) == id {
				at[a] = int32(pos[a])
				pos[a]++
				in++
			}
		}
		switch {
		case in == A:
			kept = append(kept, at...)
		case count && in == A-1 && at[o.Candidate] < 0:
			kept = append(kept, at...)
			missing = append(missing, id)
		default:
			for a := range groups {
				if at[a] >= 0 {
					only[a] = append(only[a], id)
				}
			}
		}
	}

	// No id in every arm: nothing was compared, whatever the pairing
	// options say (counting every case as a candidate failure, or
	// dropping them all, would decide on no evidence).
	if len(kept)/A == len(missing) {
		return nil, unmatchedError(arms, groups, allIDs(groups), 0, o)
	}
	p := &Paired{Arms: arms, Unmatched: make([]int, A), MissingCost: math.NaN()}
	var unmatched []string
	for a := range arms {
		p.Unmatched[a] = len(only[a])
		if len(only[a]) > 0 {
			unmatched = append(unmatched, unmatchedClause(arms, a, o, only[a], groups[a].len()))
		}
	}
	if len(unmatched) > 0 && !o.AllowUnmatched {
		return nil, unmatchedError(arms, groups, only, len(kept)/A-len(missing), o)
	}
	if len(missing) > 0 {
		p.CountedMissing = len(missing)
		p.MissingCost = highestCaseCost(&groups[o.Candidate])
		p.Warnings = append(p.Warnings, countedMissingWarning(arms[o.Candidate].Source, missing, p.MissingCost))
	}
	if len(unmatched) > 0 {
		p.Warnings = append(p.Warnings, "unmatched cases dropped: "+strings.Join(unmatched, "; "))
	}

	n := len(kept) / A
	p.Cases = make([]Case, 0, n)
	armSlab := make([]ArmCase, n*A)
	ptrs := make([][]*Sample, A)
	for a := range arms {
		ptrs[a] = make([]*Sample, 0, len(arms[a].Samples)+len(missing))
	}
	clusterIdx := map[string]int{}
	for i := 0; i < n; i++ {
		if (i+1)%pairCheckEvery == 0 {
			if err := o.stopped(); err != nil {
				return nil, err
			}
		}
		row := kept[i*A : (i+1)*A]
		g := &groups[refArm]
		ref := g.ref(int(row[refArm]))
		id := ref.ID
		refSource := arms[refArm].Source
		for a := range arms {
			if a == refArm || row[a] < 0 {
				continue
			}
			ci := groups[a].ref(int(row[a]))
			if ci.Workflow != ref.Workflow {
				errs = append(errs, Errorf(arms[a].Source, ci.Line, "case %q has workflow %q here but %q in %s:%d; a case must have the same workflow in every scorecard",
					id, ci.Workflow, ref.Workflow, refSource, ref.Line))
			}
			if ci.Cluster != ref.Cluster {
				errs = append(errs, Errorf(arms[a].Source, ci.Line, "case %q has cluster %q here but %q in %s:%d; a case must have the same cluster in every scorecard",
					id, ci.Cluster, ref.Cluster, refSource, ref.Line))
			}
		}
		if len(errs) >= maxErrors {
			break
		}
		// A case without a cluster is a cluster of its own.
		ci := len(p.Clusters)
		if ref.Cluster == "" {
			p.Clusters = append(p.Clusters, id)
		} else if k, ok := clusterIdx[ref.Cluster]; ok {
			ci = k
		} else {
			clusterIdx[ref.Cluster] = ci
			p.Clusters = append(p.Clusters, ref.Cluster)
		}
		c := Case{ID: id, Workflow: ref.Workflow, Cluster: ci, Arms: armSlab[i*A : (i+1)*A : (i+1)*A]}
		for a := range arms {
			start := len(ptrs[a])
			if row[a] < 0 {
				// Missing from the candidate: one failed sample.
				s := &Sample{ID: id, Workflow: ref.Workflow, Cluster: ref.Cluster, FailureClass: MissingClass,
					Error: "missing from the candidate's scorecard"}
				if !math.IsNaN(p.MissingCost) {
					cost := p.MissingCost
					s.CostUSD = &cost
				}
				ptrs[a] = append(ptrs[a], s)
			} else {
				g := &groups[a]
				k := int(row[a])
				for _, j := range g.order[g.starts[k]:g.starts[k+1]] {
					ptrs[a] = append(ptrs[a], &arms[a].Samples[j])
				}
			}
			samples := ptrs[a][start:len(ptrs[a]):len(ptrs[a])]
			c.Arms[a] = summarise(samples)
			p.MaxSamples = max(p.MaxSamples, len(samples))
		}
		p.Cases = append(p.Cases, c)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// highestCaseCost returns the largest per-case mean cost of an arm (each
// summed in input order), or NaN when some sample has no cost.
func highestCaseCost(g *armCases) float64 {
	top := math.NaN()
	ptrs := make([]*Sample, 0, 8)
	idx := make([]int32, 0, 8)
	for k := 0; k < g.len(); k++ {
		idx = append(idx[:0], g.order[g.starts[k]:g.starts[k+1]]...)
		slices.Sort(idx)
		ptrs = ptrs[:0]
		for _, j := range idx {
			ptrs = append(ptrs, &g.sc.Samples[j])
		}
		c := summarise(ptrs).Cost
		if math.IsNaN(c) {
			return math.NaN()
		}
		if !(c <= top) {
			top = c
		}
	}
	return top
}

func summarise(samples []*Sample) ArmCase {
	ac := ArmCase{Samples: samples}
	var acc, cost float64
	hasCost := true
	for _, s := range samples {
		if s.Accepted {
			acc++
		}
		if s.CostUSD == nil {
			hasCost = false
		} else {
			cost += *s.CostUSD
		}
	}
	k := float64(len(samples))
	ac.Accepted = acc / k
	ac.Cost = math.NaN()
	if hasCost {
		ac.Cost = cost / k
	}
	return ac
}

// allIDs lists each arm's case ids in sorted order.
func allIDs(groups []armCases) [][]string {
	ids := make([][]string, len(groups))
	for a := range groups {
		for i := range groups[a].len() {
			ids[a] = append(ids[a], groups[a].id(i))
		}
	}
	return ids
}

func firstFew(ids []string, n int) string {
	q := make([]string, 0, n+1)
	for i, id := range ids {
		if i == n {
			q = append(q, "…")
			break
		}
		q = append(q, fmt.Sprintf("%q", id))
	}
	return strings.Join(q, ", ")
}
