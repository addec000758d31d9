package stats

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"testing"

	oracletable "github.com/ftgate/ftgate/internal/oracle"
)

// seqOracle reads the values make_sequential.R recorded.
func seqOracle(t *testing.T) oracle {
	t.Helper()
	return readOracle(t, "oracle_sequential.csv")
}

func oracleFloat(t *testing.T, o oracle, dataset, quantity, param string) float64 {
	t.Helper()
	return o.must(t, dataset, quantity, param)
}

func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// seqCase is one case of an oracle dataset, reduced to its means.
type seqCase struct {
	id                       int
	cluster                  int
	accB, accC, costB, costC float64
	samples                  float64
}

// readCaseMeans reads an oracle dataset and returns its cases in numeric
// id order (the order make_sequential.R uses as the betting stream).
func readCaseMeans(t *testing.T, name string) []seqCase {
	t.Helper()
	byID := map[int]*seqCase{}
	for _, r := range oracletable.Rows(t, filepath.Join(oracleDir, name)) {
		c, ok := byID[r.Case]
		if !ok {
			c = &seqCase{id: r.Case, cluster: r.Cluster}
			byID[r.Case] = c
		}
		c.accB += r.AccB
		c.accC += r.AccC
		c.costB += r.CostB
		c.costC += r.CostC
		c.samples++
	}
	var out []seqCase
	for _, c := range byID {
		k := c.samples
		c.accB, c.accC, c.costB, c.costC = c.accB/k, c.accC/k, c.costB/k, c.costC/k
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func TestOracleSeqTuning(t *testing.T) {
	o := seqOracle(t)
	for _, a := range []float64{0.05, 0.025, 0.1, 0.01} {
		want := oracleFloat(t, o, "seq", "best_x", fmt.Sprint(a))
		// Both find the root of the derivative; the tuned radius follows.
		if got := seqBestX(a); !near(got, want, 1e-12) {
			t.Errorf("best x at alpha %v = %v, R %v", a, got, want)
		}
		if got, want := SeqRadius(1000, SeqRho2(1000, a), a), SeqRadius(1000, want/1000, a); !near(got, want, 1e-12) {
			t.Errorf("tuned radius at alpha %v = %v, R %v", a, got, want)
		}
	}
	for _, tt := range []float64{1, 10, 100, 1000, 12345} {
		for _, rho2 := range []float64{1e-4, 0.007, 0.5} {
			for _, a := range []float64{0.05, 0.01} {
				key := fmt.Sprintf("%v:%v:%v", tt, rho2, a)
				if got, want := SeqRadius(tt, rho2, a), oracleFloat(t, o, "seq", "radius", key); !near(got, want, 1e-12) {
					t.Errorf("SeqRadius(%s) = %v, R %v", key, got, want)
				}
			}
		}
	}
}

func TestOracleSeqMeanAndRatio(t *testing.T) {
	o := seqOracle(t)
	for _, ds := range []string{"single", "clustered"} {
		cases := readCaseMeans(t, ds+".csv")
		n := len(cases)
		d, cl := make([]float64, n), make([]int, n)
		rd := RatioData{CostB: make([]float64, n), AccB: make([]float64, n), CostC: make([]float64, n), AccC: make([]float64, n), Cluster: cl}
		for i, c := range cases {
			d[i], cl[i] = c.accC-c.accB, c.cluster
			rd.CostB[i], rd.AccB[i], rd.CostC[i], rd.AccC[i] = c.costB, c.accB, c.costC, c.accC
		}
		for _, m := range []float64{0, -0.05, 0.1} {
			for _, nplan := range []float64{50, 400} {
				key := fmt.Sprintf("%v:%v", m, nplan)
				r := SeqMean(d, cl, m, 0.05, SeqRho2(nplan, 0.05))
				for _, c := range []struct {
					q   string
					got float64
				}{{"est", r.Estimate}, {"sd", r.SD}, {"radius", r.Radius}, {"lo", r.Lo}, {"hi", r.Hi},
					{"p_upper", r.PUpper}, {"p_lower", r.PLower}, {"G", float64(r.G)}} {
					if want := oracleFloat(t, o, ds, "seqmean_"+c.q, key); !near(c.got, want, 1e-9) {
						t.Errorf("%s SeqMean %s %s = %v, R %v", ds, key, c.q, c.got, want)
					}
				}
			}
		}
		for _, r0 := range []float64{1, 0.8, 1.5} {
			for _, nplan := range []float64{50, 400} {
				key := fmt.Sprintf("%v:%v", r0, nplan)
				r := SeqRatio(rd, r0, 0.05, SeqRho2(nplan, 0.05))
				for _, c := range []struct {
					q   string
					got float64
				}{{"est", r.Estimate}, {"sd", r.SD}, {"lo", r.Lo}, {"hi", r.Hi}, {"p_lower", r.PLower}, {"p_upper", r.PUpper}} {
					if want := oracleFloat(t, o, ds, "seqratio_"+c.q, key); !near(c.got, want, 1e-9) {
						t.Errorf("%s SeqRatio %s %s = %v, R %v", ds, key, c.q, c.got, want)
					}
				}
			}
		}
	}
}

func TestOracleBetMean(t *testing.T) {
	o := seqOracle(t)
	for _, ds := range []string{"single", "zero_discordant"} {
		cases := readCaseMeans(t, ds+".csv")
		x := make([]float64, len(cases))
		for i, c := range cases {
			x[i] = c.accC - c.accB
		}
		for _, m := range []float64{0, -0.05, 0.1} {
			for _, nplan := range []float64{20, 200} {
				key := fmt.Sprintf("%v:%v", m, nplan)
				r := BetMean(x, m, 0.05, nplan)
				for _, c := range []struct {
					q   string
					got float64
					tol float64
				}{{"p_upper", r.PUpper, 1e-12}, {"p_lower", r.PLower, 1e-12}, {"logw_up", r.MaxLogWealthUp, 1e-12},
					{"logw_down", r.MaxLogWealthDown, 1e-12}, {"lo", r.Lo, 1e-9}, {"hi", r.Hi, 1e-9}} {
					if want := oracleFloat(t, o, ds, "bet_"+c.q, key); !near(c.got, want, c.tol) {
						t.Errorf("%s BetMean %s %s = %v, R %v", ds, key, c.q, c.got, want)
					}
				}
			}
		}
	}
}

// The simulated course of the asymptotic sequence agrees with R's
// numerical integration of the same Brownian approximation, and the
// simulated course of the betting sequence with R's own simulation.
func TestOracleSeqPlans(t *testing.T) {
	o := seqOracle(t)
	for _, pp := range [][6]float64{{0.05, 0.45, 0, 700, 100, 6000}, {0.03, 0.5, -0.02, 1500, 250, 12000}, {0, 0.45, 0, 700, 100, 3000}} {
		key := fmt.Sprintf("%v:%v:%v:%v:%v:%v", pp[0], pp[1], pp[2], pp[3], pp[4], pp[5])
		p := SeqPlanNormal(pp[0], pp[1], pp[2], SeqPlanOptions{Alpha: 0.05, NPlan: pp[3], Batch: int(pp[4]), Max: int(pp[5]), Target: 0.9, Seed: 7})
		want := oracleFloat(t, o, "plan_normal", "expected_units", key)
		if math.Abs(p.ExpectedUnits-want) > 4*p.ExpectedUnitsSE {
			t.Errorf("SeqPlanNormal %s expected units %v ± %v, R %v", key, p.ExpectedUnits, p.ExpectedUnitsSE, want)
		}
		met := oracleFloat(t, o, "plan_normal", "met", key)
		if se := math.Sqrt(met*(1-met)/float64(p.Paths)) + 1e-4; math.Abs(p.Met-met) > 4*se {
			t.Errorf("SeqPlanNormal %s met %v, R %v", key, p.Met, met)
		}
		upow := oracleFloat(t, o, "plan_normal", "units_for_power", key)
		if !(math.IsInf(upow, 1) && math.IsInf(p.UnitsForPower, 1)) && math.Abs(p.UnitsForPower-upow) > pp[4] {
			t.Errorf("SeqPlanNormal %s units for power %v, R %v (one look of %v allowed)", key, p.UnitsForPower, upow, pp[4])
		}
	}
	for _, pp := range [][6]float64{{0.125, 0.075, 0, 500, 50, 4000}, {0.1, 0.1, -0.05, 300, 100, 3000}} {
		key := fmt.Sprintf("%v:%v:%v:%v:%v:%v", pp[0], pp[1], pp[2], pp[3], pp[4], pp[5])
		p := SeqPlanBet(pp[0], pp[1], pp[2], SeqPlanOptions{Alpha: 0.05, NPlan: pp[3], Batch: int(pp[4]), Max: int(pp[5]), Target: 0.9, Seed: 7})
		want := oracleFloat(t, o, "plan_bet", "expected_units", key)
		wantSE := oracleFloat(t, o, "plan_bet", "expected_units_se", key)
		if se := math.Hypot(p.ExpectedUnitsSE, wantSE); math.Abs(p.ExpectedUnits-want) > 4*se {
			t.Errorf("SeqPlanBet %s expected units %v ± %v, R %v ± %v", key, p.ExpectedUnits, p.ExpectedUnitsSE, want, wantSE)
		}
	}
}

// Hand values: the radius at t = 100, ρ² = 0.01, α = 0.05 is
// sqrt(2·2/(100²·0.01)·log(1 + sqrt(2)/0.1)) = sqrt(0.04·log(15.1421356)).
func TestSeqRadiusHand(t *testing.T) {
	want := math.Sqrt(0.04 * math.Log(1+math.Sqrt2/0.1))
	if got := SeqRadius(100, 0.01, 0.05); math.Abs(got-want) > 1e-15 {
		t.Errorf("SeqRadius(100, 0.01, 0.05) = %v, want %v", got, want)
	}
	if got := SeqRadius(0, 0.01, 0.05); !math.IsInf(got, 1) {
		t.Errorf("SeqRadius at t = 0 = %v, want +Inf", got)
	}
	// p at the bound is α: the estimate one radius above the null.
	rho2 := SeqRho2(300, 0.05)
	r := SeqRadius(300, rho2, 0.05)
	if got := seqP(0.7*r, 0.7, 300, rho2); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("p at the bound = %v, want 0.05", got)
	}
}

func TestSeqMeanDegenerate(t *testing.T) {
	rho2 := SeqRho2(100, 0.05)
	tests := []struct {
		name    string
		d       []float64
		cluster []int
		warn    error
	}{
		{"empty", nil, nil, ErrEmpty},
		{"one cluster", []float64{1, 0, 1}, []int{4, 4, 4}, ErrFewClusters},
		// every cluster gains exactly 1/3: the rounding of 1/3 must not
		// pass for evidence
		{"identical clusters", []float64{1, 0, 0, 1, 0, 0, 1, 0, 0}, []int{0, 0, 0, 1, 1, 1, 2, 2, 2}, ErrZeroSE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := SeqMean(tc.d, tc.cluster, 0, 0.05, rho2)
			found := false
			for _, w := range r.Warnings {
				found = found || errors.Is(w, tc.warn)
			}
			if !found {
				t.Errorf("warnings %v, want %v", r.Warnings, tc.warn)
			}
			if r.PUpper != 1 || r.PLower != 1 || !math.IsInf(r.Lo, -1) || !math.IsInf(r.Hi, 1) {
				t.Errorf("got p %v/%v and bounds [%v, %v]; want no evidence", r.PUpper, r.PLower, r.Lo, r.Hi)
			}
		})
	}
}

