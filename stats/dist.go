package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The distributions here are written on gonum's mathext (the special
// functions) rather than gonum's stat/distuv: distuv brings the matrix and
// LAPACK packages into the binary for no function used here, which more
// than doubled the time of a cold build.

// NormalCDF returns Φ(x) = ½·erfc(−x/√2), the standard normal distribution
// function. It is accurate in both tails: for x < 0 it is computed from
// erfc, so NormalCDF(-z) is the precise upper tail at z.
func NormalCDF(x float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// NormalQuantile returns Φ⁻¹(p), the standard normal quantile (gonum
// mathext.NormalQuantile, Wichura's algorithm AS 241). It returns -Inf at 0 and
// +Inf at 1, and panics when p is outside [0, 1] or NaN.
func NormalQuantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: NormalQuantile probability %v outside [0, 1]", p))
	}
	if p == 0 {
		return math.Inf(-1)
	}
	if p == 1 {
		return math.Inf(1)
	}
	return mathext.NormalQuantile(p)
}

// studentTCDF returns F_{t,df}(x) and its complement 1 − F computed without
// cancellation. df must be positive.
func studentTCDF(x float64, df float64) (lower, upper float64) {
	switch {
	case math.IsInf(x, 1):
		return 1, 0
	case math.IsInf(x, -1):
		return 0, 1
	case x == 0:
		return 0.5, 0.5
	}
	nu := df
	// F(x) = 1 − ½ I_{ν/(ν+x²)}(ν/2, ½) for x > 0.
	tail := 0.5 * mathext.RegIncBeta(nu/2, 0.5, nu/(nu+x*x))
	if x > 0 {
		return 1 - tail, tail
	}
	return tail, 1 - tail
}

// studentTQuantile returns the p quantile of Student's t with df > 0 degrees
// of freedom, p in (0, 1): from F(x) = 1 − ½·I_{ν/(ν+x²)}(ν/2, ½) for x > 0,
// x = ±sqrt(ν(1 − y)/y) with y = I⁻¹(ν/2, ½, 2·min(p, 1 − p)) (gonum's
// inverse incomplete beta), polished with Newton steps on the CDF so that
// the result matches R's qt to ~1e-12.
func studentTQuantile(p float64, df float64) float64 {
	if p == 0.5 {
		return 0
	}
	nu := df
	y := mathext.InvRegIncBeta(nu/2, 0.5, 2*math.Min(p, 1-p))
	x := math.Sqrt(nu * (1 - y) / y)
	if p < 0.5 {
		x = -x
	}
	// log of the density's constant Γ((ν+1)/2) / (Γ(ν/2)·sqrt(νπ)).
	g1, _ := math.Lgamma((nu + 1) / 2)
	g2, _ := math.Lgamma(nu / 2)
	logc := g1 - g2 - 0.5*math.Log(nu*math.Pi)
	for i := 0; i < 4; i++ {
		lo, hi := studentTCDF(x, df)
		var f float64
		if p > 0.5 {
			f = (1 - p) - hi // F(x) − p via the upper tails, both small
		} else {
			f = lo - p
		}
		dens := math.Exp(logc - (nu+1)/2*math.Log1p(x*x/nu))
		if dens == 0 || math.IsNaN(f) {
			break
		}
		step := f / dens
		x -= step
		if math.Abs(step) <= 1e-15*math.Max(1, math.Abs(x)) {
			break
		}
	}
	return x
}

// checkLevel panics unless level is in (0, 1).
func checkLevel(fn string, level float64) {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats: %s level %v outside (0, 1)", fn, level))
	}
}
