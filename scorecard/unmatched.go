package scorecard

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
)

// This file words the error of Pair for scorecards that do not cover the
// same cases. The usual causes are not a lost case or two but ids written
// differently on each side (a task prefix on one side only, a renamed
// file), and the policy's way out (pairing.allow_unmatched) would then
// count every case as a candidate failure: the message shows what the ids
// look like on each side and offers that way out only for a partial
// overlap, saying what it does.

// candidateArm is the arm that is the candidate: the last one, as every
// caller orders them, unless CountMissing names another.
func candidateArm(n int, o PairOptions) int {
	if o.CountMissing && o.Candidate >= 0 && o.Candidate < n {
		return o.Candidate
	}
	return n - 1
}

// roleOf names arm a of n as the user gave it: the candidate, and the
// baselines (numbered when there are several).
func roleOf(a, n int, o PairOptions) string {
	cand := candidateArm(n, o)
	switch {
	case a == cand:
		return "candidate"
	case n > 2:
		b := a + 1
		if a > cand {
			b = a
		}
		return fmt.Sprintf("baseline %d", b)
	}
	return "baseline"
}

// unmatchedError explains why the arms cannot be paired: only[a] lists the
// ids of arm a that some other arm lacks, and common is the number of ids
// every arm has. The message is located at the file that lacks cases (the
// candidate when it does).
func unmatchedError(arms []*Scorecard, groups []armCases, only [][]string, common int, o PairOptions) error {
	n := len(arms)
	cand := candidateArm(n, o)
	// at is the file the message is about: the candidate when it lacks
	// cases another arm has, else the first arm that does.
	at := cand
	if lackedBy(groups, only, cand) == 0 {
		for a := range arms {
			if lackedBy(groups, only, a) > 0 {
				at = a
				break
			}
		}
	}
	var parts []string
	for a := range arms {
		if len(only[a]) > 0 {
			parts = append(parts, unmatchedClause(arms, a, o, only[a], groups[a].len()))
		}
	}
	var msg string
	if common == 0 {
		var looks []string
		for a := range arms {
			looks = append(looks, fmt.Sprintf("%s's ids look like %s", roleOf(a, n, o), sampleIDs(&groups[a], 3)))
		}
		msg = "the scorecards have no case id in common: the " + strings.Join(looks, "; the ")
		if hint := affixHint(arms, only, o); hint != "" {
			msg += "; " + hint
		} else {
			msg += "; evaluate both systems on the same case set, with the same ids"
		}
	} else {
		msg = "the scorecards do not cover the same cases: " + strings.Join(parts, "; ")
		if hint := affixHint(arms, only, o); hint != "" {
			msg += "; " + hint
		}
		msg += "; evaluate both systems on the same case set, or set pairing.allow_unmatched: true (--set pairing.allow_unmatched=true), with which " +
			allowed(arms, groups, only, o)
	}
	return Errorf(arms[at].Source, 0, "%s", msg)
}

// unmatchedClause says which of arm a's total cases (only) another arm
// lacks: "3 of the candidate c.jsonl's 10 cases are not in the baseline
// b.jsonl (…)", or "missing from another scorecard" with several
// baselines.
func unmatchedClause(arms []*Scorecard, a int, o PairOptions, only []string, total int) string {
	n := len(arms)
	who := func(a int) string { return fmt.Sprintf("the %s %s", roleOf(a, n, o), arms[a].Source) }
	where := "missing from another scorecard"
	if n == 2 {
		where = "not in " + who(1-a)
	}
	verb := "are"
	if len(only) == 1 {
		verb = "is"
	}
	return fmt.Sprintf("%s of %s's %s %s %s (%s)", numfmt.Int(len(only)), who(a), numfmt.Counted(total, "case", "cases"), verb, where, firstFew(only, 3))
}

// countedMissingWarning says that the cases missing from the candidate's
// file count as its failures, each at cost (NaN: cost not measured).
func countedMissingWarning(file string, missing []string, cost float64) string {
	each := "no cost (the candidate's cost is not measured)"
	if !math.IsNaN(cost) {
		each = "the candidate's highest cost per case, " + numfmt.USD(cost)
	}
	verb := "count as candidate failures"
	if len(missing) == 1 {
		verb = "counts as a candidate failure"
	}
	return fmt.Sprintf("%s missing from %s %s (%s), each with %s", numfmt.Counted(len(missing), "case", "cases"), file, verb, firstFew(missing, 3), each)
}

