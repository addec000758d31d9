package scorecard_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
)

// lines writes one native case a line for each id.
func lines(ids ...string) string {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, `{"id":%q,"accepted":true}`+"\n", id)
	}
	return b.String()
}

// many returns prefix+0 ... prefix+(n-1).
func many(prefix string, n int, suffix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d%s", prefix, i, suffix)
	}
	return out
}

// Scorecards that do not cover the same cases are refused with what the
// ids look like on each side, at the file that lacks cases, naming the
// side; a prefix or suffix that only one side's ids carry is pointed out;
// and the policy's way out (allow_unmatched) is offered only for a partial
// overlap, with what it would do.
func TestUnmatchedCasesSayWhy(t *testing.T) {
	t.Parallel()
	gate := scorecard.PairOptions{CountMissing: true, Candidate: 1} // as the gate pairs
	for _, tc := range []struct {
		name       string
		base, cand string
		o          scorecard.PairOptions
		want       string
	}{
		{"the candidate lacks cases", lines(many("q", 1200, "")...), lines(many("q", 1000, "")...), gate,
			`c.jsonl: the scorecards do not cover the same cases: 200 of the baseline b.jsonl's 1,200 cases are not in the candidate c.jsonl ("q1000", "q1001", "q1002", …); ` +
				`evaluate both systems on the same case set, or set pairing.allow_unmatched: true (--set pairing.allow_unmatched=true), ` +
				`with which the 200 cases missing from the candidate would count as its failures`},
		{"the baseline lacks one case", lines("a", "b"), lines("a", "b", "c"), gate,
			`b.jsonl: the scorecards do not cover the same cases: 1 of the candidate c.jsonl's 3 cases is not in the baseline b.jsonl ("c"); ` +
				`evaluate both systems on the same case set, or set pairing.allow_unmatched: true (--set pairing.allow_unmatched=true), ` +
				`with which the candidate's 1 case that the baseline lacks would be dropped`},
		{"a task prefix on the baseline only", lines(many("math:", 10, "")...), lines(many("", 10, "")...), gate,
			`c.jsonl: the scorecards have no case id in common: the baseline's ids look like "math:0", "math:1", "math:2", …; the candidate's ids look like "0", "1", "2", …; ` +
				`the baseline's ids carry the prefix "math:" that the candidate's lack: write the ids the same way on both sides`},
		{"a suffix on the candidate only", lines(many("doc-", 4, "")...), lines(many("doc-", 4, ":strict-match")...), gate,
			`c.jsonl: the scorecards have no case id in common: the baseline's ids look like "doc-0", "doc-1", "doc-2", …; the candidate's ids look like "doc-0:strict-match", "doc-1:strict-match", "doc-2:strict-match", …; ` +
				`the candidate's ids carry the suffix ":strict-match" that the baseline's lack: write the ids the same way on both sides`},
		{"nothing alike, even with allow_unmatched", lines("a", "b"), lines("x"), scorecard.PairOptions{AllowUnmatched: true},
			`c.jsonl: the scorecards have no case id in common: the baseline's ids look like "a", "b"; the candidate's ids look like "x"; evaluate both systems on the same case set, with the same ids`},
		{"half the ids prefixed", lines("t:1", "t:2", "t:3", "t:4", "5"), lines("1", "2", "3", "4", "5", "6"), gate,
			`c.jsonl: the scorecards do not cover the same cases: 4 of the baseline b.jsonl's 5 cases are not in the candidate c.jsonl ("t:1", "t:2", "t:3", …); ` +
				`5 of the candidate c.jsonl's 6 cases are not in the baseline b.jsonl ("1", "2", "3", …); the baseline's ids carry the prefix "t:" that the candidate's lack: ` +
				`write the ids the same way on both sides; evaluate both systems on the same case set, or set pairing.allow_unmatched: true (--set pairing.allow_unmatched=true), ` +
				`with which the 4 cases missing from the candidate would count as its failures and the candidate's 5 cases that the baseline lacks would be dropped`},
	} {
		_, err := scorecard.Pair([]*scorecard.Scorecard{read(t, "b.jsonl", tc.base), read(t, "c.jsonl", tc.cand)}, tc.o)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}

	// Three arms: the tiers are numbered.
	_, err := scorecard.Pair([]*scorecard.Scorecard{read(t, "small.jsonl", lines("a", "b")), read(t, "large.jsonl", lines("a", "b", "c")), read(t, "c.jsonl", lines("a", "b", "c"))}, scorecard.PairOptions{CountMissing: true, Candidate: 2})
	if want := `small.jsonl: the scorecards do not cover the same cases: 1 of the baseline 2 large.jsonl's 3 cases is missing from another scorecard ("c"); 1 of the candidate c.jsonl's 3 cases is missing from another scorecard ("c"); ` +
		`evaluate both systems on the same case set, or set pairing.allow_unmatched: true (--set pairing.allow_unmatched=true), with which the candidate's 1 case that a baseline lacks would be dropped`; err == nil || err.Error() != want {
		t.Errorf("three arms:\n got %v\nwant %s", err, want)
	}
}
