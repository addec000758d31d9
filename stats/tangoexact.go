package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// TangoExactGamma is the γ of the Berger–Boos p-value of TangoExactUpper:
// the nuisance parameter is searched over a 1 − γ confidence interval, and
// γ is added to the supremum.
const TangoExactGamma = 0.001

// tangoExactGrid is the number of cells of the nuisance grid searched
// before the best cell is refined by golden-section search.
const tangoExactGrid = 128

// TangoExactUpper returns the exact unconditional p-value of Tango's score
// statistic for H0 Δ <= m against H1 Δ > m (Δ = p_C − p_B of paired
// proportions observed on n pairs, b = #(C=1, B=0), c = #(C=0, B=1)), by
// Berger and Boos's (1994) method: the probability, under the null, of a
// statistic at least as large as the observed one, maximised over a
// confidence interval for the nuisance parameter, plus its error rate γ:
//
//	p = min(1, sup_{ψ ∈ C_γ} P_{Δ*(ψ), ψ}(Z >= z_obs) + γ),
//
// with Z = TangoZ(·, ·, n, m), ψ the discordant share, C_γ the two-sided
// 1 − γ Clopper–Pearson interval for ψ from b + c discordant pairs (their
// count is Binomial(n, ψ) whatever Δ is) and γ = TangoExactGamma. At a
// given ψ the probability is largest at the null point with the largest
// Δ (the rejection region is monotone in b − c), Δ* = min(m, ψ): for
// m >= 0 the boundary Δ = m when ψ >= m, else every discordant pair the
// candidate's; for m < 0 the boundary Δ = m, possible only when ψ >= −m
// (no point of C_γ allows it: p = γ). The probability is summed exactly
// over the discordant count d ~ Binomial(n, ψ) and b | d ~ Binomial(d, π),
// π = (ψ + Δ*)/(2ψ); the supremum over ψ is taken on a grid of 128 cells
// refined by golden-section search. (Berger R.L., Boos D.D., "P values
// maximised over a confidence set for the nuisance parameter", JASA
// 89:1012–1016, 1994.)
//
// The p-value is valid (its size is at most α at every ψ, up to the
// search's precision) and is meant for few discordant pairs, where the
// normal reference of Tango's test is liberal for a positive margin. It
// costs O(d_max²) evaluations of TangoZ, d_max the largest discordant
// count with non-negligible probability in C_γ. It panics unless
// 0 <= b, 0 <= c, b + c <= n and −1 < m < 1.
func TangoExactUpper(b, c, n int, m float64) float64 {
	checkCounts("TangoExactUpper", b, c)
	if b+c > n || !(m > -1 && m < 1) {
		panic(fmt.Sprintf("stats: TangoExactUpper b=%d, c=%d, n=%d, m=%v out of range", b, c, n, m))
	}
	if n == 0 {
		return 1
	}
	psiLo, psiHi := clopperPearson(b+c, n, 1-TangoExactGamma)
	if m < 0 {
		psiLo = math.Max(psiLo, -m)
	}
	if psiLo > psiHi {
		// No discordant share in the confidence interval allows a null Δ.
		return TangoExactGamma
	}
	r := newTangoRegion(b, c, n, m, psiHi)
	sup := maximise(r.prob, psiLo, psiHi, tangoExactGrid)
	return math.Min(1, sup+TangoExactGamma)
}

// TangoExactLower is TangoExactUpper for H0 Δ >= m against H1 Δ < m: the
// same test with the arms swapped, TangoExactUpper(c, b, n, −m).
func TangoExactLower(b, c, n int, m float64) float64 {
	return TangoExactUpper(c, b, n, -m)
}

// tangoRegion is the rejection region {Z >= z_obs} of Tango's statistic,
// stored per discordant count d as the smallest b with (b, d − b) in the
// region (Z increases with b at fixed d; cut[d] = d + 1 when none is).
type tangoRegion struct {
	n   int
	m   float64
	cut []int
}

