// Package numfmt formats numbers the way every ftgate report prints them:
// the same text on every machine, so reports stay byte-identical.
package numfmt

import (
	"math"
	"strconv"
)

// Num formats x with four significant digits; NaN is "undefined".
func Num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "undefined"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// Pct formats a proportion as a percentage with one decimal.
func Pct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

// points formats a difference of proportions in percentage points.
// Points formats a difference of proportions in signed percentage points.
func Points(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if x >= 0 {
		s = "+" + s
	}
	return s + " pts"
}

// PointsInterval formats an interval of differences in percentage points,
// or "none" when it is undefined.
func PointsInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "none"
	}
	return "[" + trimPts(Points(lo)) + ", " + trimPts(Points(hi)) + "] pts"
}

func trimPts(s string) string {
	if len(s) > 4 && s[len(s)-4:] == " pts" {
		return s[:len(s)-4]
	}
	return s
}

// Ratio formats a ratio with three decimals and a multiplication sign.
func Ratio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	return strconv.FormatFloat(x, 'f', 3, 64) + "×"
}

// RatioInterval formats an interval of ratios, or "none" when it is
// undefined.
func RatioInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "none"
	}
	return "[" + Ratio(lo) + ", " + Ratio(hi) + "]"
}

// USD formats dollars, with four significant digits below one dollar.
func USD(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	return "$" + strconv.FormatFloat(x, 'f', significantDecimals(x), 64)
}

// significantDecimals shows small amounts with four significant digits.
func significantDecimals(x float64) int {
	x = math.Abs(x)
	if x == 0 || x >= 1 {
		return 2
	}
	return min(12, int(math.Ceil(-math.Log10(x)))+3)
}

// P formats a p-value with four decimals, or "< 0.0001".
func P(p float64) string {
	switch {
	case math.IsNaN(p):
		return "undefined"
	case p < 0.0001:
		return "< 0.0001"
	}
	return strconv.FormatFloat(p, 'f', 4, 64)
}

// PEquals formats "p = 0.0123", or "p < 0.0001" for tiny values.
func PEquals(p float64) string {
	s := P(p)
	if s[0] == '<' {
		return "p " + s
	}
	return "p = " + s
}

// Ms formats milliseconds, or missing when x is not finite.
func Ms(x float64, missing string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return missing
	}
	return strconv.FormatFloat(x, 'f', 0, 64) + " ms"
}

// MsInterval formats an interval of milliseconds, or missing.
func MsInterval(lo, hi float64, missing string) string {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return missing
	}
	return "[" + strconv.FormatFloat(lo, 'f', 0, 64) + ", " + strconv.FormatFloat(hi, 'f', 0, 64) + "]"
}

// RatioOf formats a/b as a ratio, or missing when it is undefined.
func RatioOf(a, b float64, missing string) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return missing
	}
	return Ratio(a / b)
}

// Cases formats a number of cases needed, rounded up.
func Cases(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "no number of"
	}
	return strconv.FormatFloat(math.Ceil(x), 'f', 0, 64)
}

// Months formats a break-even time: "never" when it is infinite or
// negative, "unknown" when it is undefined.
func Months(x float64) string {
	switch {
	case math.IsNaN(x):
		return "unknown"
	case math.IsInf(x, 0), x < 0:
		return "never"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " months"
}

// Volume formats a monthly volume, rounded up, or "never".
func Volume(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || x < 0 {
		return "never"
	}
	return strconv.FormatFloat(math.Ceil(x), 'f', 0, 64)
}
