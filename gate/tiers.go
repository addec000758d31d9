package gate

import (
	"math"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// Roles of the points on the cost/quality plane.
const (
	RoleBaseline  = "baseline"
	RoleRouted    = "routed"
	RoleCandidate = "candidate"
)

// RoutedName is the display name of the routed baseline.
const RoutedName = "routed baseline"

// placeTier puts one arm on the cost/quality plane (docs/economics.md,
// "Tiers"): its acceptance with an interval, and its cost per accepted
// outcome with an interval, both two-sided at level 1 − 2α.
//
// The acceptance interval is Wilson's when every case has one sample and
// no cluster holds several cases, else the cluster-robust t interval of
// the mean per-case acceptance (the one-sample form of the quality test's
// cluster-t, Miller 2024), clamped to [0, 1].
//
// The CPA interval comes from the cost test's machinery applied to one
// arm: the paired cluster bootstrap (BCa) or delta method of the ratio
// with a constant reference arm (cost 1 and one accepted outcome per case),
// whose ratio is exactly Σc/Σa of the arm.
//
// The bootstrap interval is filled in after the decision's shared draws
// (d.res), in d.Tiers by role and name.
func placeTier(d *Decision, name, role string, a arm, p *scorecard.Paired, cluster []int, pol Policy) Tier {
	level := 1 - 2*pol.Alpha
	t := Tier{Name: name, Role: role, Quality: mean(a.acc)}
	if p.Single() && !p.Clustered() {
		x := 0
		for _, v := range a.acc {
			if v == 1 {
				x++
			}
		}
		t.QualityLow, t.QualityHigh = stats.Wilson(x, len(a.acc), level)
	} else {
		ct := stats.ClusterT(a.acc, cluster, 0, level)
		t.QualityLow, t.QualityHigh = math.Max(0, ct.Lo), math.Min(1, ct.Hi)
	}
	t.CPA, t.CPALow, t.CPAHigh = math.NaN(), math.NaN(), math.NaN()
	if !a.hasCost {
		return t
	}
	var sc, sa float64
	for i := range a.acc {
		sc += a.cost[i]
		sa += a.acc[i]
	}
	t.CPA = cpa(sc, sa)
	if sa == 0 || len(a.acc) < 2 {
		return t
	}
	ones := make([]float64, len(a.acc))
	for i := range ones {
		ones[i] = 1
	}
	data := stats.RatioData{CostB: ones, AccB: ones, CostC: a.cost, AccC: a.acc, Cluster: cluster}
	if costMethod(len(p.Clusters), pol) == "delta" {
		r := stats.DeltaRatio(data, 1, level)
		t.CPALow, t.CPAHigh = r.Lo, r.Hi
	} else {
		res := d.bootstrap(pol, len(p.Clusters))
		h := res.ratio(data)
		if res.eager {
			r := h.result(level, 1)
			t.CPALow, t.CPAHigh = r.Lo, r.Hi
			return t
		}
		res.afterDraws(func() {
			r := h.result(level, 1)
			for i := range d.Tiers {
				if d.Tiers[i].Role == role && d.Tiers[i].Name == name {
					d.Tiers[i].CPALow, d.Tiers[i].CPAHigh = r.Lo, r.Hi
				}
			}
		})
	}
	return t
}

// costMethod resolves the policy's cost method as costTest does.
func costMethod(clusters int, pol Policy) string {
	m := pol.Cost.Method
	if m == "auto" {
		m = "bootstrap"
		if clusters > bootstrapMaxClusters {
			m = "delta"
		}
	}
	return m
}

// markFrontier sets OnFrontier on the points that no other point
// dominates: a point is dominated when another has at least its quality
// and at most its CPA, and is strictly better in one of the two. Points
// without a finite CPA are never on the frontier.
func markFrontier(ts []Tier) {
	ok := func(t Tier) bool { return !math.IsNaN(t.Quality) && !math.IsNaN(t.CPA) && !math.IsInf(t.CPA, 0) }
	for i := range ts {
		ts[i].OnFrontier = false
		if !ok(ts[i]) {
			continue
		}
		dominated := false
		for j := range ts {
			if i == j || !ok(ts[j]) {
				continue
			}
			a, b := ts[j], ts[i]
			if a.Quality >= b.Quality && a.CPA <= b.CPA && (a.Quality > b.Quality || a.CPA < b.CPA) {
				dominated = true
				break
			}
		}
		ts[i].OnFrontier = !dominated
	}
}

// tierNames names the baseline arms: the system name, else the tier, else
// the file; a name used twice gets its file appended.
func tierNames(p *scorecard.Paired, idx []int) []string {
	names := make([]string, len(idx))
	count := map[string]int{}
	for k, a := range idx {
		sc := p.Arms[a]
		n := sc.System.Name
		if n == "" {
			n = sc.System.Tier
		}
		if n == "" {
			n = sc.Source
		}
		names[k] = n
		count[n]++
	}
	for k, a := range idx {
		if count[names[k]] > 1 {
			names[k] += " (" + p.Arms[a].Source + ")"
		}
	}
	return names
}

// singleTiers places the baseline and the candidate when there is one
// baseline tier, so that the chart and the tiers table exist on every run.
func singleTiers(d *Decision, p *scorecard.Paired, base, cand arm, pol Policy) []Tier {
	cluster := p.ClusterIndex()
	ts := []Tier{
		placeTier(d, base.name, RoleBaseline, base, p, cluster, pol),
		placeTier(d, cand.name, RoleCandidate, cand, p, cluster, pol),
	}
	markFrontier(ts)
	return ts
}
