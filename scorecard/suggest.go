package scorecard

import "strings"

// Suggest returns the candidate closest to s by edit distance when it is
// close enough to be a plausible typo (at most a third of the longer
// name's length, and at most 3 edits), else the only candidate that s
// begins, else "".
func Suggest(s string, candidates []string) string {
	if s == "" {
		return ""
	}
	best, bestD := "", 4
	for _, c := range candidates {
		d := editDistance(s, c)
		limit := max(len(s), len(c)) / 3
		if limit < 1 {
			limit = 1
		}
		if d <= limit && d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		// A unique completion ("mcnemar" for "mcnemar-exact").
		for _, c := range candidates {
			if strings.HasPrefix(c, s) {
				if best != "" {
					return ""
				}
				best = c
			}
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment variant), so a swap of two letters ("alhpa") counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
