package stats

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// exactBoot is the exact (ideal, B = ∞) clustered bootstrap distribution of
// ρ* = (ΣcC/ΣaC)/(ΣcB/ΣaB) for a tiny number of clusters G, by enumerating
// all G^G equally likely ordered draws and summing in exact rational
// arithmetic, so that a draw ties with ρ̂ exactly when its ratio is equal as
// a rational number. It shares no code with bootRatio.
type exactBoot struct {
	G       int
	rhoHat  *big.Rat
	rhos    []*big.Rat // one per ordered draw
	jackLog []float64  // log of the exact leave-one-cluster-out ratios
}

func newExactBoot(t *testing.T, d RatioData) exactBoot {
	t.Helper()
	G := 0
	for _, c := range d.Cluster {
		G = max(G, c+1)
	}
	rat := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	// per[g] = exact column totals of cluster g: cB, aB, cC, aC.
	per := make([][4]*big.Rat, G)
	for g := range per {
		for k := range per[g] {
			per[g][k] = new(big.Rat)
		}
	}
	for i, g := range d.Cluster {
		for k, col := range [][]float64{d.CostB, d.AccB, d.CostC, d.AccC} {
			per[g][k].Add(per[g][k], rat(col[i]))
		}
	}
	ratio := func(counts []int) *big.Rat {
		var s [4]*big.Rat
		for k := range s {
			s[k] = new(big.Rat)
			for g, c := range counts {
				s[k].Add(s[k], new(big.Rat).Mul(per[g][k], big.NewRat(int64(c), 1)))
			}
		}
		if s[0].Sign() <= 0 || s[1].Sign() <= 0 || s[2].Sign() <= 0 || s[3].Sign() <= 0 {
			t.Fatalf("test data must give positive totals in every draw, got %v", s)
		}
		// (cC/aC)/(cB/aB) = cC·aB/(aC·cB)
		num := new(big.Rat).Mul(s[2], s[1])
		den := new(big.Rat).Mul(s[3], s[0])
		return num.Quo(num, den)
	}
	e := exactBoot{G: G}
	ones := make([]int, G)
	for g := range ones {
		ones[g] = 1
	}
	e.rhoHat = ratio(ones)
	draw := make([]int, G)   // the ordered draw, as digits base G
	counts := make([]int, G) // how often each cluster is drawn
	total := 1
	for range G {
		total *= G
	}
	for k := 0; k < total; k++ {
		clear(counts)
		x := k
		for j := range draw {
			draw[j] = x % G
			x /= G
			counts[draw[j]]++
		}
		e.rhos = append(e.rhos, ratio(counts))
	}
	for g := range G {
		loo := slices.Clone(ones)
		loo[g] = 0
		f, _ := ratio(loo).Float64()
		e.jackLog = append(e.jackLog, math.Log(f))
	}
	return e
}

// cdf returns P(ρ* < r) + ½P(ρ* = r), and P(ρ* = r), under the exact
// bootstrap distribution.
func (e exactBoot) cdf(r *big.Rat) (F, tied float64) {
	var less, eq int
	for _, x := range e.rhos {
		switch x.Cmp(r) {
		case -1:
			less++
		case 0:
			eq++
		}
	}
	n := float64(len(e.rhos))
	return (float64(less) + 0.5*float64(eq)) / n, float64(eq) / n
}

// accel is the BCa acceleration from the exact jackknife values.
func (e exactBoot) accel() float64 {
	var mean float64
	for _, v := range e.jackLog {
		mean += v
	}
	mean /= float64(len(e.jackLog))
	var s2, s3 float64
	for _, v := range e.jackLog {
		s2 += (mean - v) * (mean - v)
		s3 += (mean - v) * (mean - v) * (mean - v)
	}
	return s3 / (6 * math.Pow(s2, 1.5))
}

// tieData returns G clusters (G <= 5) of one to three cases whose costs
// are decimals with no exact binary form, so that sums in different orders
// round differently.
func tieData(G int) RatioData {
	cases := [][5]float64{ // cluster, cB, aB, cC, aC
		{0, 0.1, 1, 0.3, 1}, {0, 0.7, 0.5, 0.2, 1},
		{1, 0.3, 1, 0.1, 0.5}, {1, 1.3, 1, 0.9, 1},
		{2, 0.2, 1, 0.6, 1}, {2, 0.9, 1, 0.15, 1}, {2, 0.05, 0.5, 0.05, 1},
		{3, 1.1, 1, 0.7, 1},
		{4, 0.4, 0.5, 0.35, 1}, {4, 0.25, 1, 0.45, 0.5},
	}
	var d RatioData
	for _, c := range cases {
		if int(c[0]) >= G {
			continue
		}
		d.Cluster = append(d.Cluster, int(c[0]))
		d.CostB = append(d.CostB, c[1])
		d.AccB = append(d.AccB, c[2])
		d.CostC = append(d.CostC, c[3])
		d.AccC = append(d.AccC, c[4])
	}
	return d
}

