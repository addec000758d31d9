package gate

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

func nan() float64 { return math.NaN() }

func itoa(n int) string { return strconv.Itoa(n) }

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func sortFloats(x []float64) { sort.Float64s(x) }
