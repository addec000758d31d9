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

// connorPsi returns the discordant share used by the formulas at the
// margin m and the effect δ: psi, but at least max(|δ|, |m|). A pair design
// whose arms differ by Δ has a discordant share of at least |Δ|
// (|p_C − p_B| = |P(C=1,B=0) − P(C=0,B=1)| <= P(discordant)). ψ is the
// discordant share of the alternative Δ = δ, so it must allow δ; it is also
// raised to |m| (the null Δ = m needs a share of at least |m|), so that a
// small or zero observed ψ plans for a design in which the margin itself
// is possible. (The restricted estimate of namNullVar is defined without
// that floor; the floor is kept as the planning assumption, documented in
// methods.md §6.)
func connorPsi(psi, delta, margin float64) float64 {
	return math.Max(psi, math.Max(math.Abs(delta), math.Abs(margin)))
}

func checkConnor(fn string, psi, delta, margin float64) {
	if !(psi >= 0 && psi <= 1) || !(delta <= 1) || !(margin > -1 && margin < 1) {
		panic(fmt.Sprintf("stats: %s psi=%v, effect=%v, margin=%v out of range", fn, psi, delta, margin))
	}
}

// namNullVar returns Nam's (1997) null variance of a pair's difference for
// the score test of H0 Δ = m when the cells are those of the alternative,
// P(C=1,B=0) = p10 = (ψ + δ)/2 and P(C=0,B=1) = p01 = (ψ − δ)/2 (ψ >= |δ|):
//
//	σ0² = 2·p̃01 + m·(1 − m),
//
// the variance Tango's statistic (TangoZ) estimates, with p̃01 the maximum
// of the expected log-likelihood p10·log(q + m) + p01·log q +
// (1 − ψ)·log(1 − 2q − m) over q, i.e. the restricted MLE of P(C=0,B=1)
// under Δ = m at the expected counts. It is the larger root of
// 2q² + B·q + C = 0 with B = −ψ + (2 − δ)·m and C = −p01·m·(1 − m), Tango's
// quadratic divided by n with b/n = p10 and c/n = p01, taken without
// cancellation (q = −2C/(B + sqrt(B² − 8C)) when B > 0). At m = 0 it is ψ.
func namNullVar(psi, delta, m float64) float64 {
	p01 := math.Max(0, (psi-delta)/2)
	b := -psi + (2-delta)*m
	c := -p01 * m * (1 - m)
	disc := math.Max(0, b*b-8*c) // >= 0 but for rounding
	var q float64
	if b <= 0 {
		q = (math.Sqrt(disc) - b) / 4
	} else {
		q = -2 * c / (b + math.Sqrt(disc))
	}
	return math.Max(0, 2*q+m*(1-m))
}

// connorVars returns the variances of a pair's difference (+1, 0 or −1)
// used by the margin formulas: v0 under the null Δ = m, for the critical
// value, and v1 = ψ − δ² under the alternative Δ = δ, for the power, after
// ψ is raised by connorPsi. v0 is Nam's restricted-MLE variance
// (namNullVar); at m = 0 it is ψ itself, so that the formulas are Connor's
// (1987) bit for bit.
func connorVars(psi, delta, margin float64) (v0, v1 float64) {
	psi = connorPsi(psi, delta, margin)
	v0, v1 = psi, math.Max(0, psi-delta*delta)
	if margin != 0 {
		v0 = namNullVar(psi, delta, margin)
	}
	return v0, v1
}