// TestBootstrapTiesExact checks the BCa bias correction on a tiny number of
// clusters, where a large share of the bootstrap draws reproduce the
// original sample up to the order of the clusters (G!/G^G: 22% at G = 3,
// 9.4% at G = 4, 3.8% at G = 5) and so tie with θ̂. Such a draw must give
// θ* equal to θ̂ bit for bit, so that the mid-rank F̂(θ̂) counts it as half
// below and half above. Summed in draw order rather than as θ̂ is, such
// draws land an ulp or so either side of θ̂ and move F̂(θ̂), and z0 with it,
// by up to half the tied share (before the fix, at G = 5: 29 508 of the
// 38 394 tied draws equal to θ̂, F̂(θ̂) = 0.50266 against the exact 0.50656).
//
// The oracle is the exact bootstrap distribution (all G^G ordered draws,
// rational arithmetic); bootRatio with B = 10⁶ must agree with it within 5
// Monte Carlo standard errors.
func TestBootstrapTiesExact(t *testing.T) {
	t.Parallel()
	const B = 1000000
	for _, G := range []int{3, 4, 5} {
		t.Run(fmt.Sprintf("G=%d", G), func(t *testing.T) {
			t.Parallel()
			d := tieData(G)
			e := newExactBoot(t, d)
			per, tot := d.clusterSums()
			bt := bootRatio(per, tot, B, 20240611)

			hat, _ := e.rhoHat.Float64()
			if math.Abs(bt.thetaHat-math.Log(hat)) > 1e-14 {
				t.Fatalf("θ̂ = %v, exact log ρ̂ = %v", bt.thetaHat, math.Log(hat))
			}

			// The tied share: every draw that ties with ρ̂ exactly must
			// give θ* == θ̂ exactly, and no other draw may come close.
			wantF, wantTied := e.cdf(e.rhoHat)
			var exact, near int
			for _, v := range bt.theta {
				if v == bt.thetaHat {
					exact++
				}
				if math.Abs(v-bt.thetaHat) <= 1e-12 {
					near++
				}
			}
			tiedSE := math.Sqrt(wantTied * (1 - wantTied) / B)
			t.Logf("G = %d: exact tied share %.5f; draws with θ* == θ̂: %d, within 1e-12: %d of %d", G, wantTied, exact, near, B)
			if exact != near {
				t.Errorf("%d draws within 1e-12 of θ̂ but only %d equal to it", near, exact)
			}
			if got := float64(exact) / B; math.Abs(got-wantTied) > 5*tiedSE {
				t.Errorf("share of draws tied with θ̂ %.5f, exact %.5f ± %.5f", got, wantTied, 5*tiedSE)
			}

			// F̂(θ̂) and z0: the mid-rank indicator takes values 0, ½, 1,
			// with variance P(<) + ¼P(=) − F².
			sd := math.Sqrt((wantF - wantTied/2) + wantTied/4 - wantF*wantF)
			gotF := midRankCDF(bt.theta, bt.thetaHat)
			t.Logf("F̂(θ̂) = %.5f, exact %.5f; z0 = %.4f, exact %.4f", gotF, wantF, bt.z0, NormalQuantile(wantF))
			if math.Abs(gotF-wantF) > 5*sd/math.Sqrt(B) {
				t.Errorf("F̂(θ̂) = %.5f, exact %.5f ± %.5f (half the tied share is %.5f)", gotF, wantF, 5*sd/math.Sqrt(B), wantTied/2)
			}
			if math.Abs(NormalCDF(bt.z0)-gotF) > 1e-12 {
				t.Errorf("z0 = %v is not Φ⁻¹(F̂(θ̂)) = Φ⁻¹(%v)", bt.z0, gotF)
			}

			// The bootstrap CDF at null ratios between atoms of the exact
			// distribution (the p-value's q).
			atoms := slices.Clone(e.rhos)
			slices.SortFunc(atoms, func(a, b *big.Rat) int { return a.Cmp(b) })
			atoms = slices.CompactFunc(atoms, func(a, b *big.Rat) bool { return a.Cmp(b) == 0 })
			for _, k := range []int{len(atoms) / 5, len(atoms) / 2, 4 * len(atoms) / 5} {
				lo, _ := atoms[k].Float64()
				hi, _ := atoms[k+1].Float64()
				r := math.Sqrt(lo * hi)
				wantQ, tied := e.cdf(new(big.Rat).SetFloat64(r))
				if tied != 0 {
					t.Fatalf("r = %v is an atom", r)
				}
				gotQ := midRankCDF(bt.theta, math.Log(r))
				if tol := 5 * math.Sqrt(wantQ*(1-wantQ)/B); math.Abs(gotQ-wantQ) > tol {
					t.Errorf("F̂(log %v) = %.5f, exact %.5f ± %.5f", r, gotQ, wantQ, tol)
				}
			}

			if want := e.accel(); math.Abs(bt.accel-want) > 1e-12 {
				t.Errorf("acceleration %v, exact jackknife %v", bt.accel, want)
			}
		})
	}
}

// TestBootstrapIdentityDrawTies checks, on random data with up to 2000
// clusters, that the draw which takes every cluster once gives θ̂ bit for
// bit: the bootstrap sum and θ̂ use the same summation.
func TestBootstrapIdentityDrawTies(t *testing.T) {
	t.Parallel()
	for _, G := range []int{2, 3, 7, 50, 2000} {
		d := randomRatioData(rand.New(rand.NewPCG(7, uint64(G))), G, 0.9)
		per, tot := d.clusterSums()
		ones := make([]uint8, len(per))
		for g := range ones {
			ones[g] = 1
		}
		rs := NewResampler(len(per))
		st := rs.ratioFromSums(per)
		out := make([]float64, len(rs.cols))
		columnTotals(ones, rs.cols, out)
		if s := (ratioSums{out[st.cB], out[st.aB], out[st.cC], out[st.aC]}); s != tot || logRatio(s) != logRatio(tot) {
			t.Errorf("G = %d: sum of every cluster once %+v, θ̂ from %+v", G, s, tot)
		}
	}
}
