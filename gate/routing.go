package gate

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/ftgate/ftgate/internal/numfmt"
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
		pick, best, acc, cp := chooseTier(tiers, idx, loss, costed)
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
			rcpa = math.NaN()
		}
		d.Routes = append(d.Routes, Route{Workflow: w, Cases: len(idx), Tier: t.name, Acceptance: acc[pick], CPA: rcpa,
			BestTier: tiers[best].name, BestAcceptance: acc[best]})
	}
	d.RoutingCheck = crossFitRouting(d, p, tiers, routed, groups, order, loss, costed)

	cluster := p.ClusterIndex()
	d.Tiers = nil
	for _, t := range tiers {
		d.Tiers = append(d.Tiers, placeTier(d, t.name, RoleBaseline, t, p, cluster, pol))
	}
	d.Tiers = append(d.Tiers, placeTier(d, RoutedName, RoleRouted, routed, p, cluster, pol))
	cand := armOf(p, in.Candidate)
	d.Tiers = append(d.Tiers, placeTier(d, cand.name, RoleCandidate, cand, p, cluster, pol))
	markFrontier(d.Tiers)
	return routed, nil
}

// chooseTier applies the routing rule to the cases idx: the tier with the
// lowest cost per accepted outcome among those whose acceptance is within
// loss of the best tier's (ties: higher acceptance, then the tier given
// first); the most accepted tier when costed is false. It returns the
// pick, the best tier, and every tier's acceptance and CPA on idx.
func chooseTier(tiers []arm, idx []int, loss float64, costed bool) (pick, best int, acc, cp []float64) {
	acc = make([]float64, len(tiers))
	cp = make([]float64, len(tiers))
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
	pick = best
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
	return pick, best, acc, cp
}

// routingFolds is the number of folds of the cross-fitted routing check.
const routingFolds = 5

// crossFitRouting measures the optimism of choosing the routed baseline's
// tiers on the cases it is then evaluated on (docs/economics.md, "Routing
// optimism"). Clusters are split into routingFolds folds (cluster index
// mod routingFolds, clusters numbered in case-id order); the cases of each
// fold take the tier that the routing rule picks for their workflow on the
// other folds alone (on all workflows pooled, when the other folds hold no
// case of it). The cross-fitted routed baseline is what routing the next,
// unseen cases would deliver; the difference from the in-sample routed
// baseline is the optimism. It returns nil with fewer than two clusters.
func crossFitRouting(d *Decision, p *scorecard.Paired, tiers []arm, routed arm, groups map[string][]int, order []string, loss float64, costed bool) *RoutingCheck {
	G := len(p.Clusters)
	if G < 2 {
		return nil
	}
	folds := min(routingFolds, G)
	fold := func(i int) int { return p.Cases[i].Cluster % folds }
	n := len(p.Cases)
	cross := arm{acc: make([]float64, n), cost: make([]float64, n), hasCost: routed.hasCost}
	rc := &RoutingCheck{Folds: folds}
	for f := 0; f < folds; f++ {
		var trainAll []int
		for i := range p.Cases {
			if fold(i) != f {
				trainAll = append(trainAll, i)
			}
		}
		for _, w := range order {
			var train, test []int
			for _, i := range groups[w] {
				if fold(i) == f {
					test = append(test, i)
				} else {
					train = append(train, i)
				}
			}
			if len(test) == 0 {
				continue
			}
			if len(train) == 0 {
				train = trainAll
			}
			pick, _, _, _ := chooseTier(tiers, train, loss, costed)
			if tiers[pick].name != d.Routed[w] {
				rc.Changed++
			}
			for _, i := range test {
				cross.acc[i], cross.cost[i] = tiers[pick].acc[i], tiers[pick].cost[i]
			}
		}
	}
	sum := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	}
	rc.Acceptance, rc.CrossFitAcceptance = mean(routed.acc), mean(cross.acc)
	rc.CPA, rc.CrossFitCPA = math.NaN(), math.NaN()
	if routed.hasCost {
		rc.CPA, rc.CrossFitCPA = cpa(sum(routed.cost), sum(routed.acc)), cpa(sum(cross.cost), sum(cross.acc))
	}
	if rc.Acceptance-rc.CrossFitAcceptance > loss+routingTolerance || rc.CrossFitCPA > 1.05*rc.CPA {
		d.Warnings = append(d.Warnings, fmt.Sprintf("routing: the routed baseline is chosen on the cases it is evaluated on; chosen on other cases (%d-fold cross-fitting) it accepts %s instead of %s at %s instead of %s per accepted outcome, so the gate compares the candidate with a baseline that looks better than routing would deliver",
			folds, numfmt.Pct(rc.CrossFitAcceptance), numfmt.Pct(rc.Acceptance), numfmt.USD(rc.CrossFitCPA), numfmt.USD(rc.CPA)))
	}
	return rc
}
