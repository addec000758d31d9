package stats

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestBinomHalfCDFExact: up to n = 62 the binomial tail is the exact sum
// of coefficients over 2^n (1/8 is 1/8), and it agrees with the
// incomplete beta function it replaces there.
func TestBinomHalfCDFExact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		b, c int
		want float64
	}{{0, 3, 0.125}, {1, 3, 0.3125}, {2, 2, 0.6875}, {0, 1, 0.5}, {3, 0, 1}} {
		if got := McNemarLower(tc.b, tc.c); got != tc.want {
			t.Errorf("McNemarLower(%d, %d) = %v, want exactly %v", tc.b, tc.c, got, tc.want)
		}
	}
	for n := 1; n <= exactBinomMax; n++ {
		for k := 0; k < n; k++ {
			beta := mathext.RegIncBeta(float64(n-k), float64(k+1), 0.5)
			if got := binomHalfCDF(k, n); math.Abs(got-beta) > 1e-13*math.Max(beta, 1e-300) && math.Abs(got-beta) > 1e-300 {
				t.Fatalf("binomHalfCDF(%d, %d) = %v, incomplete beta %v", k, n, got, beta)
			}
		}
	}
}
