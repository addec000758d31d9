package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// binomHalfCDF returns P(X <= k) for X ~ Binomial(n, 1/2), from the
// regularized incomplete beta function: P(X <= k) = I_{1/2}(n−k, k+1).
func binomHalfCDF(k, n int) float64 {
	switch {
	case k < 0:
		return 0
	case k >= n:
		return 1
	}
	if n <= exactBinomMax {
		// The sum of binomial coefficients is an integer below 2^62:
		// one rounding to float64, then an exact scaling by 2^−n, so
		// that P(X <= 1 | n = 3) is 1/8 and not 1/8 − 3e-17.
		var sum, coef uint64 = 0, 1
		for i := 0; i <= k; i++ {
			sum += coef
			coef = coef * uint64(n-i) / uint64(i+1)
		}
		return math.Ldexp(float64(sum), -n)
	}
	return mathext.RegIncBeta(float64(n-k), float64(k+1), 0.5)
}

// exactBinomMax is the largest n whose binomial coefficients binomHalfCDF
// sums exactly in 64 bits (C(n, i)·(n − i) stays below 2^64 up to n = 62).
const exactBinomMax = 62

func checkCounts(fn string, b, c int) {
	if b < 0 || c < 0 {
		panic(fmt.Sprintf("stats: %s counts b=%d, c=%d must be non-negative", fn, b, c))
	}
}

// McNemarUpper returns the one-sided p-value of the exact McNemar test for
// H1 "the candidate is accepted more often": P(X >= b) with
// X ~ Binomial(b+c, 1/2), where b counts pairs accepted by the candidate only
// and c pairs accepted by the baseline only (McNemar 1947; the conditional
// binomial form, as R's binom.test(b, b+c, 0.5, alternative = "greater")).
// It returns 1 when b + c = 0. It panics on negative counts.
func McNemarUpper(b, c int) float64 {
	checkCounts("McNemarUpper", b, c)
	// P(X >= b) = P(n − X <= c) and n − X ~ Binomial(n, 1/2) too.
	return binomHalfCDF(c, b+c)
}

// McNemarLower returns the lower one-sided p-value of the exact McNemar test,
// P(X <= b) with X ~ Binomial(b+c, 1/2) (R's binom.test(b, b+c, 0.5,
// alternative = "less")); it is the segment-regression test of methods.md §5.
// It returns 1 when b + c = 0. It panics on negative counts.
func McNemarLower(b, c int) float64 {
	checkCounts("McNemarLower", b, c)
	return binomHalfCDF(b, b+c)
}

// TangoZ returns Tango's (1998) score statistic for H0 Δ = delta0, where
// Δ = p_C − p_B is the difference of two paired proportions observed on n
// pairs, b = #(C=1, B=0) and c = #(C=0, B=1):
//
//	Z = (b − c − n·Δ0) / sqrt(n·(2·q̂ + Δ0·(1 − Δ0)))
//
// with q̂ the maximum-likelihood estimate of P(C=0, B=1) under the constraint
// Δ = Δ0, the root q̂ = (sqrt(B² − 4AC) − B)/(2A) of A q² + B q + C = 0,
// A = 2n, B = −b − c + (2n − b + c)·Δ0, C = −c·Δ0·(1 − Δ0)
// (Tango T., "Equivalence test and confidence interval for the difference in
// proportions for the paired-sample design", Statistics in Medicine 17:891–908,
// 1998). Z is positive when the observed difference exceeds delta0.
//
// When the variance vanishes (b = c = 0 with Δ0 = 0, or Δ0 = ±1) Z is the
// limit by sign: +Inf, −Inf, or 0 when the numerator is 0 too.
// It panics unless 0 <= b, 0 <= c, b + c <= n and −1 <= delta0 <= 1.
func TangoZ(b, c, n int, delta0 float64) float64 {
	checkCounts("TangoZ", b, c)
	if b+c > n {
		panic(fmt.Sprintf("stats: TangoZ b+c=%d exceeds n=%d", b+c, n))
	}
	if !(delta0 >= -1 && delta0 <= 1) {
		panic(fmt.Sprintf("stats: TangoZ delta0 %v outside [-1, 1]", delta0))
	}
	if n == 0 {
		return 0
	}
	N, B, C, d := float64(n), float64(b), float64(c), delta0
	qa := 2 * N
	qb := -B - C + (2*N-B+C)*d
	qc := -C * d * (1 - d)
	disc := qb*qb - 4*qa*qc
	if disc < 0 { // only by rounding: qc <= 0 makes disc >= qb²
		disc = 0
	}
	q21 := (math.Sqrt(disc) - qb) / (2 * qa)
	num := B - C - N*d
	v := N * (2*q21 + d*(1-d))
	if v <= 0 || math.IsNaN(v) {
		switch {
		case num > 0:
			return math.Inf(1)
		case num < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return num / math.Sqrt(v)
}

// TangoInterval returns Tango's (1998) two-sided score confidence interval
// at the given level for Δ = p_C − p_B: the set of Δ0 in [−1, 1] whose
// two-sided score test does not reject, with endpoints the roots of
// TangoZ(b, c, n, Δ0) = ±z_{(1+level)/2}, found by bisection to full float64
// precision. The lower end is the one-sided (1+level)/2 lower confidence
// bound. With n = 0 the interval is [−1, 1].
// It panics on invalid counts or a level outside (0, 1).
func TangoInterval(b, c, n int, level float64) (lo, hi float64) {
	checkLevel("TangoInterval", level)
	checkCounts("TangoInterval", b, c)
	if b+c > n {
		panic(fmt.Sprintf("stats: TangoInterval b+c=%d exceeds n=%d", b+c, n))
	}
	if n == 0 {
		return -1, 1
	}
	z := NormalQuantile((1 + level) / 2)
	est := float64(b-c) / float64(n)
	// Z(Δ0) decreases from +Inf at Δ0 = −1 to −Inf at Δ0 = 1 (or reaches 0 at
	// the estimate). Lower end: Z(lo) = z on [−1, est]; upper: Z(hi) = −z.
	lo = bisect(func(d float64) float64 { return TangoZ(b, c, n, d) - z }, -1, est)
	hi = bisect(func(d float64) float64 { return TangoZ(b, c, n, d) + z }, est, 1)
	return lo, hi
}

// bisect finds a sign change of a decreasing function f on [a, b]: it returns
// a if f(a) <= 0, b if f(b) >= 0, else a point x with f(x) = 0 up to
// adjacent floats.
func bisect(f func(float64) float64, a, b float64) float64 {
	fa, fb := f(a), f(b)
	if fa <= 0 {
		return a
	}
	if fb >= 0 {
		return b
	}
	for i := 0; i < 200; i++ {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		fm := f(m)
		if fm == 0 {
			return m
		}
		if fm > 0 {
			a = m
		} else {
			b = m
		}
	}
	return a + (b-a)/2
}
