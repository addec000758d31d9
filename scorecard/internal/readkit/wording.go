package readkit

// This file holds the wording that messages share: "did you mean",
// choosing among names a file offers, counts and lists.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/numfmt"
)

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

// PickName resolves a user's choice (a --flag value) among the names an
// input offers: the choice when it is one of them, the only name when there
// is just one, else an error listing them. what is singular ("scorer").
func PickName(in *Input, what, flag, want string, have []string) (string, bool) {
	if want != "" {
		for _, h := range have {
			if h == want {
				return want, true
			}
		}
		msg := fmt.Sprintf("no %s %q in this file (it has %s)", what, want, QuoteList(have))
		if s := Suggest(want, have); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		in.Fail("%s", msg)
		return "", false
	}
	if len(have) == 1 {
		return have[0], true
	}
	in.FailChoice("this file has %d %ss (%s); pick one with --%s", len(have), what, QuoteList(have), flag)
	return "", false
}

// Counted writes n with the singular or plural phrase that follows it.
func Counted(n int, one, many string) string { return numfmt.Counted(n, one, many) }

// ByteSize writes n bytes for people: 512 B, 3.5 KiB, 64 MiB, 1 GiB.
func ByteSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	x, unit := float64(n)/1024, "KiB"
	for _, u := range []string{"MiB", "GiB", "TiB"} {
		if x < 1024 {
			break
		}
		x, unit = x/1024, u
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", x), ".0") + " " + unit
}

// QuoteList returns the names quoted and comma-separated, in the given order.
func QuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// FirstFew quotes the first n ids, with "…" when there are more.
func FirstFew(ids []string, n int) string {
	q := make([]string, 0, n+1)
	for i, id := range ids {
		if i == n {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(id))
	}
	return strings.Join(q, ", ")
}

// FirstLineOf returns the first non-blank line of s, trimmed.
func FirstLineOf(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

// Truncate shortens s to at most n runes, marking the cut.
func Truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Name writes a name taken from the input (an archive member, a key joined
// into a path such as model_usage.NAME.input_tokens) for a message: as it
// is when every character is printable and none is white space, quoted
// with %q otherwise, so that a line break, a control or a bidi character in
// a name keeps the message on one line and shows what the name holds.
func Name(s string) string {
	if s == "" || !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if r == '"' || r == ' ' || !strconv.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
