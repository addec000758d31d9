package gate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The sequential decisions are met when p <= α, as the fixed-sample ones
// are (TestMetAtPEqualsAlpha). Here α also tunes the confidence sequences
// (the mixing parameter, the betting fractions), so the p-value moves with
// α. With power.effect at the margin and power.cost_ratio at the limit
// there is no plan (whose whole cases would make p jump as α moves): the
// sequences are tuned to the first batch, and p(α) is continuous up to
// rounding. Bisection finds adjacent floats lo < hi with p(lo) > lo and
// p(hi) <= hi; the decision must not be met at lo (a rule that ignored α
// would be). Near p(lo) there is usually a float with p(α) = α exactly
// (p is flat over tens of floats, then steps by a few tens as the mixing
// parameter's last bits change), where the decision must be met (a
// "p < α" is not); a data set whose crossing falls in a step (or whose p
// cannot be bracketed) is replaced by the next one.
func TestSequentialMetAtPEqualsAlpha(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name   string
		make   func(rng *rand.Rand) *seqSim
		cost   bool
		method string
	}{
		{"quality, betting", func(rng *rand.Rand) *seqSim { return singleStream(rng, 4, 150, 0.1, 0.05) }, false, SeqBetting},
		{"quality, asymptotic", func(rng *rand.Rand) *seqSim { return clusterStream(rng, 4, 80, 0.08) }, false, SeqAsymptotic},
		{"cost, delta method", func(rng *rand.Rand) *seqSim {
			s := costStream(rng, 4, 150)
			for _, ss := range s.cand.samples {
				for _, x := range ss {
					*x.CostUSD *= 0.8
				}
			}
			return s
		}, true, SeqDelta},
	} {
		found := false
		for seed := uint64(1); seed <= 10 && !found; seed++ {
			s := r.make(rand.New(rand.NewPCG(seed, 17)))
			eval := func(alpha float64) (p float64, met bool) {
				pol := seqPolicy()
				pol.Alpha = alpha
				pol.Power.Effect = ptrFloat(pol.Quality.MinGain)
				pol.Power.CostRatio = ptrFloat(pol.Cost.MaxRatio)
				sq := s.decide(pol, r.cost)
				if sq.PlannedCases != float64(firstBatch(s)) {
					t.Fatalf("%s: tuned to %v cases, not the first batch's %d", r.name, sq.PlannedCases, firstBatch(s))
				}
				b := sq.Quality
				if r.cost {
					b = sq.Cost
				}
				if b.Method != r.method {
					t.Fatalf("%s: method %s", r.name, b.Method)
				}
				return b.PValue, b.Met
			}
			lo, hi := 1e-9, 0.45
			if p, _ := eval(lo); !(p > lo) {
				continue // evidence too strong to bracket
			}
			if p, _ := eval(hi); !(p < hi) {
				continue // too weak
			}
			for {
				mid := lo + (hi-lo)/2
				if mid == lo || mid == hi {
					break
				}
				if p, _ := eval(mid); p > mid {
					lo = mid
				} else {
					hi = mid
				}
			}
			p, met := eval(lo)
			if met {
				t.Errorf("%s: at α = %v below p = %v: met", r.name, lo, p)
			}
			t.Logf("%s: seed %d, p = %v", r.name, seed, p)
			up, down := p, p
			for k := 0; k < 40 && !found; k++ {
				xs := []float64{up, down}
				if k == 0 {
					xs = xs[:1]
				}
				for _, x := range xs {
					if q, met := eval(x); q == x {
						found = true
						if !met {
							t.Errorf("%s: at α = p = %v: not met", r.name, x)
						}
					}
				}
				up, down = math.Nextafter(up, 1), math.Nextafter(down, 0)
			}
		}
		if !found {
			t.Errorf("%s: no data set with p(α) = α at a float α", r.name)
		}
	}
}

// firstBatch counts the cases of a stream that arrive in its first look.
func firstBatch(s *seqSim) int {
	n := 0
	for _, l := range s.lookC {
		if len(l) > 0 && l[0] == 1 {
			n++
		}
	}
	return n
}
