package stats

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Hand-checkable values; each number below is derived in its comment.

func TestMcNemarHand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		b, c         int
		upper, lower float64
	}{
		// X ~ Bin(10, ½): P(X >= 8) = (C(10,8)+C(10,9)+C(10,10))/1024 = (45+10+1)/1024.
		{"8-2", 8, 2, 56.0 / 1024, 1 - 11.0/1024},
		// P(X <= 2) = 56/1024 by symmetry; P(X >= 2) = 1 − P(X <= 1) = 1 − 11/1024.
		{"2-8", 2, 8, 1 - 11.0/1024, 56.0 / 1024},
		{"no discordant", 0, 0, 1, 1},
		{"5-0", 5, 0, 1.0 / 32, 1},
		{"0-5", 0, 5, 1, 1.0 / 32},
		// Bin(2, ½): P(X >= 1) = 3/4, P(X <= 1) = 3/4.
		{"1-1", 1, 1, 0.75, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := [2]float64{McNemarUpper(tt.b, tt.c), McNemarLower(tt.b, tt.c)}
			want := [2]float64{tt.upper, tt.lower}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-14, 0)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestTangoHand(t *testing.T) {
	t.Parallel()
	// At Δ0 = 0 the constrained MLE is q̂ = (b+c)/(2n) and Z = (b−c)/sqrt(b+c),
	// the McNemar z.
	if got, want := TangoZ(8, 2, 50, 0), 6/math.Sqrt(10); math.Abs(got-want) > 1e-14 {
		t.Errorf("TangoZ(8,2,50,0) = %v, want %v", got, want)
	}
	// b = c = 0: for Δ0 > 0, q̂ = 0 and Z = −nΔ0/sqrt(nΔ0(1−Δ0)); Z = −z gives
	// Δ0 = z²/(n+z²), and the interval is symmetric.
	z := 1.959963984540054 // z_0.975
	lo, hi := TangoInterval(0, 0, 100, 0.95)
	want := z * z / (100 + z*z)
	if diff := cmp.Diff([2]float64{-want, want}, [2]float64{lo, hi}, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("TangoInterval(0,0,100) (-want +got)\n%s", diff)
	}
	if got := TangoZ(0, 0, 100, 0); got != 0 {
		t.Errorf("TangoZ(0,0,100,0) = %v, want 0 (0/0 defined as 0)", got)
	}
	// All pairs favour the candidate: the upper end is 1.
	if _, hi := TangoInterval(7, 0, 7, 0.9); hi != 1 {
		t.Errorf("TangoInterval(7,0,7) hi = %v, want 1", hi)
	}
	if got := TangoZ(3, 1, 10, 1); !math.IsInf(got, -1) {
		t.Errorf("TangoZ at Δ0 = 1 = %v, want -Inf", got)
	}
}

func TestClusterTHand(t *testing.T) {
	t.Parallel()
	// d = (1, 0, 1, 1), clusters (0, 0, 1, 2): d̄ = 0.75, centred
	// (.25, −.75, .25, .25), D = (−.5, .25, .25), ΣD² = .375,
	// SE = sqrt(3/2·.375)/4 = .75/4 = .1875, T = 4, df = 2.
	// t₂: F(t) = ½ + t/(2·sqrt(2+t²)), so PUpper = ½ − 2/sqrt(18);
	// t₂ quantile: t_p = (2p−1)·sqrt(2/(4p(1−p))), t_.95 = .9·sqrt(2/.19).
	got := ClusterT([]float64{1, 0, 1, 1}, []int{0, 0, 1, 2}, 0, 0.9)
	q := 0.9 * math.Sqrt(2/0.19)
	// Var = Σ(d−d̄)²/3 = (3·.0625 + .5625)/3 = .25; DEff = SE²·n/Var = .03515625·4/.25 = .5625.
	want := ClusterTResult{
		Delta: 0.75, SE: 0.1875, N: 4, G: 3, DF: 2, Var: 0.25, DEff: 0.5625, T: 4,
		PUpper: 0.5 - 2/math.Sqrt(18), PLower: 0.5 + 2/math.Sqrt(18),
		Lo: 0.75 - q*0.1875, Hi: 0.75 + q*0.1875, Level: 0.9,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-14)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestClusterTDegenerate(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)
	tests := []struct {
		name    string
		d       []float64
		cluster []int
		m       float64
		want    ClusterTResult
		warn    error
	}{
		{"empty", nil, nil, 0, ClusterTResult{SE: inf, DEff: 1, PUpper: 1, PLower: 1, Lo: -inf, Hi: inf, Level: 0.9}, ErrEmpty},
		{"one cluster", []float64{1, 0, 1}, []int{4, 4, 4}, 0,
			ClusterTResult{Delta: 2.0 / 3, N: 3, G: 1, Var: 1.0 / 3, SE: inf, DEff: 1, PUpper: 1, PLower: 1, Lo: -inf, Hi: inf, Level: 0.9}, ErrFewClusters},
		{"all equal above margin", []float64{0.5, 0.5, 0.5}, []int{0, 1, 2}, 0,
			ClusterTResult{Delta: 0.5, N: 3, G: 3, DF: 2, DEff: 1, T: inf, PUpper: 0, PLower: 1, Lo: 0.5, Hi: 0.5, Level: 0.9}, ErrZeroSE},
		{"all equal below margin", []float64{0, 0}, []int{0, 1}, 0.01,
			ClusterTResult{N: 2, G: 2, DF: 1, DEff: 1, T: -inf, PUpper: 1, PLower: 0, Level: 0.9}, ErrZeroSE},
		{"all equal at margin", []float64{0.1, 0.1}, []int{0, 1}, 0.1,
			ClusterTResult{Delta: 0.1, N: 2, G: 2, DF: 1, DEff: 1, PUpper: 0.5, PLower: 0.5, Lo: 0.1, Hi: 0.1, Level: 0.9}, ErrZeroSE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClusterT(tt.d, tt.cluster, tt.m, 0.9)
			if len(got.Warnings) != 1 || !errors.Is(got.Warnings[0], tt.warn) {
				t.Errorf("Warnings = %v, want [%v]", got.Warnings, tt.warn)
			}
			got.Warnings = nil
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(1e-15, 0)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestClusterTUnclusteredIsPairedT(t *testing.T) {
	t.Parallel()
	// Without clustering SE² = s²/n, the paired t test: with d = (1, −1, 1, 1, 0)
	// d̄ = .4, s² = (.36+1.96+.36+.36+.16)/4 = .8, SE = sqrt(.16) = .4, T = 1,
	// and the design effect is exactly 1.
	got := ClusterT([]float64{1, -1, 1, 1, 0}, []int{0, 1, 2, 3, 4}, 0, 0.9)
	want := [4]float64{0.4, 0.4, 1, 1}
	if diff := cmp.Diff(want, [4]float64{got.Delta, got.SE, got.T, got.DEff}, cmpopts.EquateApprox(1e-14, 0)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestHolmHand(t *testing.T) {
	t.Parallel()
	// Sorted .005, .01, .03, .04 times 4, 3, 2, 1 = .02, .03, .06, .04;
	// running max .02, .03, .06, .06; back in input order:
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	want := []float64{0.03, 0.06, 0.06, 0.02}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-15, 0)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// NaN kept and not counted (k = 2): .3·2 = .6, .6·1 → cummax .6.
	got = Holm([]float64{0.6, math.NaN(), 0.3})
	if got[0] != 0.6 || !math.IsNaN(got[1]) || got[2] != 0.6 {
		t.Errorf("Holm with NaN = %v, want [0.6 NaN 0.6]", got)
	}
	// Capped at 1: .6·2 = 1.2 → 1, then cummax 1.
	if got := Holm([]float64{0.6, 0.7}); got[0] != 1 || got[1] != 1 {
		t.Errorf("Holm cap = %v, want [1 1]", got)
	}
	if got := Holm(nil); len(got) != 0 {
		t.Errorf("Holm(nil) = %v", got)
	}
}

func TestQuantile7Hand(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// h = 9p: p=.5 → 4.5 → 5.5; p=.95 → 8.55 → 9.55; p=.1 → .9 → 1.9.
	tests := []struct{ p, want float64 }{{0, 1}, {0.1, 1.9}, {0.5, 5.5}, {0.95, 9.55}, {1, 10}}
	for _, tt := range tests {
		if got := Quantile7(x, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Quantile7(1..10, %v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	inf := math.Inf(1)
	if got := Quantile7([]float64{1, inf}, 0.5); got != inf {
		t.Errorf("Quantile7 with +Inf neighbour = %v, want +Inf", got)
	}
	if got := Quantile7([]float64{-inf, inf}, 0.25); got != -inf {
		t.Errorf("Quantile7 between -Inf and +Inf = %v, want -Inf", got)
	}
}

func TestWilsonHand(t *testing.T) {
	t.Parallel()
	// x = 0: lo = 0, hi = z²/(n+z²); with z = z_.975, n = 10: 3.8415/13.8415.
	z := 1.959963984540054
	lo, hi := Wilson(0, 10, 0.95)
	if lo != 0 || math.Abs(hi-z*z/(10+z*z)) > 1e-15 {
		t.Errorf("Wilson(0,10) = [%v, %v], want [0, %v]", lo, hi, z*z/(10+z*z))
	}
	// Symmetry: x = n mirrors x = 0.
	lo, hi = Wilson(10, 10, 0.95)
	if hi != 1 || math.Abs(lo-10/(10+z*z)) > 1e-15 {
		t.Errorf("Wilson(10,10) = [%v, %v]", lo, hi)
	}
	if lo, hi := Wilson(0, 0, 0.9); lo != 0 || hi != 1 {
		t.Errorf("Wilson(0,0) = [%v, %v], want [0, 1]", lo, hi)
	}
}

func TestPowerHand(t *testing.T) {
	t.Parallel()
	za, zb := 1.6448536269514722, 1.2815515655446004 // z_.95, z_.90
	// Connor: ψ = .2, δ = .1: [za·sqrt(.2) + zb·sqrt(.19)]²/.01.
	want := math.Pow(za*math.Sqrt(0.2)+zb*math.Sqrt(0.19), 2) / 0.01
	if got := ConnorN(0.2, 0.1, 0.05, 0.9); math.Abs(got-want) > 1e-10 {
		t.Errorf("ConnorN = %v, want %v", got, want)
	}
	// The MDE solves the quadratic (n + zb²)δ² − 2·sqrt(n)·za·sqrt(ψ)·δ + (za² − zb²)ψ = 0:
	// δ = sqrt(ψ)·(sqrt(n)·za + zb·sqrt(n + zb² − za²))/(n + zb²).
	n, psi := 500.0, 0.2
	mde := math.Sqrt(psi) * (math.Sqrt(n)*za + zb*math.Sqrt(n+zb*zb-za*za)) / (n + zb*zb)
	if got := ConnorMDE(psi, 500, 0.05, 0.9); math.Abs(got-mde) > 1e-12 {
		t.Errorf("ConnorMDE = %v, want %v", got, mde)
	}
	// ConnorPower at ConnorN's n is the target power.
	if got := ConnorPower(0.2, 0.1, 0, 0.05); got >= 0.06 {
		t.Errorf("ConnorPower at n = 0 = %v, want about 0", got)
	}
	if got := connorPowerReal(0.2, 0.1, want, 0.05); math.Abs(got-0.9) > 1e-12 {
		t.Errorf("power at ConnorN = %v, want 0.9", got)
	}
	// Clustered: (za+zb)²·σ²·deff/δ² and its inverse.
	cn := ClusterN(0.25, 2, 0.05, 0.05, 0.9)
	if want := math.Pow(za+zb, 2) * 0.25 * 2 / 0.0025; math.Abs(cn-want) > 1e-9 {
		t.Errorf("ClusterN = %v, want %v", cn, want)
	}
	if got := ClusterMDE(0.25, 2, 800, 0.05, 0.9); math.Abs(got-(za+zb)*math.Sqrt(0.5/800)) > 1e-15 {
		t.Errorf("ClusterMDE = %v", got)
	}
	// Guards: no effect needs infinitely many cases; ψ below δ is raised to δ.
	if got := ConnorN(0.2, 0, 0.05, 0.9); !math.IsInf(got, 1) {
		t.Errorf("ConnorN(δ=0) = %v, want +Inf", got)
	}
	if got, want := ConnorN(0, 0.1, 0.05, 0.9), ConnorN(0.1, 0.1, 0.05, 0.9); got != want || got <= 0 {
		t.Errorf("ConnorN(ψ=0, δ=.1) = %v, want ConnorN(ψ=.1) = %v > 0", got, want)
	}
	if got := ConnorMDE(0.2, 2, 0.05, 0.9); !math.IsInf(got, 1) {
		t.Errorf("ConnorMDE(n=2) = %v, want +Inf", got)
	}
}

func TestPowerMarginHand(t *testing.T) {
	t.Parallel()
	za, zb := 1.6448536269514722, 1.2815515655446004 // z_.95, z_.90
	// Nam (1997) at ψ = .2, δ = .05, m = −.05: cells p10 = .125, p01 = .075.
	// Tango's quadratic at the expected cells, 2q² + Bq + C = 0 with
	// B = −ψ + (2 − δ)·m = −.2975 and C = −p01·m·(1 − m) = .0039375, has the
	// larger root q = (sqrt(.08850625 − .0315) + .2975)/4 = .134064, so
	// σ0² = 2q + m(1 − m) = .215628 (the unrestricted ψ − m² is .1975) and
	// σ1² = ψ − δ² = .1975: n = [za·σ0 + zb·σ1]²/.1² = 177.779 (R, with the
	// restricted MLE found by uniroot: 177.77893423895...).
	q := (math.Sqrt(0.08850625-0.0315) + 0.2975) / 4
	if s := 0.125/(q-0.05) + 0.075/q - 2*0.8/(1-2*q+0.05); math.Abs(s) > 1e-12 {
		t.Errorf("q = %v does not solve the restricted score equation (%v)", q, s)
	}
	want := math.Pow(za*math.Sqrt(2*q-0.05*1.05)+zb*math.Sqrt(0.1975), 2) / 0.01
	if got := ConnorNMargin(0.2, 0.05, -0.05, 0.05, 0.9); math.Abs(got-want) > 1e-10 || math.Abs(got-177.779) > 1e-3 {
		t.Errorf("ConnorNMargin(.2, .05, −.05) = %v, want %v", got, want)
	}
	// Before Nam's formula, the unrestricted null variance ψ − m² asked for
	// (za + zb)²·.1975/.1² = 169.1, and the plug-in before it (ConnorN with
	// δ = effect − m = .1) for [za·sqrt(.2) + zb·sqrt(.19)]²/.01 = 167.5.
	if old := ConnorN(0.2, 0.1, 0.05, 0.9); math.Abs(old-167.49957822504388) > 1e-9 {
		t.Errorf("ConnorN(.2, .1) = %v", old)
	}
	// m = 0 is ConnorN bit for bit, and so are the MDE and the power.
	for _, psi := range []float64{0, 0.03, 0.2, 0.7, 1} {
		for _, d := range []float64{-0.1, 0, 0.01, 0.05, 0.3, 1} {
			if a, b := ConnorNMargin(psi, d, 0, 0.05, 0.9), ConnorN(psi, d, 0.05, 0.9); a != b {
				t.Errorf("ψ=%v δ=%v: ConnorNMargin(m=0) %v, ConnorN %v", psi, d, a, b)
			}
			if a, b := ConnorPowerMargin(psi, d, 0, 300, 0.05), ConnorPower(psi, d, 300, 0.05); a != b {
				t.Errorf("ψ=%v δ=%v: ConnorPowerMargin(m=0) %v, ConnorPower %v", psi, d, a, b)
			}
		}
		if a, b := ConnorMDEMargin(psi, 250, 0, 0.05, 0.9), ConnorMDE(psi, 250, 0.05, 0.9); a != b {
			t.Errorf("ψ=%v: ConnorMDEMargin(m=0) %v, ConnorMDE %v", psi, a, b)
		}
	}
	// ConnorPowerMargin at ConnorNMargin's (real) n is the target power.
	n := ConnorNMargin(0.26, 0.1, 0.02, 0.05, 0.9)
	if got := connorPowerMarginReal(0.26, 0.1, 0.02, n, 0.05); math.Abs(got-0.9) > 1e-12 {
		t.Errorf("power at ConnorNMargin = %v, want 0.9", got)
	}
	// The MDE is where the needed n crosses the given n.
	for _, m := range []float64{-0.3, -0.05, 0.03, 0.4} {
		mde := ConnorMDEMargin(0.2, 400, m, 0.05, 0.9)
		if !(mde > m && mde <= 1) || ConnorNMargin(0.2, mde, m, 0.05, 0.9) > 400 || ConnorNMargin(0.2, mde-1e-9, m, 0.05, 0.9) <= 400 {
			t.Errorf("m = %v: MDE %v does not solve n(δ) = 400", m, mde)
		}
	}
	// Guards: nothing above the margin needs infinitely many cases; ψ below
	// max(|δ|, |m|) is raised to it.
	if got := ConnorNMargin(0.2, 0.05, 0.05, 0.05, 0.9); !math.IsInf(got, 1) {
		t.Errorf("ConnorNMargin(δ = m) = %v, want +Inf", got)
	}
	if got, want := ConnorNMargin(0, 0.03, -0.2, 0.05, 0.9), ConnorNMargin(0.2, 0.03, -0.2, 0.05, 0.9); got != want || !(got > 0) {
		t.Errorf("ConnorNMargin(ψ = 0, δ = .03, m = −.2) = %v, want ConnorNMargin(ψ = .2) = %v", got, want)
	}
	if got, want := ConnorNMargin(0.05, 0.1, 0.02, 0.05, 0.9), ConnorNMargin(0.1, 0.1, 0.02, 0.05, 0.9); got != want {
		t.Errorf("ConnorNMargin(ψ = .05, δ = .1) = %v, want ConnorNMargin(ψ = .1) = %v", got, want)
	}
	if got := ConnorMDEMargin(0.2, 2, 0.5, 0.05, 0.9); !math.IsInf(got, 1) {
		t.Errorf("ConnorMDEMargin(n = 2, m = .5) = %v, want +Inf", got)
	}
}

// TestPowerMarginRange runs the margin functions over the whole range a
// valid policy allows (margin in (−1, 1), effect in (margin, 1], any
// observed ψ, α and power in (0, 1)): no panic, no NaN; the needed n
// decreasing in the effect while ψ is not raised (δ <= max(ψ, |m|)) when
// α < ½ < power; and the MDE the smallest effect on a fine grid that needs
// at most n pairs (above max(ψ, |m|), where ψ is raised with δ, the needed
// n need not decrease: with the unrestricted null variance ψ − m² it fell
// to 5 near δ = 0.33 at ψ = 0, m = −0.33, α = .001 and power .51 and rose
// above it again; with Nam's it is not known to rise, but is not assumed
// not to).
func TestPowerMarginRange(t *testing.T) {
	t.Parallel()
	margins := []float64{-0.999999, -0.831, -0.6, -0.327, -0.05, 0, 1e-9, 0.3, 0.98, 0.999999}
	for _, m := range margins {
		for _, psi := range []float64{0, 0.01, 0.2, 0.5, 1} {
			for _, ap := range [][2]float64{{0.05, 0.9}, {0.001, 0.51}, {1e-6, 0.999}, {0.3, 0.6}, {0.05, 0.3}, {0.7, 0.9}} {
				alpha, power := ap[0], ap[1]
				psi0 := math.Max(psi, math.Abs(m))
				need := func(d float64) float64 { return ConnorNMargin(psi, d, m, alpha, power) }
				prev := math.Inf(1)
				const steps = 2000
				for k := 1; k <= steps; k++ {
					d := m + (1-m)*float64(k)/steps
					n := need(d)
					if math.IsNaN(n) || n < 0 {
						t.Fatalf("ConnorNMargin(%v, %v, %v, %v, %v) = %v", psi, d, m, alpha, power, n)
					}
					if alpha < 0.5 && power > 0.5 && d <= psi0 && n > prev*(1+1e-12) {
						t.Errorf("ConnorNMargin(ψ=%v, m=%v, α=%v, power=%v) increases from %v to %v at δ = %v", psi, m, alpha, power, prev, n, d)
					}
					prev = n
					if p := ConnorPowerMargin(psi, d, m, 100, alpha); !(p >= 0 && p <= 1) {
						t.Fatalf("ConnorPowerMargin(%v, %v, %v, 100, %v) = %v", psi, d, m, alpha, p)
					}
				}
				for _, n := range []int{0, 1, 2, 5, 30, 1000, 1 << 40} {
					mde := ConnorMDEMargin(psi, n, m, alpha, power)
					grid := math.Inf(1)
					for k := 1; k <= steps; k++ {
						if d := m + (1-m)*float64(k)/steps; need(d) <= float64(n) {
							grid = d
							break
						}
					}
					if math.IsInf(mde, 1) {
						if !math.IsInf(grid, 1) {
							t.Errorf("ConnorMDEMargin(%v, %d, %v, %v, %v) = +Inf, but δ = %v needs %v", psi, n, m, alpha, power, grid, need(grid))
						}
						continue
					}
					if !(mde > m && mde <= 1) || need(mde) > float64(n) || mde > grid {
						t.Errorf("ConnorMDEMargin(%v, %d, %v, %v, %v) = %v (needs %v), grid finds %v", psi, n, m, alpha, power, mde, need(mde), grid)
					}
				}
			}
		}
	}
}

// connorPowerMarginReal is ConnorPowerMargin for a non-integer n, written
// out, with the restricted MLE from restrictedQ01 (ψ >= max(|δ|, |m|)).
func connorPowerMarginReal(psi, delta, margin, n, alpha float64) float64 {
	za := NormalQuantile(1 - alpha)
	v0 := 2*restrictedQ01((psi+delta)/2, (psi-delta)/2, margin) + margin*(1-margin)
	return NormalCDF(((delta-margin)*math.Sqrt(n) - za*math.Sqrt(v0)) / math.Sqrt(psi-delta*delta))
}

// restrictedQ01 returns the maximiser over q of the expected
// log-likelihood p10·log(q + m) + p01·log(q) + (1 − p10 − p01)·log(1 − 2q − m)
// (cells P(C=1,B=0) = q + m, P(C=0,B=1) = q, concordant 1 − 2q − m), by
// bisection on its derivative, which decreases in q on
// (max(0, −m), (1 − m)/2): the restricted MLE of Nam (1997) without
// Tango's closed form.
func restrictedQ01(p10, p01, m float64) float64 {
	score := func(q float64) float64 {
		s := 0.0
		if p10 > 0 {
			s += p10 / (q + m)
		}
		if p01 > 0 {
			s += p01 / q
		}
		if pc := 1 - p10 - p01; pc > 0 {
			s -= 2 * pc / (1 - 2*q - m)
		}
		return s
	}
	lo, hi := math.Max(0, -m), (1-m)/2
	for i := 0; i < 200; i++ {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if score(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// TestNamNullVariance checks the null variance of ConnorNMargin against
// the restricted MLE found by bisection, and against Tango's statistic: at
// cells b/n, c/n it is the variance TangoZ divides by, so that
// Z = (b − c − n·m)/sqrt(n·σ0²).
func TestNamNullVariance(t *testing.T) {
	t.Parallel()
	for _, psi := range []float64{0.01, 0.08, 0.2, 0.5, 0.9, 1} {
		for _, f := range []float64{-1, -0.6, 0, 0.4, 0.9, 1} {
			d := f * psi
			for _, m := range []float64{-0.9, -0.3, -0.06, -0.01, 0.01, 0.05, 0.3, 0.9} {
				psiR := connorPsi(psi, d, m)
				v0, _ := connorVars(psi, d, m)
				want := 2*restrictedQ01((psiR+d)/2, (psiR-d)/2, m) + m*(1-m)
				if math.Abs(v0-want) > 1e-12 {
					t.Errorf("ψ=%v δ=%v m=%v: σ0² %v, restricted MLE by bisection gives %v", psi, d, m, v0, want)
				}
			}
		}
	}
	if v0, _ := connorVars(0.3, 0.1, 0); v0 != 0.3 {
		t.Errorf("σ0² at m = 0 is %v, want ψ = 0.3", v0)
	}
	for _, bcn := range [][3]int{{8, 2, 50}, {15, 5, 80}, {3, 9, 40}, {40, 38, 400}, {7, 0, 7}, {0, 4, 10}} {
		b, c, n := bcn[0], bcn[1], bcn[2]
		N := float64(n)
		for _, m := range []float64{-0.3, -0.1, -0.02, 0.05, 0.1} {
			psi, d := float64(b+c)/N, float64(b-c)/N
			if math.Abs(m) > psi {
				continue // connorPsi would raise ψ
			}
			z := (float64(b-c) - N*m) / math.Sqrt(N*namNullVar(psi, d, m))
			if got := TangoZ(b, c, n, m); math.Abs(got-z) > 1e-12*math.Max(1, math.Abs(z)) {
				t.Errorf("b=%d c=%d n=%d m=%v: TangoZ %v, with Nam's σ0² %v", b, c, n, m, got, z)
			}
		}
	}
}

// connorPowerReal is ConnorPower for a non-integer n, written out.
func connorPowerReal(psi, delta, n, alpha float64) float64 {
	za := NormalQuantile(1 - alpha)
	return NormalCDF((delta*math.Sqrt(n) - za*math.Sqrt(psi)) / math.Sqrt(psi-delta*delta))
}

func TestDeltaRatioHand(t *testing.T) {
	t.Parallel()
	// Two cases, two clusters. Baseline: costs (1, 3), accepted (1, 1):
	// CPA_B = 4/2 = 2. Candidate: costs (1, 1), accepted (1, 0): CPA_C = 2/1 = 2.
	// L = 0. Means c̄B = 2, āB = 1, c̄C = 1, āC = .5.
	// IF_1 = (1/1 − 1/.5) − (1/2 − 1/1) = −1 + .5 = −.5; IF_2 = (1 − 0) − (3/2 − 1) = .5.
	// SE = (1/2)·sqrt(2·(.25+.25)) = .5; T = (0 − log .5)/.5 = 2·log 2.
	// G = 2, so the reference is t with 1 degree of freedom (Cauchy):
	// F(x) = ½ + atan(x)/π and t_{.95,1} = tan(.45π).
	d := RatioData{CostB: []float64{1, 3}, AccB: []float64{1, 1}, CostC: []float64{1, 1}, AccC: []float64{1, 0}, Cluster: []int{0, 1}}
	got := DeltaRatio(d, 0.5, 0.9)
	q := math.Tan(0.45 * math.Pi)
	want := DeltaResult{L: 0, SE: 0.5, Ratio: 1, Lo: math.Exp(-q * 0.5), Hi: math.Exp(q * 0.5),
		T: 2 * math.Ln2, DF: 1, P: 0.5 + math.Atan(2*math.Ln2)/math.Pi, N: 2, G: 2, Level: 0.9, NullRatio: 0.5}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-14, 1e-15)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestDeltaRatioDegenerate(t *testing.T) {
	t.Parallel()
	noAccC := RatioData{CostB: []float64{1, 2}, AccB: []float64{1, 0}, CostC: []float64{1, 1}, AccC: []float64{0, 0}, Cluster: []int{0, 1}}
	got := DeltaRatio(noAccC, 1, 0.9)
	if !math.IsInf(got.L, 1) || got.P != 1 || !errors.Is(got.Warnings[0], ErrNoAccepted) {
		t.Errorf("no candidate acceptance: %+v", got)
	}
	one := RatioData{CostB: []float64{1, 2}, AccB: []float64{1, 0}, CostC: []float64{1, 1}, AccC: []float64{1, 1}, Cluster: []int{3, 3}}
	got = DeltaRatio(one, 1, 0.9)
	if got.P != 1 || got.Lo != 0 || !math.IsInf(got.Hi, 1) || !errors.Is(got.Warnings[0], ErrFewClusters) {
		t.Errorf("one cluster: %+v", got)
	}
}

// randomRatioData makes G clusters of 1–3 cases with lognormal costs and
// Bernoulli acceptance; the candidate is cheaper by the factor shift.
func randomRatioData(rng *rand.Rand, G int, shift float64) RatioData {
	var d RatioData
	for g := 0; g < G; g++ {
		ce := math.Exp(0.4 * rng.NormFloat64())
		for j := 1 + rng.IntN(3); j > 0; j-- {
			d.Cluster = append(d.Cluster, g)
			d.CostB = append(d.CostB, ce*math.Exp(0.5*rng.NormFloat64()))
			d.CostC = append(d.CostC, shift*ce*math.Exp(0.5*rng.NormFloat64()))
			d.AccB = append(d.AccB, b2f(rng.Float64() < 0.6))
			d.AccC = append(d.AccC, b2f(rng.Float64() < 0.65))
		}
	}
	return d
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestBootstrapDeterministicAcrossGOMAXPROCS(t *testing.T) {
	// Not parallel: changes GOMAXPROCS.
	d := randomRatioData(rand.New(rand.NewPCG(1, 2)), 300, 0.9)
	o := BootstrapOptions{Resamples: 5500, Seed: 99, Level: 0.9, NullRatio: 1}
	samples := Samples{X: d.CostB, Cluster: d.Cluster}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	want := BootstrapRatio(d, o)
	wantQ := BootstrapQuantiles(samples, Samples{X: d.CostC, Cluster: d.Cluster}, 0.95, o)
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		if diff := cmp.Diff(want, BootstrapRatio(d, o)); diff != "" {
			t.Errorf("GOMAXPROCS=%d: BootstrapRatio differs (-1 proc +%d procs)\n%s", procs, procs, diff)
		}
		if diff := cmp.Diff(wantQ, BootstrapQuantiles(samples, Samples{X: d.CostC, Cluster: d.Cluster}, 0.95, o)); diff != "" {
			t.Errorf("GOMAXPROCS=%d: BootstrapQuantiles differs\n%s", procs, diff)
		}
	}
	// A different seed gives a different (but close) answer.
	o.Seed = 100
	other := BootstrapRatio(d, o)
	if other.Lo == want.Lo && other.Hi == want.Hi {
		t.Errorf("seed does not change the draws")
	}
}

// TestBootstrapPIntervalConsistency checks the claim of methods.md §3: the
// one-sided p is at most α exactly when the BCa interval at 1 − 2α lies
// below r, away from a discreteness margin.
func TestBootstrapPIntervalConsistency(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	const B = 4000
	checked := 0
	for rep := 0; rep < 40; rep++ {
		d := randomRatioData(rng, 20+rng.IntN(60), 0.7+0.5*rng.Float64())
		per, tot := d.clusterSums()
		bt := bootRatio(per, tot, B, uint64(rep))
		for _, alpha := range []float64{0.01, 0.05, 0.1, 0.25} {
			for _, r := range []float64{0.6, 0.8, 0.9, 1, 1.1, 1.3} {
				p := bt.p(r)
				if math.Abs(p-alpha) < 3.0/B { // discreteness margin: a few draws
					continue
				}
				_, hi := bt.interval(1 - 2*alpha)
				checked++
				if (p <= alpha) != (hi < r) {
					t.Errorf("rep %d α=%v r=%v: p = %v but interval upper end %v", rep, alpha, r, p, hi)
				}
			}
		}
	}
	if checked < 800 {
		t.Errorf("only %d comparisons", checked)
	}
}

func TestBootstrapTwoClustersExact(t *testing.T) {
	t.Parallel()
	// G = 2 clusters: a draw is {1,1}, {1,2} or {2,2} with probabilities
	// ¼, ½, ¼. Cluster 1: costs B 1, C 1, accepted 1 and 1 → ρ = 1;
	// cluster 2: costs B 1, C 3, accepted 1, 1 → ρ = 3; both: ρ = (4/2)/(2/2) = 2.
	// θ̂ = log 2 sits on the middle atom: F̂(θ̂) = ¼ + ½·½ = ½, so z0 = 0 up to MC
	// error; jackknife values log 1 and log 3 are symmetric about their mean:
	// a = 0. So p at r = 2.5 is the share of θ* >= log 2.5, i.e. P({2,2}) = ¼.
	d := RatioData{CostB: []float64{1, 1}, AccB: []float64{1, 1}, CostC: []float64{1, 3}, AccC: []float64{1, 1}, Cluster: []int{0, 1}}
	got := BootstrapRatio(d, BootstrapOptions{Resamples: 100000, Seed: 3, Level: 0.2, NullRatio: 2.5})
	const B = 100000.0
	if math.Abs(got.Z0) > 4*math.Sqrt(0.25/B)/0.3989 || got.Accel != 0 {
		t.Errorf("z0 = %v, a = %v; want about 0 and 0", got.Z0, got.Accel)
	}
	if math.Abs(got.P-0.25) > 4*math.Sqrt(0.25*0.75/B)*1.5 {
		t.Errorf("P = %v, want about 0.25", got.P)
	}
	// Level .2 with z0 ≈ 0: quantiles at .4 and .6, both inside the middle atom.
	if math.Abs(got.Lo-2) > 1e-12 || math.Abs(got.Hi-2) > 1e-12 {
		t.Errorf("interval [%v, %v], want [2, 2]", got.Lo, got.Hi)
	}
}

func TestBootstrapDegenerate(t *testing.T) {
	t.Parallel()
	o := BootstrapOptions{Resamples: 2000, Seed: 1}
	one := RatioData{CostB: []float64{1, 2}, AccB: []float64{1, 1}, CostC: []float64{1, 1}, AccC: []float64{1, 1}, Cluster: []int{0, 0}}
	got := BootstrapRatio(one, o)
	if got.P != 1 || got.Lo != 0 || !math.IsInf(got.Hi, 1) || !errors.Is(got.Warnings[0], ErrFewClusters) {
		t.Errorf("one cluster: %+v", got)
	}
	// Candidate never accepted: θ̂ = +Inf and every draw is +Inf: p = 1.
	noC := RatioData{CostB: []float64{1, 2, 1}, AccB: []float64{1, 1, 0}, CostC: []float64{1, 1, 1}, AccC: []float64{0, 0, 0}, Cluster: []int{0, 1, 2}}
	got = BootstrapRatio(noC, o)
	if !math.IsInf(got.Theta, 1) || got.P < 0.99 || !hasWarning(got.Warnings, ErrNoAccepted) {
		t.Errorf("no candidate acceptance: %+v", got)
	}
	if math.IsNaN(got.Lo) || math.IsNaN(got.Hi) || math.IsNaN(got.P) || math.IsNaN(got.Z0) || math.IsNaN(got.Accel) {
		t.Errorf("NaN in %+v", got)
	}
	empty := BootstrapRatio(RatioData{}, o)
	if empty.P != 1 || !hasWarning(empty.Warnings, ErrEmpty) {
		t.Errorf("empty: %+v", empty)
	}
}

func hasWarning(ws []error, target error) bool {
	for _, w := range ws {
		if errors.Is(w, target) {
			return true
		}
	}
	return false
}

func TestWeightedQuantileMatchesExpansion(t *testing.T) {
	t.Parallel()
	// The bootstrap's scan over cluster multiplicities must give the type-7
	// quantile of the explicitly expanded sample.
	rng := rand.New(rand.NewPCG(7, 8))
	for rep := 0; rep < 300; rep++ {
		G := 1 + rng.IntN(12)
		var x []float64
		var cl []int
		for i := rng.IntN(40); i >= 0; i-- {
			x = append(x, math.Round(rng.NormFloat64()*3)) // ties on purpose
			cl = append(cl, rng.IntN(G))
		}
		arm := newArm(x, cl, G)
		w := make([]int32, G)
		for g := range w {
			w[g] = int32(rng.IntN(3))
		}
		var expanded []float64
		for i, v := range x {
			for k := int32(0); k < w[cl[i]]; k++ {
				expanded = append(expanded, v)
			}
		}
		slices.Sort(expanded)
		for _, p := range []float64{0, 0.05, 0.3, 0.5, 0.77, 0.95, 1} {
			got := arm.quantile(w, p)
			if len(expanded) == 0 {
				if !math.IsNaN(got) {
					t.Fatalf("empty draw gave %v", got)
				}
				continue
			}
			if want := Quantile7(expanded, p); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Fatalf("rep %d p %v: got %v, want %v (w %v, x %v, cl %v)", rep, p, got, want, w, x, cl)
			}
		}
	}
}

// The Student t quantile and distribution function invert each other, at
// integer degrees of freedom and at the non-integer ones Satterthwaite's
// approximation gives, over the whole range of levels, and both equal R's
// qt and pt (make_oracle_cluster.R); t_1 is Cauchy, tan(π(p − ½)).
func TestStudentTQuantileRoundTrip(t *testing.T) {
	t.Parallel()
	for _, df := range []float64{1, 1.55, 2, 2.27, 3, 3.7, 5, 7.5, 10, 24.4, 30, 59, 100, 1000} {
		for _, p := range []float64{1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.6, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-6} {
			x := studentTQuantile(p, df)
			lo, hi := studentTCDF(x, df)
			if got := math.Min(lo, hi); math.Abs(got-math.Min(p, 1-p)) > 1e-12*math.Min(p, 1-p)+1e-15 {
				t.Errorf("df %v p %v: quantile %v has tail %v (lower %v, upper %v)", df, p, x, got, lo, hi)
			}
			if (p < 0.5) != (x < 0) && p != 0.5 {
				t.Errorf("df %v p %v: quantile %v on the wrong side", df, p, x)
			}
		}
	}
	for _, p := range []float64{0.6, 0.9, 0.95, 0.995, 0.05} {
		if got, want := studentTQuantile(p, 1), math.Tan(math.Pi*(p-0.5)); math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
			t.Errorf("t_1 quantile(%v) = %v, want %v", p, got, want)
		}
	}
	o := readOracle(t, "oracle_cluster.csv")
	qs, ps := o.params("student_t", "qt"), o.params("student_t", "pt")
	if len(qs) < 40 || len(ps) < 40 {
		t.Fatalf("%d qt and %d pt values", len(qs), len(ps))
	}
	for _, k := range qs {
		v := splitFloats(t, k)
		checkClose(t, "qt "+k, studentTQuantile(v[1], v[0]), o.must(t, "student_t", "qt", k), tolClosed)
	}
	for _, k := range ps {
		v := splitFloats(t, k)
		lo, _ := studentTCDF(v[1], v[0])
		checkClose(t, "pt "+k, lo, o.must(t, "student_t", "pt", k), tolClosed)
	}
}

func TestPanicsOnProgrammerErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]func(){
		"McNemar negative": func() { McNemarUpper(-1, 2) },
		"Tango b+c > n":    func() { TangoZ(3, 3, 5, 0) },
		"ClusterT lengths": func() { ClusterT([]float64{1}, []int{0, 1}, 0, 0.9) },
		"ClusterT level":   func() { ClusterT([]float64{1}, []int{0}, 0, 1) },
		"Wilson x > n":     func() { Wilson(3, 2, 0.9) },
		"Quantile7 empty":  func() { Quantile7(nil, 0.5) },
		"Quantile7 prob":   func() { Quantile7([]float64{1}, 1.5) },
		"Bootstrap negative": func() {
			BootstrapRatio(RatioData{CostB: []float64{-1}, AccB: []float64{1}, CostC: []float64{1}, AccC: []float64{1}, Cluster: []int{0}}, BootstrapOptions{})
		},
		"Bootstrap null":           func() { BootstrapRatio(RatioData{}, BootstrapOptions{NullRatio: -1}) },
		"ConnorN alpha":            func() { ConnorN(0.2, 0.1, 0, 0.9) },
		"ConnorNMargin margin -1":  func() { ConnorNMargin(0.2, 0.1, -1, 0.05, 0.9) },
		"ConnorNMargin margin 1":   func() { ConnorNMargin(0.2, 0.1, 1, 0.05, 0.9) },
		"ConnorNMargin margin NaN": func() { ConnorNMargin(0.2, 0.1, math.NaN(), 0.05, 0.9) },
		"ConnorNMargin effect > 1": func() { ConnorNMargin(0.2, 1.1, 0, 0.05, 0.9) },
		"ConnorNMargin effect NaN": func() { ConnorNMargin(0.2, math.NaN(), 0, 0.05, 0.9) },
		"ConnorNMargin psi":        func() { ConnorNMargin(1.2, 0.1, 0, 0.05, 0.9) },
		"ConnorNMargin power":      func() { ConnorNMargin(0.2, 0.1, 0, 0.05, 1) },
		"ConnorMDEMargin n":        func() { ConnorMDEMargin(0.2, -1, 0, 0.05, 0.9) },
		"ConnorMDEMargin margin":   func() { ConnorMDEMargin(0.2, 10, 1, 0.05, 0.9) },
		"ConnorPowerMargin psi":    func() { ConnorPowerMargin(-0.1, 0.1, 0, 10, 0.05) },
		"NormalQuantile":           func() { NormalQuantile(1.1) },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			f()
		})
	}
}

func TestDefaultBootstrapOptions(t *testing.T) {
	t.Parallel()
	want := BootstrapOptions{Resamples: 10000, Seed: DefaultSeed, Level: 0.9, NullRatio: 1}
	if diff := cmp.Diff(want, DefaultBootstrapOptions()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(BootstrapOptions{Resamples: 10000, Level: 0.9, NullRatio: 1}, BootstrapOptions{}.withDefaults("x")); diff != "" {
		t.Errorf("zero options (-want +got)\n%s", diff)
	}
}

// Cluster means that are equal but not binary fractions leave rounding
// noise in the centred totals; the standard error must still be exactly
// zero (ZeroTolerance), not 2.6e-17 with T = 1.3e16.
func TestZeroSEUpToRounding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		d    []float64
		cl   []int
	}{
		{"thirds", []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}, []int{0, 0, 0, 1, 1, 1, 2, 2, 2}},
		{"K = 3 means", []float64{1.0 / 3, 1.0 / 3, 1.0 / 3, 1, 0, 0, 2.0 / 3, 1.0 / 3, 0}, []int{0, 0, 0, 1, 1, 1, 2, 2, 2}},
		{"sevenths", []float64{3.0 / 7, 1.0 / 7, -2.0 / 7, 1.0 / 7, 1.0 / 7, 0, 2.0 / 7, -1.0 / 7, 1.0 / 7}, []int{0, 0, 0, 1, 1, 1, 2, 2, 2}},
	} {
		got := ClusterT(tc.d, tc.cl, 0, 0.9)
		if got.SE != 0 || !errors.Is(got.Warnings[0], ErrZeroSE) || got.PUpper != 0 {
			t.Errorf("%s: SE %v T %v PUpper %v warnings %v; want SE = 0 exactly with ErrZeroSE", tc.name, got.SE, got.T, got.PUpper, got.Warnings)
		}
	}
	// Equal differences up to rounding have no variance either.
	third := 1.0 / 3
	if got := ClusterT([]float64{third, 1 - 2*third, third}, []int{0, 1, 2}, 0, 0.9); got.Var != 0 || got.SE != 0 {
		t.Errorf("equal thirds: Var %v SE %v, want 0 and 0", got.Var, got.SE)
	}
	// A real spread, however small against the mean, is kept: one case
	// of 1000 differs by 1/1000.
	d := make([]float64, 1000)
	cl := make([]int, 1000)
	for i := range d {
		d[i], cl[i] = 1.0/3, i
	}
	d[0] += 0.001
	if got := ClusterT(d, cl, 0, 0.9); !(got.SE > 0) || len(got.Warnings) != 0 {
		t.Errorf("a real spread: SE %v warnings %v", got.SE, got.Warnings)
	}

	// Delta method: three clusters with the same cases in a different
	// order have influence totals of zero up to rounding.
	costs := []float64{0.1, 0.7, 0.3}
	acc := []float64{1, 0, 1}
	var r RatioData
	for g := 0; g < 3; g++ {
		for j := 0; j < 3; j++ {
			k := (j + g) % 3
			r.CostB = append(r.CostB, costs[k])
			r.CostC = append(r.CostC, costs[k]/3)
			r.AccB = append(r.AccB, acc[k])
			r.AccC = append(r.AccC, acc[k])
			r.Cluster = append(r.Cluster, g)
		}
	}
	dr := DeltaRatio(r, 1, 0.9)
	if dr.SE != 0 || !errors.Is(dr.Warnings[0], ErrZeroSE) {
		t.Errorf("delta: SE %v warnings %v; want SE = 0 with ErrZeroSE", dr.SE, dr.Warnings)
	}
	r.CostC[0] *= 1.001
	if dr := DeltaRatio(r, 1, 0.9); !(dr.SE > 0) || len(dr.Warnings) != 0 {
		t.Errorf("delta with a real spread: SE %v warnings %v", dr.SE, dr.Warnings)
	}
}

// TestClusterPowerInvertsClusterN checks that the power at ClusterN's
// (fractional) sample size is the power asked for, and the edge values.
func TestClusterPowerInvertsClusterN(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ s2, deff, delta, alpha, power float64 }{
		{0.1, 1, 0.02, 0.05, 0.9}, {0.4, 2.5, 0.05, 0.01, 0.8}, {0.25, 1.3, 0.1, 0.1, 0.6},
	} {
		n := ClusterN(c.s2, c.deff, c.delta, c.alpha, c.power)
		// ClusterPower takes whole cases; compare through the formula's
		// monotonicity around n.
		lo := ClusterPower(c.s2, c.deff, c.delta, int(math.Floor(n)), c.alpha)
		hi := ClusterPower(c.s2, c.deff, c.delta, int(math.Ceil(n)), c.alpha)
		if !(lo <= c.power && c.power <= hi) {
			t.Errorf("%+v: ClusterN = %v, power %v at floor and %v at ceil", c, n, lo, hi)
		}
	}
	for _, c := range []struct {
		s2, deff, delta float64
		n               int
		want            float64
	}{
		{0.1, 1, 0.05, 0, 0.05}, {0.1, 1, 0, 100, 0.05}, {0, 1, 0.05, 10, 1}, {0.2, 0, -0.05, 10, 0},
	} {
		if got := ClusterPower(c.s2, c.deff, c.delta, c.n, 0.05); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("ClusterPower(%v, %v, %v, %d) = %v, want %v", c.s2, c.deff, c.delta, c.n, got, c.want)
		}
	}
}

// TangoExactUpper stores its rejection region per discordant count d as
// the smallest b that reaches the observed statistic, which needs Tango's
// statistic to increase with b at fixed d (and so with Δ at fixed ψ, the
// reduction of the null to Δ* = min(m, ψ)).
func TestTangoZIncreasesWithB(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 7, 60, 300} {
		for _, m := range []float64{-0.5, -0.1, -0.02, 0.01, 0.05, 0.3, 0.9} {
			for d := 0; d <= n; d++ {
				for b := 1; b <= d; b++ {
					if lo, hi := TangoZ(b-1, d-b+1, n, m), TangoZ(b, d-b, n, m); !(hi > lo) {
						t.Fatalf("n %d m %v d %d: Z(%d) = %v is not above Z(%d) = %v", n, m, d, b, hi, b-1, lo)
					}
				}
			}
		}
	}
	// Edge cases: no pairs, and data that rule out every null point of a
	// negative margin (no discordant pair in 500: ψ < 0.02 with 99.9%
	// confidence, so Δ <= −0.02 is impossible).
	if p := TangoExactUpper(0, 0, 0, 0.1); p != 1 {
		t.Errorf("n = 0: p = %v, want 1", p)
	}
	if p := TangoExactUpper(0, 0, 500, -0.02); p != TangoExactGamma {
		t.Errorf("no discordance against m = −0.02: p = %v, want γ = %v", p, TangoExactGamma)
	}
	if p := TangoExactUpper(0, 0, 300, 0.02); p != 1 {
		t.Errorf("no discordance against m = +0.02: p = %v, want 1", p)
	}
}

