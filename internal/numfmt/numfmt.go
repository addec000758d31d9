// Package numfmt formats numbers the way every ftgate report prints them
// (terminal, Markdown, JUnit, the chart and the sentences of the
// decision): the same text on every machine, so reports stay
// byte-identical, and one form per kind of number, so a value reads the
// same wherever it appears.
//
// The conventions: a negative number starts with an ASCII hyphen-minus
// before any unit sign ("-$0.0008714", "-2.5 pts"), so a value can be
// copied into a script; whole numbers of 1,000 or more have thousands
// separators ("5,000,000", "$42,000.00", "1,918 ms"); an undefined value
// is "undefined", an unbounded one "∞".
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Num formats x with four significant digits; NaN is "undefined".
func Num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "undefined"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
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

// Points formats a difference of proportions in signed percentage points.
func Points(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if s[0] != '-' {
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
	return "[" + strings.TrimSuffix(Points(lo), " pts") + ", " + strings.TrimSuffix(Points(hi), " pts") + "] pts"
}

// Ratio formats a ratio with three decimals and a multiplication sign;
// below 0.001 with three significant digits ("0.000412×"), so that a
// ratio above 0 never reads as 0.
func Ratio(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	if x != 0 && math.Abs(x) < 0.0005 {
		return strconv.FormatFloat(x, 'f', significantDecimals(x)-1, 64) + "×"
	}
	return strconv.FormatFloat(x, 'f', 3, 64) + "×"
}

// RatioInterval formats an interval of ratios, or "none" when it is
// undefined. A lower end of exactly 0 (a bootstrap whose resamples can
// leave a side without an accepted case, which makes the ratio 0 there)
// is written "no lower end": no cost ratio is 0.
func RatioInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "none"
	}
	low := Ratio(lo)
	if lo == 0 && hi > 0 {
		low = "no lower end"
	}
	return "[" + low + ", " + Ratio(hi) + "]"
}

// USD formats dollars: cents from one dollar up, four significant digits
// below, thousands separators, and the sign before the dollar sign
// ("-$0.0008714").
func USD(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Num(x)
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', significantDecimals(x), 64)
	if strings.Trim(s, "0.") == "" {
		return "$" + s // never "-$0.00"
	}
	sign := ""
	if x < 0 {
		sign = "-"
	}
	return sign + "$" + group(s)
}

// USDInterval formats an interval of dollars, or "none" when it is
// undefined.
func USDInterval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "none"
	}
	return "[" + USD(lo) + ", " + USD(hi) + "]"
}

// significantDecimals shows small amounts with four significant digits.
func significantDecimals(x float64) int {
	x = math.Abs(x)
	if x == 0 || x >= 1 {
		return 2
	}
	return min(12, int(math.Ceil(-math.Log10(x)))+3)
}

// group puts thousands separators into the integer part of an unsigned
// decimal number.
func group(s string) string {
	whole, frac, dot := strings.Cut(s, ".")
	if len(whole) <= 3 {
		return s
	}
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	if dot {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Int formats a whole number with thousands separators.
func Int(n int) string {
	s := group(strconv.Itoa(max(n, -n)))
	if n < 0 {
		return "-" + s
	}
	return s
}

// Counted writes n things with thousands separators and the noun in the
// form its number takes: "1 case", "0 cases", "1,200 cases". one and many
// are the noun's two forms (they may be phrases: "case was", "cases
// were").
func Counted(n int, one, many string) string {
	if n == 1 || n == -1 {
		return Int(n) + " " + one
	}
	return Int(n) + " " + many
}

// Count formats a volume or a number of cases, rounded up to a whole
// number, with thousands separators: "never" for +∞ (no volume is enough)
// and "unknown" for NaN.
func Count(x float64) string {
	switch {
	case math.IsNaN(x):
		return "unknown"
	case math.IsInf(x, 1):
		return "never"
	case math.IsInf(x, -1):
		return "-∞"
	}
	s := strconv.FormatFloat(math.Abs(math.Ceil(x)), 'f', 0, 64)
	if x < 0 && s != "0" {
		return "-" + group(s)
	}
	return group(s)
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
	return wholeNumber(x) + " ms"
}

// MsInterval formats an interval of milliseconds, or missing.
func MsInterval(lo, hi float64, missing string) string {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return missing
	}
	return "[" + wholeNumber(lo) + ", " + wholeNumber(hi) + "] ms"
}

// wholeNumber rounds x to a whole number and groups its digits.
func wholeNumber(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	if x < 0 && s != "0" {
		return "-" + group(s)
	}
	return group(s)
}

// RatioOf formats a/b as a ratio, or missing when it is undefined.
func RatioOf(a, b float64, missing string) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return missing
	}
	return Ratio(a / b)
}

// Cases formats a number of cases needed, rounded up, or "no number of"
// when no number of cases is enough.
func Cases(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "no number of"
	}
	return Count(x)
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

// Volume formats a monthly volume, rounded up, or "never" when no volume
// is enough.
func Volume(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || x < 0 {
		return "never"
	}
	return Count(x)
}
