package numfmt

import (
	"math"
	"testing"
)

func TestFormats(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct{ got, want string }{
		{Pct(0.875), "87.5%"},
		{Pct(nan), "undefined"},
		{Points(0.088), "+8.8 pts"},
		{Points(-0.2083), "-20.8 pts"},
		{Points(0), "+0.0 pts"},
		{PointsInterval(0.058, 0.119), "[+5.8, +11.9] pts"},
		{PointsInterval(nan, 0.1), "none"},
		{Ratio(0.3134), "0.313×"},
		{RatioInterval(1.8642, 2.0518), "[1.864×, 2.052×]"},
		{RatioInterval(nan, nan), "none"},
		{USD(0.001417), "$0.001417"},
		{USD(0.000443), "$0.0004430"},
		{USD(113.08), "$113.08"},
		{USD(inf), "∞"},
		{P(0.05), "0.0500"},
		{P(0.00001), "< 0.0001"},
		{PEquals(0.25), "p = 0.2500"},
		{PEquals(1e-9), "p < 0.0001"},
		{Num(0.6059), "0.6059"},
		{Num(2500), "2500"},
		{Ms(1918.4, "-"), "1918 ms"},
		{Ms(nan, "-"), "-"},
		{MsInterval(3046, 3279, "-"), "[3046, 3279]"},
		{RatioOf(1918, 3166, "-"), "0.606×"},
		{RatioOf(1, 0, "-"), "-"},
		{Cases(4391.2), "4392"},
		{Cases(inf), "no number of"},
		{Months(2.43), "2.4 months"},
		{Months(inf), "never"},
		{Months(-1), "never"},
		{Months(nan), "unknown"},
		{Volume(2150000.2), "2150001"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
