package gate

import (
	"context"
	"testing"
)

// Tango's test with a positive margin takes the exact unconditional
// p-value below 200 discordant pairs (methods.md §2) and the normal
// reference from 200 on; a margin of 0 is McNemar's exact test whatever
// the count.
func TestTangoExactSwitch(t *testing.T) {
	t.Parallel()
	const n = 2000
	for _, tc := range []struct {
		b, c   int
		m      float64
		method string
	}{
		{150, 49, 0.02, "tango-exact"},
		{150, 50, 0.02, "tango"},
		{150, 49, 0, "mcnemar-exact"},
		{10, 0, 0.02, "tango-exact"},
		{120, 79, -0.02, "tango"},
	} {
		base, cand := arm{acc: make([]float64, n)}, arm{acc: make([]float64, n)}
		cl := make([]int, n)
		for i := range cl {
			cl[i] = i
			switch {
			case i < tc.b:
				cand.acc[i] = 1
			case i < tc.b+tc.c:
				base.acc[i] = 1
			case i%2 == 0:
				base.acc[i], cand.acc[i] = 1, 1
			}
		}
		pol := DefaultPolicy()
		pol.Quality.MinGain = tc.m
		q, err := qualityTest(context.Background(), shape(n, n, 1), base, cand, cl, pol)
		if err != nil {
			t.Fatal(err)
		}
		if q.Method != tc.method {
			t.Errorf("b = %d, c = %d (%d discordant), m = %v: method %s, want %s", tc.b, tc.c, tc.b+tc.c, tc.m, q.Method, tc.method)
		}
	}
}