// allowed says what pairing.allow_unmatched would do with the unmatched
// cases: the candidate's missing cases count as its failures (or are
// dropped, with pairing.unmatched: drop), and the rest are dropped.
func allowed(arms []*Scorecard, groups []armCases, only [][]string, o PairOptions) string {
	n := len(arms)
	cand := candidateArm(n, o)
	// The cases the candidate lacks, and its cases that a baseline lacks.
	lacks, extra := lackedBy(groups, only, cand), len(only[cand])
	var out []string
	if lacks > 0 {
		if o.CountMissing {
			out = append(out, fmt.Sprintf("the %s missing from the candidate would count as its failures", numfmt.Counted(lacks, "case", "cases")))
		} else {
			out = append(out, fmt.Sprintf("the %s missing from the candidate would be dropped", numfmt.Counted(lacks, "case", "cases")))
		}
	}
	if extra > 0 {
		base := "a baseline"
		if n == 2 {
			base = "the baseline"
		}
		out = append(out, fmt.Sprintf("the candidate's %s that %s lacks would be dropped", numfmt.Counted(extra, "case", "cases"), base))
	}
	return strings.Join(out, " and ")
}

// lackedBy counts the ids, among those some arm lacks, that arm a lacks.
func lackedBy(groups []armCases, only [][]string, a int) int {
	seen := map[string]bool{}
	for b := range only {
		if b == a {
			continue
		}
		for _, id := range only[b] {
			if !seen[id] && !groups[a].has(id) {
				seen[id] = true
			}
		}
	}
	return len(seen)
}

// has reports whether the arm has a case id (its ids are sorted).
func (c *armCases) has(id string) bool {
	k := sort.Search(c.len(), func(k int) bool { return c.id(k) >= id })
	return k < c.len() && c.id(k) == id
}

// sampleIDs quotes the first few ids of an arm, in sorted order.
func sampleIDs(g *armCases, k int) string {
	if g.len() == 0 {
		return "nothing (no cases)"
	}
	ids := make([]string, 0, k)
	for i := 0; i < g.len() && i < k; i++ {
		ids = append(ids, g.id(i))
	}
	more := ""
	if g.len() > k {
		more = ", …"
	}
	return firstFew(ids, k) + more
}

// maxAffixChecks bounds the ids affixHint looks at on each side.
const maxAffixChecks = 2000

// affixHint looks for ids that differ only by a prefix or a suffix that
// one side adds (lm-eval's "task:" before a doc_id, a ":strict-match"
// filter after it) and says so, with what makes the sides agree. It
// returns "" when no such affix accounts for most of the unmatched ids.
func affixHint(arms []*Scorecard, only [][]string, o PairOptions) string {
	n := len(arms)
	type found struct {
		with, without int // arms
		affix         string
		prefix        bool
		count         int
	}
	var best found
	for a := range arms {
		for b := range arms {
			if a == b || len(only[a]) == 0 || len(only[b]) == 0 {
				continue
			}
			bare := make(map[string]bool, min(len(only[b]), maxAffixChecks))
			for _, id := range only[b][:min(len(only[b]), maxAffixChecks)] {
				bare[id] = true
			}
			counts := map[string]int{}
			for _, id := range only[a][:min(len(only[a]), maxAffixChecks)] {
				// Cut at each separator: the prefix keeps it, and so does
				// the suffix.
				for i := 0; i < len(id); i++ {
					if !strings.ContainsRune(":/|._-# ", rune(id[i])) {
						continue
					}
					if bare[id[i+1:]] {
						counts["p"+id[:i+1]]++
					}
					if bare[id[:i]] {
						counts["s"+id[i:]]++
					}
				}
			}
			keys := make([]string, 0, len(counts))
			for k := range counts {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if c := counts[k]; c > best.count {
					best = found{with: a, without: b, affix: k[1:], prefix: k[0] == 'p', count: c}
				}
			}
		}
	}
	least := min(len(only[best.with]), len(only[best.without]), maxAffixChecks)
	if best.count == 0 || 2*best.count < least {
		return ""
	}
	where := "prefix"
	if !best.prefix {
		where = "suffix"
	}
	hint := fmt.Sprintf("the %s's ids carry the %s %q that the %s's lack: write the ids the same way on both sides",
		roleOf(best.with, n, o), where, best.affix, roleOf(best.without, n, o))
	if bare := arms[best.without]; bare.Format == "lm-eval" && best.prefix {
		hint += fmt.Sprintf("; an lm-eval samples file whose documents do not name their task takes it from the harness's file name, samples_<task>_<timestamp>.jsonl: give %s that name back", bare.Source)
	}
	return hint
}
