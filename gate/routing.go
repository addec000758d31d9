package gate

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/ftgate/ftgate/scorecard"
)

// routingTolerance absorbs floating-point noise when an acceptance is
// compared with the best acceptance minus routing.max_quality_loss.
const routingTolerance = 1e-12

// workflowGroups returns the case indexes of each workflow (cases without
// one under NoWorkflow) and the workflow names in order.
func workflowGroups(p *scorecard.Paired) (map[string][]int, []string) {
	groups := map[string][]int{}
	for i := range p.Cases {
		w := p.Cases[i].Workflow
		if w == "" {
			w = NoWorkflow
		}
		groups[w] = append(groups[w], i)
	}
	return groups, slices.Sorted(maps.Keys(groups))
}

// routeBaseline builds the routed baseline of economics.md from several
// baseline tiers: for each workflow, the tier with the lowest cost per
// accepted outcome among the tiers whose acceptance on that workflow is
// within routing.max_quality_loss of the workflow's best tier. Each case
// then takes the outcome, cost and samples of its workflow's tier, and the
// candidate is gated against that arm.
//
// Ties on CPA go to the higher acceptance, then to the tier given first.
// When some tier has no cost data, CPA cannot rank the tiers: each
// workflow goes to its most accepted tier (the first on ties), with a
// warning. It also fills d.Routed, d.Routes and d.Tiers (every tier, the
// routed baseline and the candidate, with the Pareto frontier marked).
func routeBaseline(d *Decision, p *scorecard.Paired, in Input, pol Policy) (arm, error) {
	for _, b := range in.Baselines {
		if b < 0 || b >= len(p.Arms) || b == in.Candidate {
			return arm{}, fmt.Errorf("baseline arm %d is not a baseline scorecard", b)
		}
	}
	names := tierNames(p, in.Baselines)
	tiers := make([]arm, len(in.Baselines))
	costed := true
	for k, b := range in.Baselines {
		tiers[k] = armOf(p, b)
		tiers[k].name = names[k]
		costed = costed && tiers[k].hasCost
	}
	if !costed {
		d.Warnings = append(d.Warnings, "routing: some baseline tier has no cost data, so each workflow is routed to its most accepted tier rather than the cheapest adequate one")
	}
	loss := pol.Routing.MaxQualityLoss
	groups, order := workflowGroups(p)

	n := len(p.Cases)
	routed := arm{name: RoutedName, acc: make([]float64, n), cost: make([]float64, n), samples: make([][]*scorecard.Sample, n), hasCost: true}
	d.Routed = map[string]string{}
	d.Routes = nil
	for _, w := range order {
		idx := groups[w]
		acc := make([]float64, len(tiers))
		cp := make([]float64, len(tiers))
		best := 0
		for k, t := range tiers {
			var sa, sc float64
			for _, i := range idx {
				sa += t.acc[i]
				sc += t.cost[i]
			}
			acc[k] = sa / float64(len(idx))
			cp[k] = cpa(sc, sa)
			if !t.hasCost {
				cp[k] = math.Inf(1)
			}
			if acc[k] > acc[best] {
				best = k
			}
		}
		pick := best
		if costed {
			for k := range tiers {
				if acc[k] < acc[best]-loss-routingTolerance {
					continue
				}
				if cp[k] < cp[pick] || (cp[k] == cp[pick] && acc[k] > acc[pick]) || (cp[k] == cp[pick] && acc[k] == acc[pick] && k < pick) {
					pick = k
				}
			}
		}
		t := tiers[pick]
		for _, i := range idx {
			routed.acc[i] = t.acc[i]
			routed.cost[i] = t.cost[i]
			routed.samples[i] = t.samples[i]
			if math.IsNaN(t.cost[i]) {
				routed.hasCost = false
			}
		}
		d.Routed[w] = t.name
		rcpa := cp[pick]
		if !t.hasCost {
			rcpa = nan()
		}
		d.Routes = append(d.Routes, Route{Workflow: w, Cases: len(idx), Tier: t.name, Acceptance: acc[pick], CPA: rcpa,
			BestTier: tiers[best].name, BestAcceptance: acc[best]})
	}

	cluster := p.ClusterIndex()
	d.Tiers = nil
	for _, t := range tiers {
		d.Tiers = append(d.Tiers, placeTier(t.name, RoleBaseline, t, p, cluster, pol))
	}
	d.Tiers = append(d.Tiers, placeTier(RoutedName, RoleRouted, routed, p, cluster, pol))
	cand := armOf(p, in.Candidate)
	d.Tiers = append(d.Tiers, placeTier(cand.name, RoleCandidate, cand, p, cluster, pol))
	markFrontier(d.Tiers)
	return routed, nil
}
