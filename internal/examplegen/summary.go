package examplegen

import (
	"math"
	"slices"
)

// A Tally counts cases, accepted cases and cost.
type Tally struct {
	Cases, Accepted int
	CostUSD         float64
}

// Acceptance is the accepted share (0 for no cases).
func (t Tally) Acceptance() float64 {
	if t.Cases == 0 {
		return 0
	}
	return float64(t.Accepted) / float64(t.Cases)
}

// CPA is the cost per accepted outcome, +Inf when nothing was accepted.
func (t Tally) CPA() float64 {
	if t.Accepted == 0 {
		return math.Inf(1)
	}
	return t.CostUSD / float64(t.Accepted)
}

func (t *Tally) add(u Tally) {
	t.Cases += u.Cases
	t.Accepted += u.Accepted
	t.CostUSD += u.CostUSD
}

// A Summary holds the descriptive numbers of one scorecard. They are plain
// point estimates for the README; the tests and intervals are ftgate's job.
type Summary struct {
	System *System
	Total  Tally
	// Workflows are in the scenario's workflow order.
	Workflows []Tally
	// P50LatencyMS and P95LatencyMS are type-7 quantiles (R's default).
	P50LatencyMS, P95LatencyMS float64
	SchemaValidRate            float64
}

// Summaries summarises every scorecard of the set, in order.
func (s *Set) Summaries() []Summary {
	out := make([]Summary, len(s.Scorecards))
	index := map[string]int{}
	for i, w := range s.Scenario.Workflows {
		index[w.Name] = i
	}
	for i := range s.Scorecards {
		c := &s.Scorecards[i]
		sum := Summary{System: c.System, Workflows: make([]Tally, len(s.Scenario.Workflows))}
		lat := make([]float64, len(c.Cases))
		valid := 0
		for j := range c.Cases {
			x := &c.Cases[j]
			t := Tally{Cases: 1, CostUSD: x.CostUSD}
			if x.Accepted {
				t.Accepted = 1
			}
			sum.Workflows[index[x.Workflow]].add(t)
			lat[j] = float64(x.LatencyMS)
			if x.SchemaValid {
				valid++
			}
		}
		for _, t := range sum.Workflows {
			sum.Total.add(t)
		}
		slices.Sort(lat)
		sum.P50LatencyMS, sum.P95LatencyMS = quantile7(lat, 0.50), quantile7(lat, 0.95)
		if len(c.Cases) > 0 {
			sum.SchemaValidRate = float64(valid) / float64(len(c.Cases))
		}
		out[i] = sum
	}
	return out
}

// quantile7 is the type-7 quantile of sorted x.
func quantile7(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := p * float64(len(x)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

// A Routing is the routed baseline built from several baseline tiers: for
// each workflow, the tier with the lowest cost per accepted outcome among
// the tiers whose acceptance on that workflow is within MaxQualityLoss of
// the workflow's best tier (economics.md, "Model tiers and routing").
type Routing struct {
	MaxQualityLoss float64
	// Choice holds, per workflow in scenario order, the index into the
	// tiers given to [Route].
	Choice []int
	// Workflows and Total are the routed baseline's tallies.
	Workflows []Tally
	Total     Tally
}

// Route builds the routed baseline of the given tier summaries, which must
// be of the same set.
func Route(tiers []Summary, maxQualityLoss float64) Routing {
	r := Routing{MaxQualityLoss: maxQualityLoss}
	if len(tiers) == 0 {
		return r
	}
	for w := range tiers[0].Workflows {
		best := 0.0
		for _, t := range tiers {
			best = max(best, t.Workflows[w].Acceptance())
		}
		choice := -1
		for i, t := range tiers {
			x := t.Workflows[w]
			if x.Acceptance() < best-maxQualityLoss-1e-12 {
				continue
			}
			if choice < 0 || x.CPA() < tiers[choice].Workflows[w].CPA() {
				choice = i
			}
		}
		r.Choice = append(r.Choice, choice)
		r.Workflows = append(r.Workflows, tiers[choice].Workflows[w])
		r.Total.add(tiers[choice].Workflows[w])
	}
	return r
}