// connorN is ConnorNMargin after validation.
func connorN(psi, delta, margin, za, zb float64) float64 {
	if delta <= margin {
		return math.Inf(1)
	}
	v0, v1 := connorVars(psi, delta, margin)
	s := za*math.Sqrt(v0) + zb*math.Sqrt(v1)
	if s < 0 { // power < 1/2 with a large effect: any n works
		return 0
	}
	d := delta - margin
	return s * s / (d * d)
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
// [0, 1] or delta > 1. It is ConnorNMargin with margin 0.
func ConnorN(psi, delta, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ConnorN", alpha, power)
	checkConnor("ConnorN", psi, delta, 0)
	return connorN(psi, delta, 0, za, zb)
}

// ConnorNMargin returns the number of pairs needed by a one-sided test of
// paired proportions of H0 Δ <= m against H1 Δ > m (Δ = p_C − p_B, m the
// margin) at level alpha to reach the given power at Δ = δ > m, by Nam's
// (1997) formula for Tango's (1998) score test (Nam J.-M., "Establishing
// equivalence of two treatments and sample size requirements in
// matched-pairs design", Biometrics 53:1422–1430, 1997):
//
//	n = [z_{1−α}·σ0 + z_{power}·σ1]² / (δ − m)²,
//
// with ψ the probability of a discordant pair and, under H1, the cells
// p10 = P(C=1,B=0) = (ψ + δ)/2 and p01 = P(C=0,B=1) = (ψ − δ)/2:
// σ1² = ψ − δ², the variance of a pair's difference at Δ = δ, and
// σ0² = 2·p̃01 + m·(1 − m), the variance Tango's statistic estimates under
// the constraint Δ = m, with p̃01 the restricted maximum-likelihood
// estimate of P(C=0,B=1) at Δ = m evaluated at the expected cells (the
// root of Tango's quadratic with b/n = p10, c/n = p01; see TangoZ). At
// m = 0, p̃01 = ψ/2 and σ0² = ψ: Connor's (1987) formula, and ConnorN bit
// for bit. For m < 0 (and ψ < 1), σ0² exceeds the unrestricted ψ − m², by
// much when |m| is comparable to ψ; for m > 0 it is smaller. (ftgate used ψ − m²
// before, which overstated the power for m < 0 and understated it for
// m > 0.)
//
// Guard: ψ must be at least max(|δ|, |m|), since a difference Δ needs a
// discordant share of at least |Δ|: the alternative needs ψ >= |δ|, and
// the floor |m| keeps data at the margin possible. A smaller ψ (for
// instance an observed ψ = 0) is raised to max(|δ|, |m|), which makes the
// answer optimistic.
//
// The formula is first-order: with few expected discordant pairs (n·ψ
// below about 20) Tango's test has more power than it promises, so n is
// larger than needed (exact power 0.853 against 0.80 at ψ = 0.08,
// δ = 0.03, m = −0.06, 79 pairs; methods.md §6).
//
// It returns +Inf when effect <= margin (nothing above the margin to
// detect), 0 when power < ½ and the effect is large enough that any n
// reaches it, and panics on alpha or power outside (0, 1), psi outside
// [0, 1], margin outside (−1, 1) or effect > 1 (or any NaN).
func ConnorNMargin(psi, effect, margin, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ConnorNMargin", alpha, power)
	checkConnor("ConnorNMargin", psi, effect, margin)
	return connorN(psi, effect, margin, za, zb)
}

// connorPower is ConnorPowerMargin after validation.
func connorPower(psi, delta, margin float64, n int, za float64) float64 {
	if delta <= margin {
		return NormalCDF(-za) // alpha: no effect above the margin to detect
	}
	v0, v := connorVars(psi, delta, margin)
	num := (delta-margin)*math.Sqrt(float64(n)) - za*math.Sqrt(v0)
	if v <= 0 {
		if num > 0 {
			return 1
		}
		return 0
	}
	return NormalCDF(num / math.Sqrt(v))
}

// ConnorPower returns the approximate power of the one-sided level-alpha
// test of paired proportions with n pairs against a difference delta when
// the discordant share is psi (Connor 1987, the formula ConnorN inverts):
// Φ((δ·sqrt(n) − z_{1−α}·sqrt(ψ)) / sqrt(ψ − δ²)), ψ raised to δ as in
// ConnorN. It returns 1 when ψ = δ² (no variance left) and the mean shift
// is positive.
func ConnorPower(psi, delta float64, n int, alpha float64) float64 {
	za, _ := checkAlphaPower("ConnorPower", alpha, 0.5)
	if n < 0 {
		panic(fmt.Sprintf("stats: ConnorPower n=%d negative", n))
	}
	checkConnor("ConnorPower", psi, delta, 0)
	return connorPower(psi, delta, 0, n, za)
}

// ConnorPowerMargin returns the approximate power of the one-sided
// level-alpha test of H0 Δ <= margin with n pairs at Δ = effect, the
// formula ConnorNMargin inverts (Nam 1997):
//
//	Φ(((δ − m)·sqrt(n) − z_{1−α}·σ0) / σ1),
//
// σ0 and σ1 as in ConnorNMargin (σ0² Tango's restricted-MLE variance at
// Δ = m, σ1² = ψ − δ²), ψ raised to max(|δ|, |m|) as there. It returns
// alpha when effect <= margin, and 1 (or 0) when ψ = δ² leaves no
// variance and the numerator is positive (or not). It panics as ConnorNMargin does, and on
// n < 0.
func ConnorPowerMargin(psi, effect, margin float64, n int, alpha float64) float64 {
	za, _ := checkAlphaPower("ConnorPowerMargin", alpha, 0.5)
	if n < 0 {
		panic(fmt.Sprintf("stats: ConnorPowerMargin n=%d negative", n))
	}
	checkConnor("ConnorPowerMargin", psi, effect, margin)
	return connorPower(psi, effect, margin, n, za)
}

// connorMDE is ConnorMDEMargin after validation: the smallest δ in
// (margin, 1] with connorN(δ) <= n. For δ up to ψ0 = max(psi, |margin|), ψ
// is fixed and the needed n decreases in δ (when α <= ½ <= power;
// TestPowerMarginRange checks it); above ψ0, ψ is raised to δ and grows
// with it, so n need not decrease there. With the unrestricted null
// variance ψ − m² it rose again just above ψ0 (at ψ = 0, m = −0.327,
// α = .001, power .51: 4.99 pairs at δ = 0.327, 5.56 at δ = 0.5). With
// Nam's null variance no such case turned up on a grid of ψ, m, α and
// power, but monotonicity is not proven, so (margin, 1] is still scanned
// on 256 cells, with ψ0 as an extra node, and the first cell whose right
// end reaches n is bisected to 1e-15.
func connorMDE(psi float64, n int, margin, za, zb float64) float64 {
	N := float64(n)
	ok := func(d float64) bool { return connorN(psi, d, margin, za, zb) <= N }
	const cells = 256
	psi0 := connorPsi(psi, 0, margin)
	prev := margin // n(margin) = +Inf
	for k := 1; k <= cells; k++ {
		x := 1.0
		if k < cells {
			x = margin + (1-margin)*float64(k)/cells
		}
		for _, node := range [2]float64{psi0, x} {
			if node <= prev || node > x {
				continue
			}
			if ok(node) {
				return bisectConnor(ok, prev, node)
			}
			prev = node
		}
	}
	return math.Inf(1)
}

// bisectConnor returns the point where ok turns true in (lo, hi], ok(hi)
// true, to 1e-15.
func bisectConnor(ok func(float64) bool, lo, hi float64) float64 {
	for i := 0; i < 200 && hi-lo > 1e-15; i++ {
		m := lo + (hi-lo)/2
		if m <= lo || m >= hi {
			break
		}
		if ok(m) {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// ConnorMDE returns the minimum detectable effect of ConnorN: the smallest
// δ in (0, 1] with ConnorN(psi, δ, alpha, power) <= n, found by bisection
// (ConnorN decreases in δ when alpha <= ½ <= power). It returns +Inf when
// no δ <= 1 needs at most n pairs. It is ConnorMDEMargin with margin 0.
func ConnorMDE(psi float64, n int, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ConnorMDE", alpha, power)
	if n < 0 {
		panic(fmt.Sprintf("stats: ConnorMDE n=%d negative", n))
	}
	checkConnor("ConnorMDE", psi, 1, 0)
	return connorMDE(psi, n, 0, za, zb)
}

// ConnorMDEMargin returns the minimum detectable effect of ConnorNMargin
// (Nam's 1997 formula) at n pairs: the smallest effect δ in (margin, 1] with
// ConnorNMargin(psi, δ, margin, alpha, power) <= n, ψ raised to
// max(|δ|, |m|) at each δ tried. It is an effect, not a distance above the
// margin. While ψ needs no raising the needed n decreases in δ (for
// alpha <= ½ <= power) and bisection finds the crossing; once ψ is raised
// with δ the needed n is not known to decrease, so (margin, 1] is first
// scanned on a grid of 256 cells and the first cell that reaches n is
// bisected to 1e-15.
// It returns +Inf when no grid point needs at most n pairs, and panics on
// alpha or power outside (0, 1), psi outside [0, 1], margin outside
// (−1, 1) or n < 0.
func ConnorMDEMargin(psi float64, n int, margin, alpha, power float64) float64 {
	za, zb := checkAlphaPower("ConnorMDEMargin", alpha, power)
	if n < 0 {
		panic(fmt.Sprintf("stats: ConnorMDEMargin n=%d negative", n))
	}
	checkConnor("ConnorMDEMargin", psi, 1, margin)
	return connorMDE(psi, n, margin, za, zb)
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

// ClusterPower returns the approximate power of the one-sided level-alpha
// clustered paired test with n cases against a mean difference delta, the
// formula ClusterN inverts (methods.md §6):
//
//	Φ(δ·sqrt(n/(σ²·deff)) − z_{1−α}).
//
// It is alpha at n = 0 or delta = 0. When σ²·deff = 0 (no variance) it is
// 1 for delta > 0 and 0 for delta < 0 (n > 0). It panics on alpha outside
// (0, 1), negative sigma2 or deff, or n < 0.
func ClusterPower(sigma2, deff, delta float64, n int, alpha float64) float64 {
	za, _ := checkAlphaPower("ClusterPower", alpha, 0.5)
	if !(sigma2 >= 0) || !(deff >= 0) || n < 0 || math.IsNaN(delta) {
		panic(fmt.Sprintf("stats: ClusterPower sigma2=%v, deff=%v, delta=%v, n=%d out of range", sigma2, deff, delta, n))
	}
	v := sigma2 * deff
	switch {
	case n == 0 || delta == 0:
		return NormalCDF(-za)
	case v == 0 && delta > 0:
		return 1
	case v == 0:
		return 0
	}
	return NormalCDF(delta*math.Sqrt(float64(n)/v) - za)
}

// RatioN returns the number of cases needed by the one-sided level-alpha
// delta-method test of H0 ρ >= r (ρ a ratio of costs per accepted outcome,
// r = nullRatio) to reach the given power when the true ratio is ratio < r,
// by the normal formula on the log scale (Deng, Knoblich & Lu 2018; the
// variance of log ρ̂ is v/n to first order):
//
//	n = (z_{1−α} + z_{power})²·v / (log r − log ρ)²,
//
// with v the per-case variance of the influence values of log ρ̂ times the
// design effect, n·SE² of DeltaRatio (its cluster-robust SE at n cases).
// It returns +Inf when ratio >= nullRatio, and panics on alpha or power
// outside (0, 1), a negative or NaN v, or ratios that are not positive and
// finite.
func RatioN(v, ratio, nullRatio, alpha, power float64) float64 {
	za, zb := checkAlphaPower("RatioN", alpha, power)
	checkRatioPlan("RatioN", v, ratio, nullRatio)
	if !(ratio < nullRatio) {
		return math.Inf(1)
	}
	s := za + zb
	if s < 0 {
		return 0
	}
	d := math.Log(nullRatio) - math.Log(ratio)
	return s * s * v / (d * d)
}

// RatioPower returns the approximate power of the test RatioN plans at n
// cases: Φ((log r − log ρ)·sqrt(n/v) − z_{1−α}); alpha when ratio >= r, and
// 1 when v = 0 and ratio < r.
func RatioPower(v, ratio, nullRatio float64, n int, alpha float64) float64 {
	za, _ := checkAlphaPower("RatioPower", alpha, 0.5)
	checkRatioPlan("RatioPower", v, ratio, nullRatio)
	if n < 0 {
		panic(fmt.Sprintf("stats: RatioPower n=%d negative", n))
	}
	if !(ratio < nullRatio) {
		return alpha
	}
	if v == 0 {
		return 1
	}
	return NormalCDF((math.Log(nullRatio)-math.Log(ratio))*math.Sqrt(float64(n)/v) - za)
}

func checkRatioPlan(fn string, v, ratio, nullRatio float64) {
	if !(v >= 0) || math.IsInf(v, 1) {
		panic(fmt.Sprintf("stats: %s variance %v must be finite and non-negative", fn, v))
	}
	checkNullRatio(fn, ratio)
	checkNullRatio(fn, nullRatio)
}
