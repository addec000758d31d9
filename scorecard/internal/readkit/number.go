package readkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseNumber decodes a finite JSON number; nonNegative also refuses
// negatives. It returns a message describing what is wrong, or "".
func ParseNumber(raw json.RawMessage, nonNegative bool) (float64, string) {
	s := strings.TrimSpace(string(raw))
	if FirstNonSpace(raw) == '"' {
		return 0, fmt.Sprintf("must be a number, found the string %s", s)
	}
	x, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && !math.IsInf(x, 0) {
		err = nil // underflow to zero or a denormal: a finite number
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		what := Describe(raw)
		if what == "a number" {
			what = strconv.Quote(s) // number-like text that is not one
		}
		return 0, fmt.Sprintf("must be a number, found %s", what)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Sprintf("must be finite, found %s", s)
	}
	if nonNegative && x < 0 {
		return 0, fmt.Sprintf("must be ≥ 0, found %s", s)
	}
	return x, ""
}