func newTangoRegion(b, c, n int, m, psiHi float64) tangoRegion {
	z := TangoZ(b, c, n, m)
	tol := 1e-9 * math.Max(1, math.Abs(z))
	r := tangoRegion{n: n, m: m, cut: make([]int, binomUpperEdge(n, psiHi)+1)}
	for d := range r.cut {
		// Bisect for the first b in [0, d] whose statistic reaches z.
		lo, hi := 0, d+1
		for lo < hi {
			mid := (lo + hi) / 2
			if TangoZ(mid, d-mid, n, m) >= z-tol {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		r.cut[d] = lo
	}
	return r
}

// prob returns P(Z >= z_obs) at the null point of discordant share psi.
func (r tangoRegion) prob(psi float64) float64 {
	delta := math.Min(r.m, psi)
	if psi <= 0 {
		if r.cut[0] == 0 {
			return 1
		}
		return 0
	}
	pi := math.Min(1, math.Max(0, (psi+delta)/(2*psi)))
	var total float64
	for d, k := range r.cut {
		if k > d {
			continue
		}
		pd := binomPMF(d, r.n, psi)
		if pd == 0 {
			continue
		}
		total += pd * binomUpper(k, d, pi)
	}
	return math.Min(1, total)
}

// binomPMF returns P(X = k) for X ~ Binomial(n, p).
func binomPMF(k, n int, p float64) float64 {
	switch {
	case p <= 0:
		if k == 0 {
			return 1
		}
		return 0
	case p >= 1:
		if k == n {
			return 1
		}
		return 0
	}
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	return math.Exp(lg(n) - lg(k) - lg(n-k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}

// binomUpper returns P(X >= k) for X ~ Binomial(n, p), 0 <= k <= n.
func binomUpper(k, n int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// binomUpperEdge returns the smallest d such that P(X > d) < 1e-15 for
// X ~ Binomial(n, p) (n when there is none).
func binomUpperEdge(n int, p float64) int {
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	d := min(n, int(math.Ceil(mean+9*sd+10)))
	for d < n && binomUpper(d+1, n, p) >= 1e-15 {
		d = min(n, d+max(1, d/4))
	}
	return d
}

// clopperPearson returns the two-sided Clopper–Pearson interval at the
// given level for x successes in n trials, from the beta quantiles
// (Clopper C.J., Pearson E.S., Biometrika 26:404–413, 1934).
func clopperPearson(x, n int, level float64) (lo, hi float64) {
	a := (1 - level) / 2
	lo, hi = 0, 1
	if x > 0 {
		lo = mathext.InvRegIncBeta(float64(x), float64(n-x+1), a)
	}
	if x < n {
		hi = mathext.InvRegIncBeta(float64(x+1), float64(n-x), 1-a)
	}
	return lo, hi
}

// maximise returns the largest value of f on [lo, hi]: f at the ends of
// cells equal cells, then a golden-section search in the two cells around
// the best point.
func maximise(f func(float64) float64, lo, hi float64, cells int) float64 {
	if hi <= lo {
		return f(lo)
	}
	best, bestX := math.Inf(-1), lo
	step := (hi - lo) / float64(cells)
	for k := 0; k <= cells; k++ {
		x := lo + step*float64(k)
		if k == cells {
			x = hi
		}
		if v := f(x); v > best {
			best, bestX = v, x
		}
	}
	a, b := math.Max(lo, bestX-step), math.Min(hi, bestX+step)
	const g = 0.6180339887498949
	x1, x2 := b-g*(b-a), a+g*(b-a)
	f1, f2 := f(x1), f(x2)
	for i := 0; i < 60 && b-a > 1e-12*math.Max(1, hi); i++ {
		if f1 >= f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - g*(b-a)
			f1 = f(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + g*(b-a)
			f2 = f(x2)
		}
	}
	return math.Max(best, math.Max(f1, f2))
}