// The BCa p-value is the α at which the upper end of the 1 − 2α BCa
// interval meets θ0: the test is met at α (the upper end's quantile level
// below q = F̂(θ0)) exactly when p <= α. This holds on both sides of the
// pole 1 + a·u = 0, where bcaP falls back to 1 (the upper end never gets
// below θ0) or 0 (it is always below); the grid reaches both fallbacks.
func TestBCaPConsistentWithLevel(t *testing.T) {
	t.Parallel()
	var fallback0, fallback1 int
	for _, z0 := range []float64{-0.5, 0, 0.3} {
		for _, a := range []float64{-0.4, -0.1, 0, 0.1, 0.4} {
			for q := 0.0005; q < 1; q += 0.0037 {
				p := bcaP(q, z0, a)
				if u := NormalQuantile(q) - z0; 1+a*u <= 0 {
					if u < 0 {
						fallback1++
					} else {
						fallback0++
					}
				}
				for alpha := 0.001; alpha < 0.5; alpha += 0.0071 {
					if math.Abs(p-alpha) < 1e-9 {
						continue
					}
					met := bcaLevel(NormalQuantile(1-alpha), z0, a) < q
					if met != (p <= alpha) {
						t.Fatalf("z0 %v a %v q %v: p %v, but at α %v the upper end's level %v is below q: %v",
							z0, a, q, p, alpha, bcaLevel(NormalQuantile(1-alpha), z0, a), met)
					}
				}
			}
		}
	}
	if fallback0 == 0 || fallback1 == 0 {
		t.Errorf("the grid did not reach both fallbacks (p = 0: %d, p = 1: %d)", fallback0, fallback1)
	}
}