func TestSeqRatioUndefined(t *testing.T) {
	d := RatioData{CostB: []float64{1, 2}, AccB: []float64{1, 1}, CostC: []float64{1, 1}, AccC: []float64{0, 0}, Cluster: []int{0, 1}}
	r := SeqRatio(d, 1, 0.05, 0.01)
	if r.PLower != 1 || r.PUpper != 1 {
		t.Errorf("no accepted candidate outcome: p %v/%v, want 1", r.PLower, r.PUpper)
	}
}

// The betting bounds are the edges of the rejected null values: just
// inside them the p-value is at most α, just outside it is above.
func TestBetMeanBoundsMatchP(t *testing.T) {
	x := make([]float64, 400)
	for i := range x {
		switch i % 10 {
		case 0, 3, 7:
			x[i] = 1
		case 5:
			x[i] = -1
		}
	}
	r := BetMean(x, 0, 0.05, 200)
	if !(r.Lo > 0 && r.Lo < r.Mean && r.Hi > r.Mean) {
		t.Fatalf("bounds [%v, %v] around mean %v", r.Lo, r.Hi, r.Mean)
	}
	for _, c := range []struct {
		m    float64
		want bool
	}{{r.Lo - 1e-6, true}, {r.Lo + 1e-6, false}} {
		if got := BetMean(x, c.m, 0.05, 200).PUpper <= 0.05; got != c.want {
			t.Errorf("PUpper ≤ α at m = %v: %v, want %v", c.m, got, c.want)
		}
	}
	for _, c := range []struct {
		m    float64
		want bool
	}{{r.Hi + 1e-6, true}, {r.Hi - 1e-6, false}} {
		if got := BetMean(x, c.m, 0.05, 200).PLower <= 0.05; got != c.want {
			t.Errorf("PLower ≤ α at m = %v: %v, want %v", c.m, got, c.want)
		}
	}
}

func TestBetMeanPanics(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"value above 1", func() { BetMean([]float64{2}, 0, 0.05, 10) }},
		{"margin -1", func() { BetMean([]float64{0}, -1, 0.05, 10) }},
		{"planned n 0", func() { BetMean([]float64{0}, 0, 0.05, 0) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			c.f()
		})
	}
}

// Plans are deterministic for a seed and do not depend on GOMAXPROCS.
func TestSeqPlanDeterministic(t *testing.T) {
	o := SeqPlanOptions{Alpha: 0.05, NPlan: 300, Batch: 50, Max: 3000, Target: 0.9, Seed: 3, Paths: 2500}
	a := SeqPlanBet(0.12, 0.06, 0, o)
	b := SeqPlanBet(0.12, 0.06, 0, o)
	if a != b {
		t.Errorf("two runs differ: %+v and %+v", a, b)
	}
}
