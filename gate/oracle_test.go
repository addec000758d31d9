package gate_test

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/oracle"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// The gate end to end against R and scipy: the oracle
// datasets of testdata/oracle, read as scorecards with repeated samples
// ("clustered": 30 clusters of 1–4 cases, 3 samples per case) or one
// sample per case ("single": 80 cases), decided by gate.Decide, and every
// number of the quality test, the cost test, the segments and the power
// block compared with what testdata/oracle/make_oracle.R (base R) and
// make_oracle.py (scipy) recorded. Workflows are assigned by cluster:
// alpha, beta, gamma for cluster mod 3 = 0, 1, 2.
//
// Tolerances: closed forms 1e-9 (p-values also relative), Holm-adjusted
// p-values 1e-12; the BCa interval against scipy in level space, as in
// stats/oracle_boot_test.go: scipy's end must lie between the gate's
// bootstrap ends at levels 0.89 and 0.91 (B = 200 000 in both; about 4.5
// Monte Carlo standard errors of a 5% tail).

const oracleDir = "../testdata/oracle"

type oracleTable oracle.Table

func readOracleTable(t *testing.T, file string) oracleTable {
	t.Helper()
	return oracleTable(oracle.Read(t, filepath.Join(oracleDir, file)))
}

func (o oracleTable) val(t *testing.T, dataset, quantity, param string) float64 {
	t.Helper()
	s, ok := o[dataset+"|"+quantity+"|"+param]
	if !ok {
		t.Fatalf("oracle value %s/%s/%s missing; rerun make_oracle.R", dataset, quantity, param)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// near reports |got − want| <= tol·max(1, |want|), and for p-values
// (rel) also |got − want| <= tol·|want|.
func near(got, want, tol float64, rel bool) bool {
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= tol*math.Max(1, math.Abs(want)) && (!rel || d <= tol*math.Abs(want)+1e-300)
}

func checkNear(t *testing.T, what string, got, want, tol float64, rel bool) {
	t.Helper()
	if !near(got, want, tol, rel) {
		t.Errorf("%s = %.17g, R/scipy %.17g (diff %.3g)", what, got, want, got-want)
	}
}

// oracleRow is one sample of an oracle dataset.
type oracleRow = oracle.Row

func readOracleRows(t *testing.T, name string) []oracleRow {
	t.Helper()
	return oracle.Rows(t, filepath.Join(oracleDir, name+".csv"))
}

var oracleWorkflows = oracle.Workflows

// oraclePaired writes the dataset as two native scorecards (baseline and
// candidate; oracle.Scorecards) and pairs them.
func oraclePaired(t *testing.T, rows []oracleRow) *scorecard.Paired {
	t.Helper()
	b, c := oracle.Scorecards(rows)
	var scs []*scorecard.Scorecard
	for _, x := range []struct{ name, text string }{{"baseline.jsonl", b}, {"candidate.jsonl", c}} {
		sc, err := scorecard.Read(x.name, []byte(x.text), scorecard.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	p, err := scorecard.Pair(scs, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ratioData is the per-case mean cost and acceptance, in case order.
func ratioData(rows []oracleRow) stats.RatioData {
	var d stats.RatioData
	idx := map[int]int{}
	var k []float64
	for _, r := range rows {
		i, ok := idx[r.Case]
		if !ok {
			i = len(d.Cluster)
			idx[r.Case] = i
			d.Cluster = append(d.Cluster, r.Cluster)
			d.CostB, d.AccB, d.CostC, d.AccC = append(d.CostB, 0), append(d.AccB, 0), append(d.CostC, 0), append(d.AccC, 0)
			k = append(k, 0)
		}
		d.CostB[i] += r.CostB
		d.AccB[i] += r.AccB
		d.CostC[i] += r.CostC
		d.AccC[i] += r.AccC
		k[i]++
	}
	for i := range k {
		d.CostB[i] /= k[i]
		d.AccB[i] /= k[i]
		d.CostC[i] /= k[i]
		d.AccC[i] /= k[i]
	}
	return d
}

func oraclePolicy(m, r, drop float64, resamples int) gate.Policy {
	pol := gate.DefaultPolicy()
	pol.Quality.MinGain = m
	pol.Cost.MaxRatio = r
	pol.Segments.MinCases = 10
	pol.Segments.MaxDrop = drop
	eff := 0.05
	pol.Power.Effect = &eff
	pol.Power.Target = 0.9
	pol.Statistics.Resamples = resamples
	return pol
}

func TestOracleGate(t *testing.T) {
	t.Parallel()
	o := readOracleTable(t, "oracle_r.csv")
	sp := readOracleTable(t, "oracle_scipy.csv")
	oc := readOracleTable(t, "oracle_cluster.csv")
	ox := readOracleTable(t, "oracle_exact.csv")
	const tol, tolHolm = 1e-9, 1e-12
	for _, name := range []string{"single", "clustered"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rows := readOracleRows(t, name)
			p := oraclePaired(t, rows)
			// Draws of the bootstraps: the wild cluster bootstrap of the
			// clustered data is compared with R's within Monte Carlo error.
			boot := 2000
			if name == "clustered" {
				boot = 100000
			}
			if name == "clustered" && (p.Single() || !p.Clustered()) {
				t.Fatalf("clustered dataset read as single %v, clustered %v", p.Single(), p.Clustered())
			}
			decide := func(pol gate.Policy, swap bool) *gate.Decision {
				t.Helper()
				in := gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}
				if swap {
					in.Baselines, in.Candidate = []int{1}, 0
				}
				d, err := gate.Decide(in, pol)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}

			for _, c := range []struct {
				m, r, drop float64
				method     string
			}{
				{0, 1, 0, map[string]string{"single": "mcnemar-exact", "clustered": "cluster-t"}[name]},
				{-0.05, 0.8, 0.05, map[string]string{"single": "tango", "clustered": "cluster-t"}[name]},
			} {
				d := decide(oraclePolicy(c.m, c.r, c.drop, boot), false)
				mp, rp, dp := fmt.Sprint(c.m), fmt.Sprint(c.r), fmt.Sprint(c.drop)
				what := fmt.Sprintf("m = %s: ", mp)

				q := d.Quality
				if q.Method != c.method {
					t.Errorf("%squality method %s, want %s", what, q.Method, c.method)
				}
				checkNear(t, what+"quality baseline", q.Baseline, o.val(t, name, "gate_p_b", ""), tol, false)
				checkNear(t, what+"quality candidate", q.Candidate, o.val(t, name, "gate_p_c", ""), tol, false)
				if name == "clustered" {
					// The larger of CR2's p-value (clubSandwich) and the
					// wild cluster bootstrap's (R, 10⁶ draws), the latter
					// within Monte Carlo error; the CR2 interval.
					want := math.Max(oc.val(t, name, "gate_cr2_p_upper", mp), oc.val(t, name, "gate_wild_p_upper", mp))
					checkNear(t, what+"quality p", q.PValue, want, wildTol(want, boot), false)
					checkNear(t, what+"quality ci_low (CR2)", q.CILow, oc.val(t, name, "gate_cr2_lo", mp), tol, false)
					checkNear(t, what+"quality ci_high (CR2)", q.CIHigh, oc.val(t, name, "gate_cr2_hi", mp), tol, false)
				} else {
					checkNear(t, what+"quality p", q.PValue, o.val(t, name, "gate_q_p", mp), tol, true)
					checkNear(t, what+"quality ci_low", q.CILow, o.val(t, name, "gate_q_lo", mp), tol, false)
					checkNear(t, what+"quality ci_high", q.CIHigh, o.val(t, name, "gate_q_hi", mp), tol, false)
				}

				pw := d.Power
				checkNear(t, what+"power cases_needed (whole cases)", pw.CasesNeeded, math.Ceil(o.val(t, name, "gate_power_n", mp)), 0, false)
				checkNear(t, what+"power more_cases_needed", float64(pw.MoreCasesNeeded), o.val(t, name, "gate_power_more", mp), 0, false)
				checkNear(t, what+"power mde", pw.MDE, o.val(t, name, "gate_power_mde", mp), tol, false)
				for _, nn := range []int{d.Cases.Paired, int(math.Ceil(pw.CasesNeeded))} {
					i := slices.IndexFunc(pw.Curve, func(p gate.PowerPoint) bool { return p.Cases == nn })
					if i < 0 {
						t.Errorf("%spower curve has no point at %d cases", what, nn)
						continue
					}
					checkNear(t, fmt.Sprintf("%spower at %d cases", what, nn), pw.Curve[i].Power, o.val(t, name, "gate_power_curve", mp+":"+fmt.Sprint(nn)), tol, false)
				}
				for i, p := range pw.Curve {
					if i > 0 && (p.Cases <= pw.Curve[i-1].Cases || p.Power < pw.Curve[i-1].Power) {
						t.Errorf("%spower curve not increasing at %+v after %+v", what, p, pw.Curve[i-1])
					}
					if float64(p.Cases) >= pw.CasesNeeded && p.Power < pw.Target {
						t.Errorf("%spower %v at %d cases, below the target %v at or above the %v cases needed", what, p.Power, p.Cases, pw.Target, pw.CasesNeeded)
					}
				}
				checkNear(t, what+"cost plan variance", pw.CostVariance, oc.val(t, name, "cost_plan_v", ""), tol, false)
				checkNear(t, what+"cost plan cases", pw.CostCasesNeeded, oc.val(t, name, "cost_plan_n", fmt.Sprint(c.r)), 0, false)
				checkNear(t, what+"cost plan more cases", float64(pw.CostMoreCasesNeeded), oc.val(t, name, "cost_plan_more", fmt.Sprint(c.r)), 0, false)

				f := d.Format
				checkNear(t, "baseline valid rate", f.BaselineValidRate, oc.val(t, name, "valid_b_rate", ""), tol, false)
				checkNear(t, "baseline valid low", f.BaselineValidLow, oc.val(t, name, "valid_b_lo", ""), tol, false)
				checkNear(t, "baseline valid high", f.BaselineValidHigh, oc.val(t, name, "valid_b_hi", ""), tol, false)
				checkNear(t, "candidate valid rate", f.CandidateValidRate, oc.val(t, name, "valid_c_rate", ""), tol, false)

				k := d.Cost
				what = fmt.Sprintf("r = %s: ", rp)
				checkNear(t, what+"baseline CPA", k.BaselineCPA, o.val(t, name, "gate_cpa_b", ""), tol, false)
				checkNear(t, what+"candidate CPA", k.CandidateCPA, o.val(t, name, "gate_cpa_c", ""), tol, false)
				checkNear(t, what+"delta p", k.DeltaPValue, o.val(t, name, "delta_p", rp), tol, true)
				checkNear(t, what+"delta ci_low", k.DeltaCILow, o.val(t, name, "delta_lo", rp), tol, false)
				checkNear(t, what+"delta ci_high", k.DeltaCIHigh, o.val(t, name, "delta_hi", rp), tol, false)
				// The bootstrap rule: the larger of the BCa and delta p-values.
				br := stats.BootstrapRatio(ratioData(rows), stats.BootstrapOptions{Resamples: boot, Seed: gate.DefaultSeed, Level: 0.9, NullRatio: c.r})
				if k.Method != "bootstrap" || k.PValue != math.Max(br.P, k.DeltaPValue) || k.CILow != br.Lo || k.CIHigh != br.Hi {
					t.Errorf("%scost %s p %v [%v, %v], want bootstrap max(%v, %v) [%v, %v]", what, k.Method, k.PValue, k.CILow, k.CIHigh, br.P, k.DeltaPValue, br.Lo, br.Hi)
				}

				checkNear(t, "latency baseline p50", d.Latency.BaselineP50, o.val(t, name, "gate_lat_b_p50", ""), tol, false)
				checkNear(t, "latency candidate p95", d.Latency.CandidateP95, o.val(t, name, "gate_lat_c_p95", ""), tol, false)

				for _, swap := range []bool{false, true} {
					d := d
					tag := "gate_seg"
					if swap {
						d = decide(oraclePolicy(c.m, c.r, c.drop, boot), true)
						tag = "gate_swap_seg"
					}
					if len(d.Segments) != len(oracleWorkflows) {
						t.Fatalf("%d segments, want %d", len(d.Segments), len(oracleWorkflows))
					}
					for i, s := range d.Segments {
						key := oracleWorkflows[i] + ":" + dp
						what := fmt.Sprintf("%s %s drop %s", tag, s.Name, dp)
						if s.Name != oracleWorkflows[i] || !s.Tested || float64(s.Cases) != o.val(t, name, "gate_seg_n", key) {
							t.Errorf("%s: segment %q tested %v with %d cases", what, s.Name, s.Tested, s.Cases)
						}
						switch {
						case name == "clustered":
							// max(CR2, wild bootstrap), as for quality; Holm
							// over three multiplies the error by up to 3.
							want := math.Max(oc.val(t, name, tag+"_cr2_p", key), oc.val(t, name, tag+"_wild_p", key))
							checkNear(t, what+" p", s.PValue, want, wildTol(want, boot), false)
							checkNear(t, what+" Holm", s.PAdjusted, math.Min(1, stats.Holm(segP(t, oc, name, tag, dp))[i]), 3*wildTol(0.25, boot), false)
							checkNear(t, what+" Holm level", s.CILevel, oc.val(t, name, tag+"_cr2_level", key), tolHolm, false)
							checkNear(t, what+" ci_low (CR2)", s.CILow, oc.val(t, name, tag+"_cr2_lo", key), tol, false)
							checkNear(t, what+" ci_high (CR2)", s.CIHigh, oc.val(t, name, tag+"_cr2_hi", key), tol, false)
							continue
						case name == "single" && c.drop > 0:
							// Few discordant pairs and a drop: the exact
							// unconditional test (make_oracle_exact.py).
							checkNear(t, what+" p (exact)", s.PValue, ox.val(t, name, tag+"_p_exact", key), tol, true)
							checkNear(t, what+" Holm (exact)", s.PAdjusted, ox.val(t, name, tag+"_adj_exact", key), tol, false)
						default:
							checkNear(t, what+" p", s.PValue, o.val(t, name, tag+"_p", key), tol, true)
							checkNear(t, what+" Holm", s.PAdjusted, o.val(t, name, tag+"_adj", key), tolHolm, false)
						}
						checkNear(t, what+" Holm level", s.CILevel, o.val(t, name, tag+"_level", key), tolHolm, false)
						checkNear(t, what+" ci_low", s.CILow, o.val(t, name, tag+"_lo", key), tol, false)
						checkNear(t, what+" ci_high", s.CIHigh, o.val(t, name, tag+"_hi", key), tol, false)
					}
				}
			}

			// BCa interval against scipy, B = 200 000.
			const B, L, delta = 200000, 0.9, 0.005
			pol := oraclePolicy(0, 1, 0, B)
			d := decide(pol, false)
			opts := func(level float64) stats.BootstrapOptions {
				return stats.BootstrapOptions{Resamples: B, Seed: pol.Statistics.Seed, Level: level, NullRatio: 1}
			}
			data := ratioData(rows)
			narrow, wide := stats.BootstrapRatio(data, opts(L-2*delta)), stats.BootstrapRatio(data, opts(L+2*delta))
			wantLo, wantHi := sp.val(t, name, "bca_lo", "0.9"), sp.val(t, name, "bca_hi", "0.9")
			if !(wide.Lo <= wantLo && wantLo <= narrow.Lo) || !(wide.Lo <= d.Cost.CILow && d.Cost.CILow <= narrow.Lo) {
				t.Errorf("BCa lower end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", d.Cost.CILow, wantLo, wide.Lo, narrow.Lo)
			}
			if !(narrow.Hi <= wantHi && wantHi <= wide.Hi) || !(narrow.Hi <= d.Cost.CIHigh && d.Cost.CIHigh <= wide.Hi) {
				t.Errorf("BCa upper end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", d.Cost.CIHigh, wantHi, narrow.Hi, wide.Hi)
			}

			// The tier table of the same decision: each arm's acceptance
			// interval against R (Wilson, or the clustered t interval),
			// its cost per accepted outcome against scipy's BCa interval in
			// level space, as above.
			tp := readOracleTable(t, "oracle_tiers.csv")
			if len(d.Tiers) != 2 {
				t.Fatalf("%d tiers, want the baseline and the candidate", len(d.Tiers))
			}
			for k, arm := range []string{"b", "c"} {
				tier := d.Tiers[k]
				checkNear(t, "tier "+arm+" quality low", tier.QualityLow, oc.val(t, name, "tier_quality_"+arm+"_lo", ""), tol, false)
				checkNear(t, "tier "+arm+" quality high", tier.QualityHigh, oc.val(t, name, "tier_quality_"+arm+"_hi", ""), tol, false)
				checkNear(t, "tier "+arm+" CPA", tier.CPA, tp.val(t, name, "tier_cpa_"+arm, ""), tol, false)
				one := ratioData(rows)
				ones := make([]float64, len(one.Cluster))
				for i := range ones {
					ones[i] = 1
				}
				arm1 := stats.RatioData{CostB: ones, AccB: ones, CostC: one.CostB, AccC: one.AccB, Cluster: one.Cluster}
				if arm == "c" {
					arm1.CostC, arm1.AccC = one.CostC, one.AccC
				}
				nw, wd := stats.BootstrapRatio(arm1, opts(L-2*delta)), stats.BootstrapRatio(arm1, opts(L+2*delta))
				lo, hi := tp.val(t, name, "tier_cpa_"+arm+"_lo", "0.9"), tp.val(t, name, "tier_cpa_"+arm+"_hi", "0.9")
				if !(wd.Lo <= lo && lo <= nw.Lo) || !(wd.Lo <= tier.CPALow && tier.CPALow <= nw.Lo) {
					t.Errorf("tier %s CPA lower end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", arm, tier.CPALow, lo, wd.Lo, nw.Lo)
				}
				if !(nw.Hi <= hi && hi <= wd.Hi) || !(nw.Hi <= tier.CPAHigh && tier.CPAHigh <= wd.Hi) {
					t.Errorf("tier %s CPA upper end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", arm, tier.CPAHigh, hi, nw.Hi, wd.Hi)
				}
			}

			// The latency p95 intervals through the gate against scipy's
			// percentile intervals (B = 20 000 in both): scipy's ends and
			// the gate's must lie between the gate's bootstrap ends at levels
			// 0.88 and 0.92 (δ = 0.01 per tail, as in stats).
			const BP, deltaP = 20000, 0.01
			dl := decide(oraclePolicy(0, 1, 0, BP), false)
			var sb, sc stats.Samples
			for _, r := range rows {
				sb.X, sb.Cluster = append(sb.X, r.LatB), append(sb.Cluster, r.Cluster)
				sc.X, sc.Cluster = append(sc.X, r.LatC), append(sc.Cluster, r.Cluster)
			}
			q := func(level float64) stats.QuantileResult {
				return stats.BootstrapQuantiles(sb, sc, 0.95, stats.BootstrapOptions{Resamples: BP, Seed: pol.Statistics.Seed, Level: level})
			}
			nq, wq := q(L-2*deltaP), q(L+2*deltaP)
			l := dl.Latency
			for _, x := range []struct {
				arm                 string
				gotLo, gotHi        float64
				narrowLo, narrowHi  float64
				wideLo, wideHi, est float64
				gateEst             float64
			}{
				{"b", l.BaselineP95Low, l.BaselineP95High, nq.B.Lo, nq.B.Hi, wq.B.Lo, wq.B.Hi, nq.B.Est, l.BaselineP95},
				{"c", l.CandidateP95Low, l.CandidateP95High, nq.C.Lo, nq.C.Hi, wq.C.Lo, wq.C.Hi, nq.C.Est, l.CandidateP95},
			} {
				checkNear(t, "p95 "+x.arm, x.gateEst, sp.val(t, name, "p95_"+x.arm+"_est", ""), tol, false)
				lo, hi := sp.val(t, name, "p95_"+x.arm+"_lo", "0.9"), sp.val(t, name, "p95_"+x.arm+"_hi", "0.9")
				if !(x.wideLo <= lo && lo <= x.narrowLo) || !(x.wideLo <= x.gotLo && x.gotLo <= x.narrowLo) {
					t.Errorf("p95 %s lower end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", x.arm, x.gotLo, lo, x.wideLo, x.narrowLo)
				}
				if !(x.narrowHi <= hi && hi <= x.wideHi) || !(x.narrowHi <= x.gotHi && x.gotHi <= x.wideHi) {
					t.Errorf("p95 %s upper end: gate %.6g, scipy %.6g, window [%.6g, %.6g]", x.arm, x.gotHi, hi, x.narrowHi, x.wideHi)
				}
			}
		})
	}
}

// The plan before a candidate exists, on the oracle datasets' baselines,
// against make_oracle_cluster.R: per-case variance and design effect of
// the clustered data, and the cost plan from the baseline's spread.
func TestOraclePlanFromBaseline(t *testing.T) {
	t.Parallel()
	oc := readOracleTable(t, "oracle_cluster.csv")
	for _, name := range []string{"single", "clustered"} {
		p := oraclePaired(t, readOracleRows(t, name))
		plan, err := gate.PlanPowerFromBaseline(p.Arms[0], oraclePolicy(0, 1, 0, 2000))
		if err != nil {
			t.Fatal(err)
		}
		checkNear(t, name+" cost v", plan.CostVariance, oc.val(t, name, "base_plan_cost_v", ""), 1e-9, false)
		checkNear(t, name+" cost n", plan.CostCasesNeeded, oc.val(t, name, "base_plan_cost_n", ""), 0, false)
		if name == "clustered" {
			checkNear(t, name+" sigma2", plan.Sigma2, oc.val(t, name, "base_plan_sigma2", ""), 1e-9, false)
			checkNear(t, name+" deff", plan.DEff, oc.val(t, name, "base_plan_deff", ""), 1e-9, false)
			checkNear(t, name+" n", plan.CasesNeeded, oc.val(t, name, "base_plan_n", ""), 0, false)
		}
	}
}

// wildTol is the tolerance of a wild-bootstrap p-value near p from B draws
// against R's from 10⁶: 4.5 Monte Carlo standard errors of each.
func wildTol(p float64, B int) float64 {
	v := p * (1 - p)
	return 4.5*(math.Sqrt(v/float64(B))+math.Sqrt(v/1e6)) + 1e-9
}

// segP returns the gate's segment p-values as R computes them (the larger
// of CR2's and the wild bootstrap's), in workflow order.
func segP(t *testing.T, oc oracleTable, name, tag, drop string) []float64 {
	var p []float64
	for _, w := range oracleWorkflows {
		key := w + ":" + drop
		p = append(p, math.Max(oc.val(t, name, tag+"_cr2_p", key), oc.val(t, name, tag+"_wild_p", key)))
	}
	return p
}
