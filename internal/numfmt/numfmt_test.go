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
		{Ratio(0.000412345), "0.000412×"},
		{Ratio(0.00049), "0.000490×"},
		{Ratio(0.0005), "0.001×"},
		{Ratio(0), "0.000×"},
		{RatioInterval(0, 108.90098), "[no lower end, 108.901×]"},
		{RatioInterval(0.0000123, 2), "[0.0000123×, 2.000×]"},
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
		{Ms(1918.4, "-"), "1,918 ms"},
		{Ms(nan, "-"), "-"},
		{MsInterval(3046, 3279, "-"), "[3,046, 3,279] ms"},
		{Ms(12345.6, "-"), "12,346 ms"},
		{RatioOf(1918, 3166, "-"), "0.606×"},
		{RatioOf(1, 0, "-"), "-"},
		{Cases(4391.2), "4,392"},
		{Cases(5283.5), "5,284"},
		{Cases(600), "600"},
		{Cases(inf), "no number of"},
		{Months(2.43), "2.4 months"},
		{Months(inf), "never"},
		{Months(-1), "never"},
		{Months(nan), "unknown"},
		{Volume(2150000.2), "2,150,001"},
		{Volume(-1), "never"},
		{Count(5e6), "5,000,000"},
		{Count(999), "999"},
		{Count(1000), "1,000"},
		{Count(-0.4), "0"},
		{Count(-1234), "-1,234"},
		{Count(math.Inf(1)), "never"},
		{Count(nan), "unknown"},
		{Int(1234567), "1,234,567"},
		{Int(-1000), "-1,000"},
		{Int(12), "12"},
		{USD(-0.0008714), "-$0.0008714"},
		{USD(42000), "$42,000.00"},
		{USD(-1234567.891), "-$1,234,567.89"},
		{USD(-0.0000000000001), "$0.000000000000"},
		{USD(0), "$0.00"},
		{USDInterval(0.000425, 0.0004627), "[$0.0004250, $0.0004627]"},
		{USDInterval(nan, 1), "none"},
		{Points(-0.00001), "+0.0 pts"},
		{Num(math.Inf(-1)), "-∞"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x    float64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {2_083_333.3, "2,083,334"}, {1e9, "1,000,000,000"},
		{math.Inf(1), "never"}, {math.NaN(), "unknown"}, {-1500, "-1,500"}}
	for _, tt := range tests {
		if got := Count(tt.x); got != tt.want {
			t.Errorf("Count(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
