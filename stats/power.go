package stats

import (
	"fmt"
	"math"
)

func checkAlphaPower(fn string, alpha, power float64) (za, zb float64) {
	if !(alpha > 0 && alpha < 1) {
		panic(fmt.Sprintf("stats: %s alpha %v outside (0, 1)", fn, alpha))
	}
	if !(power > 0 && power < 1) {
		panic(fmt.Sprintf("stats: %s power %v outside (0, 1)", fn, power))
	}
	return NormalQuantile(1 - alpha), NormalQuantile(power)
}

// connorPsi returns the discordant share used by Connor's formula: psi, but
// at least delta, since an effect delta needs a discordant share of at
// least delta (|p_C − p_B| <= P(discordant)).
func connorPsi(psi, delta float64) float64 {
	return math.Max(psi, delta)
}

// ConnorN returns the number of pairs needed by a one-sided test of paired
// proportions at level alpha to detect a difference delta > 0 with the given
// power, by Connor's (1987) formula
//
//	n = [z_{1−α}·sqrt(ψ) + z_{power}·sqrt(ψ − δ²)]² / δ²
//
// with ψ the probability of a discordant pair (Connor R.J., "Sample size for
// testing differences in proportions for the paired-sample design",
// Biometrics 43:207–211, 1987; methods.md §6). Deviation guard: ψ is raised
// to δ when it is smaller, because no pair design with discordant share
// below δ can show a difference δ (with the observed ψ = 0 the formula
// would otherwise claim that no cases are needed). It returns +Inf when
// delta <= 0 and panics on alpha or power outside (0, 1), psi outside
// [0, 1] or delta > 1.
func ConnorN(psi, delta, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ConnorN", alpha, power)
	if !(psi >= 0 && psi <= 1) || delta > 1 || math.IsNaN(delta) {
		panic(fmt.Sprintf("stats: ConnorN psi=%v, delta=%v out of range", psi, delta))
	}
	if delta <= 0 {
		return math.Inf(1)
	}
	psi = connorPsi(psi, delta)
	s := za*math.Sqrt(psi) + zb*math.Sqrt(math.Max(0, psi-delta*delta))
	if s < 0 { // power < 1/2 with a large effect: any n works
		return 0
	}
	return s * s / (delta * delta)
}

// ConnorPower returns the approximate power of the one-sided level-alpha
// test of paired proportions with n pairs against a difference delta when
// the discordant share is psi (Connor 1987, the formula ConnorN inverts):
// Φ((δ·sqrt(n) − z_{1−α}·sqrt(ψ)) / sqrt(ψ − δ²)), ψ raised to δ as in
// ConnorN. It returns 1 when ψ = δ² (no variance left) and the mean shift
// is positive.
func ConnorPower(psi, delta float64, n int, alpha float64) float64 {
	za, _ := checkAlphaPower("ConnorPower", alpha, 0.5)
	if !(psi >= 0 && psi <= 1) || delta > 1 || math.IsNaN(delta) || n < 0 {
		panic(fmt.Sprintf("stats: ConnorPower psi=%v, delta=%v, n=%d out of range", psi, delta, n))
	}
	if delta <= 0 {
		return NormalCDF(-za) // at most alpha: no effect to detect
	}
	psi = connorPsi(psi, delta)
	num := delta*math.Sqrt(float64(n)) - za*math.Sqrt(psi)
	v := psi - delta*delta
	if v <= 0 {
		if num > 0 {
			return 1
		}
		return 0
	}
	return NormalCDF(num / math.Sqrt(v))
}

// ConnorMDE returns the minimum detectable effect of ConnorN: the smallest
// δ in (0, 1] with ConnorN(psi, δ, alpha, power) <= n, found by bisection
// (ConnorN decreases in δ). It returns +Inf when even δ = 1 needs more than
// n pairs.
func ConnorMDE(psi float64, n int, alpha, power float64) float64 {
	checkAlphaPower("ConnorMDE", alpha, power)
	if n < 0 {
		panic(fmt.Sprintf("stats: ConnorMDE n=%d negative", n))
	}
	N := float64(n)
	if ConnorN(psi, 1, alpha, power) > N {
		return math.Inf(1)
	}
	lo, hi := 0.0, 1.0 // ConnorN(lo) > n >= ConnorN(hi)
	for i := 0; i < 200 && hi-lo > 1e-15; i++ {
		m := lo + (hi-lo)/2
		if m <= lo || m >= hi {
			break
		}
		if ConnorN(psi, m, alpha, power) <= N {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// ClusterN returns the number of cases needed by the one-sided level-alpha
// clustered paired test to detect a mean difference delta > 0 with the given
// power, by the normal-approximation formula of methods.md §6:
//
//	n = (z_{1−α} + z_{power})²·σ²·deff / δ²
//
// with sigma2 the per-case variance of the differences and deff the design
// effect (ClusterTResult.Var and DEff; the design effect of Kish 1965). It
// returns +Inf when delta <= 0, and panics on negative sigma2 or deff.
func ClusterN(sigma2, deff, delta, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ClusterN", alpha, power)
	if !(sigma2 >= 0) || !(deff >= 0) {
		panic(fmt.Sprintf("stats: ClusterN sigma2=%v, deff=%v must be non-negative", sigma2, deff))
	}
	if !(delta > 0) {
		return math.Inf(1)
	}
	s := za + zb
	if s < 0 {
		return 0
	}
	return s * s * sigma2 * deff / (delta * delta)
}

// ClusterMDE returns the minimum detectable effect of ClusterN at n cases,
// in closed form (z_{1−α} + z_{power})·sqrt(σ²·deff/n). It returns +Inf when
// n = 0.
func ClusterMDE(sigma2, deff float64, n int, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ClusterMDE", alpha, power)
	if !(sigma2 >= 0) || !(deff >= 0) || n < 0 {
		panic(fmt.Sprintf("stats: ClusterMDE sigma2=%v, deff=%v, n=%d out of range", sigma2, deff, n))
	}
	if n == 0 {
		return math.Inf(1)
	}
	return math.Max(0, za+zb) * math.Sqrt(sigma2*deff/float64(n))
}
