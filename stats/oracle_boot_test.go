package stats

import (
	"math"
	"sort"
	"testing"
)

// Bootstrap oracle: scipy.stats.bootstrap (make_oracle.py) with B = 200 000
// (BCa) and 20 000 (percentile), against this package with the same B and a
// fixed seed. The two use different random numbers, so they agree only within
// Monte Carlo error, and the tolerances are stated in the currency that
// error comes in:
//
//   - Interval ends, in level space: scipy's end must lie between this
//     package's ends at nominal levels L − 2δ and L + 2δ (each tail moved by
//     δ), δ = 0.005 for BCa at B = 200 000 and δ = 0.01 for the percentile
//     interval at B = 20 000. The Monte Carlo standard error of a 5% tail
//     level from two independent runs is sqrt(2·0.05·0.95/B) ≈ 0.0007 and
//     0.0022 (plus, for BCa, about 0.0004 from the estimated z0), so δ is
//     about 4.5 standard errors. Level space also absorbs the jumps between
//     atoms of discrete bootstrap distributions (small data, p95 of a few
//     latencies), where a relative tolerance on the value would be
//     meaningless.
//   - BCa p-values: scipy's null ratio r_L is the upper end of its own BCa
//     interval at level L, so the consistent p at r_L is (1 − L)/2. The
//     package's p must be within 5·sqrt(2·p(1 − p)/B) of it (5 Monte Carlo
//     standard errors of a proportion from two runs), plus half the share of
//     draws tied with log r_L (an atom at r_L moves the mid-rank F̂ by half
//     its mass).
const (
	oracleBootB  = 200000
	oraclePctB   = 20000
	oracleSeed   = 20240611
	deltaBCa     = 0.005
	deltaPct     = 0.01
	pTolMultiple = 5.0
)

func TestOracleBootstrapBCa(t *testing.T) {
	t.Parallel()
	s := readOracle(t, "oracle_scipy.csv")
	for _, name := range datasets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := readDataset(t, name)
			per, tot := d.ratio().clusterSums()
			bt := bootRatio(per, tot, oracleBootB, oracleSeed)
			checkClose(t, "theta", bt.thetaHat, s.must(t, name, "bca_theta", ""), tolClosed)

			const L = 0.9
			wantLo, wantHi := s.must(t, name, "bca_lo", "0.9"), s.must(t, name, "bca_hi", "0.9")
			narrowLo, narrowHi := bt.interval(L - 2*deltaBCa)
			wideLo, wideHi := bt.interval(L + 2*deltaBCa)
			if !(wideLo <= wantLo && wantLo <= narrowLo) {
				t.Errorf("BCa lower end: scipy %.6g outside [%.6g, %.6g] (levels %g..%g)", wantLo, wideLo, narrowLo, L-2*deltaBCa, L+2*deltaBCa)
			}
			if !(narrowHi <= wantHi && wantHi <= wideHi) {
				t.Errorf("BCa upper end: scipy %.6g outside [%.6g, %.6g] (levels %g..%g)", wantHi, narrowHi, wideHi, L-2*deltaBCa, L+2*deltaBCa)
			}

			ps := s.params(name, "bca_null_ratio")
			if len(ps) != 3 {
				t.Fatalf("%d null ratios in oracle, want 3", len(ps))
			}
			for _, level := range ps {
				r := s.must(t, name, "bca_null_ratio", level)
				want := s.must(t, name, "bca_p", level)
				got := bt.p(r)
				theta0 := math.Log(r)
				tied := 0
				for _, v := range bt.theta {
					if math.Abs(v-theta0) <= 1e-9*math.Max(1, math.Abs(theta0)) {
						tied++
					}
				}
				tol := pTolMultiple*math.Sqrt(2*want*(1-want)/oracleBootB) + 0.5*float64(tied)/oracleBootB
				if math.Abs(got-want) > tol {
					t.Errorf("p at r = %.6g (scipy BCa upper end at level %s) = %.5f, want %.5f ± %.5f", r, level, got, want, tol)
				}
			}

			// The exported function agrees with the pieces.
			res := BootstrapRatio(d.ratio(), BootstrapOptions{Resamples: oracleBootB, Seed: oracleSeed, Level: L, NullRatio: 1})
			lo, hi := bt.interval(L)
			if res.Lo != lo || res.Hi != hi || res.P != bt.p(1) || res.Z0 != bt.z0 || res.Accel != bt.accel {
				t.Errorf("BootstrapRatio = %+v, pieces give lo %v hi %v p %v", res, lo, hi, bt.p(1))
			}
		})
	}
}

func TestOracleBootstrapPercentile(t *testing.T) {
	t.Parallel()
	s := readOracle(t, "oracle_scipy.csv")
	for _, name := range datasets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := readDataset(t, name)
			for arm, x := range map[string][]float64{"b": d.latB, "c": d.latC} {
				q := func(level float64) (est, lo, hi float64) {
					return BootstrapQuantile(x, d.sampleCluster, 0.95, BootstrapOptions{Resamples: oraclePctB, Seed: oracleSeed, Level: level})
				}
				est, _, _ := q(0.9)
				sorted := append([]float64(nil), x...)
				sort.Float64s(sorted)
				checkClose(t, "p95 "+arm, est, s.must(t, name, "p95_"+arm+"_est", ""), tolClosed)
				checkClose(t, "p95 "+arm+" vs Quantile7", est, Quantile7(sorted, 0.95), tolClosed)
				_, narrowLo, narrowHi := q(0.9 - 2*deltaPct)
				_, wideLo, wideHi := q(0.9 + 2*deltaPct)
				wantLo, wantHi := s.must(t, name, "p95_"+arm+"_lo", "0.9"), s.must(t, name, "p95_"+arm+"_hi", "0.9")
				if !(wideLo <= wantLo && wantLo <= narrowLo) {
					t.Errorf("p95 %s lower end: scipy %.6g outside [%.6g, %.6g]", arm, wantLo, wideLo, narrowLo)
				}
				if !(narrowHi <= wantHi && wantHi <= wideHi) {
					t.Errorf("p95 %s upper end: scipy %.6g outside [%.6g, %.6g]", arm, wantHi, narrowHi, wideHi)
				}
			}
		})
	}
}

// TestOracleBootstrapWindowBites checks that the level windows of the
// bootstrap oracle are narrow enough to fail: a clearly different level
// (0.80 instead of 0.90) must fall outside them.
func TestOracleBootstrapWindowBites(t *testing.T) {
	t.Parallel()
	s := readOracle(t, "oracle_scipy.csv")
	d := readDataset(t, "clustered")
	per, tot := d.ratio().clusterSums()
	bt := bootRatio(per, tot, oracleBootB, oracleSeed)
	_, narrowHi := bt.interval(0.8 - 2*deltaBCa)
	_, wideHi := bt.interval(0.8 + 2*deltaBCa)
	if want := s.must(t, "clustered", "bca_hi", "0.9"); narrowHi <= want && want <= wideHi {
		t.Errorf("level-0.80 window [%v, %v] contains the level-0.90 end %v", narrowHi, wideHi, want)
	}
	if got, want := bt.p(s.must(t, "clustered", "bca_null_ratio", "0.6")), 0.05; math.Abs(got-want) <= pTolMultiple*math.Sqrt(2*want*(1-want)/oracleBootB) {
		t.Errorf("p at the level-0.6 end %v is within tolerance of 0.05", got)
	}
}
