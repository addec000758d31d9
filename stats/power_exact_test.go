package stats

import (
	"math"
	"testing"
)

// tangoExactPower returns the exact probability that Tango's one-sided
// level-alpha score test rejects H0 Δ <= m (TangoZ >= z_{1−α}) on n pairs
// drawn with P(C=1,B=0) = p10 and P(C=0,B=1) = p01: the sum of the
// multinomial probabilities of the counts (b, c) it rejects on.
func tangoExactPower(n int, p10, p01, m, alpha float64) float64 {
	za := NormalQuantile(1 - alpha)
	lf := make([]float64, n+1) // log k!
	for k := 1; k <= n; k++ {
		lf[k] = lf[k-1] + math.Log(float64(k))
	}
	// k·log p, with 0·log 0 = 0 and k·log 0 = −Inf for k > 0.
	klog := func(k int, p float64) float64 {
		if k == 0 {
			return 0
		}
		return float64(k) * math.Log(p)
	}
	total := 0.0
	for b := 0; b <= n; b++ {
		for c := 0; b+c <= n; c++ {
			if TangoZ(b, c, n, m) < za {
				continue
			}
			lp := lf[n] - lf[b] - lf[c] - lf[n-b-c] + klog(b, p10) + klog(c, p01) + klog(n-b-c, 1-p10-p01)
			total += math.Exp(lp)
		}
	}
	return total
}

// TestNamExactPower checks ConnorNMargin (Nam 1997) against the exact power
// of Tango's test, with no Monte Carlo error: at ⌈n⌉ pairs the test
// reaches the target power (to within 0.01, for the sawtooth of a discrete
// test), and with at least 20 expected discordant pairs (n·ψ >= 20) it
// exceeds it by at most 0.035. Below that Nam's first-order formula is
// conservative (methods.md §6). The unrestricted null variance ψ − m²
// that ftgate used before fails the first check: at ψ = .2, δ = 0,
// m = −.1 its 120 pairs give 0.768 at a target of 0.80, at ψ = .08,
// δ = .03, m = −.06 its 60 pairs 0.741.
func TestNamExactPower(t *testing.T) {
	t.Parallel()
	type setting struct{ psi, delta, m float64 }
	settings := []setting{{0.2, 0.05, -0.05}, {0.1, 0.08, 0.04}, {0.08, 0.03, -0.06}} // the calibration rows
	for _, psi := range []float64{0.1, 0.2, 0.3} {
		for _, m := range []float64{-0.1, -0.05, 0.05} {
			for _, f := range []float64{0, 0.5} {
				if d := f * psi; d > m {
					settings = append(settings, setting{psi, d, m})
				}
			}
		}
	}
	for _, s := range settings {
		for _, target := range []float64{0.8, 0.9} {
			n := int(math.Ceil(ConnorNMargin(s.psi, s.delta, s.m, 0.05, target)))
			if n > 2000 {
				continue
			}
			p := tangoExactPower(n, (s.psi+s.delta)/2, (s.psi-s.delta)/2, s.m, 0.05)
			if p < target-0.01 {
				t.Errorf("ψ=%v δ=%v m=%v: Tango's exact power at n = %d is %.4f, below the target %v", s.psi, s.delta, s.m, n, p, target)
			}
			if float64(n)*s.psi >= 20 && p > target+0.035 {
				t.Errorf("ψ=%v δ=%v m=%v: Tango's exact power at n = %d is %.4f, far above the target %v", s.psi, s.delta, s.m, n, p, target)
			}
		}
	}
}
