package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
)

func TestMarkdownGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Markdown(&buf, f.d, f.names); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "markdown/"+f.name+".md", buf.Bytes())
			checkMarkdownSafe(t, buf.String())
		})
	}
}

// checkMarkdownSafe checks what must hold for any decision: no raw HTML,
// no workflow command, tables whose every row has the header's columns,
// and Mermaid blocks of plain labels only.
func checkMarkdownSafe(t *testing.T, md string) {
	t.Helper()
	// ftgate's own collapsible sections are the only HTML.
	bare := strings.NewReplacer("<details><summary>", "", "</summary>", "", "</details>", "").Replace(md)
	if strings.Contains(bare, "<") {
		t.Errorf("Markdown holds a raw '<' (HTML could get through):\n%s", md)
	}
	if strings.Count(md, "<details>") != strings.Count(md, "</details>") {
		t.Errorf("unbalanced <details> sections:\n%s", md)
	}
	cols := -1
	inChart := false
	for i, line := range strings.Split(md, "\n") {
		trim := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trim, "::") || strings.Contains(line, "##[") {
			t.Errorf("line %d reads as a workflow command: %q", i+1, line)
		}
		// GitHub autolinks these; the reports link nothing, so any one
		// would be a scorecard's live link.
		if low := strings.ToLower(line); strings.Contains(low, "://") || strings.Contains(low, "www.") || strings.Contains(line, "](") {
			t.Errorf("line %d could become a link: %q", i+1, line)
		}
		switch {
		case line == "```mermaid":
			inChart = true
			continue
		case inChart && line == "```":
			inChart = false
			continue
		case inChart:
			for _, r := range line {
				if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" -_.\"[],:>", r)) {
					t.Errorf("line %d: Mermaid line has %q: %q", i+1, r, line)
				}
			}
			continue
		case strings.HasPrefix(line, "```"):
			t.Errorf("line %d: a code fence outside the chart: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "|") {
			cols = -1
			continue
		}
		n := tableCells(line)
		if cols < 0 {
			cols = n
		} else if n != cols {
			t.Errorf("line %d has %d cells, the table's header %d: %q", i+1, n, cols, line)
		}
	}
}

// tableCells counts the cells of a GFM table row: the pipes that are not
// backslash-escaped, less one.
func tableCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestMarkdownText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"refund-email", "refund-email"},
		{"a|b", `a\|b`},
		{"`code`", "\\`code\\`"},
		{"<script>alert(1)</script>", `&lt;script&gt;alert\(1\)&lt;/script&gt;`},
		{"a&amp;b", "a&amp;amp;b"},
		{"line\nbreak\r", `line\\x0abreak\\x0d`},
		{"*b* _i_ ~s~", `\*b\* \_i\_ \~s\~`},
		{"[l](http://x)", "\\[l\\]\\(http:\u2060//x\\)"},
		{"see https://evil.example/x", "see https:\u2060//evil.example/x"},
		{"HTTPS://EVIL.example ftp://f", "HTTPS:\u2060//EVIL.example ftp:\u2060//f"},
		{"www.evil.example", "www\u2060.evil.example"},
		{"(WwW.evil.example)", "\\(WwW\u2060.evil.example\\)"},
		{"mail a@b.example", "mail a@\u2060b.example"},
		{"10:30 a:b //c", "10:30 a:b //c"},
		{"f(x)", `f\(x\)`},
		{"1) first", `1\) first`},
		{"- item", `\- item`},
		{"  # head", `  \# head`},
		{"1. first", `1\. first`},
		{"v1.2", "v1.2"},
		{"= setext", `\= setext`},
		{"a-b = c", "a-b = c"},
		{"$x$", `\$x\$`},
		{"@octocat", "@\u2060octocat"},
		{"\u202eevil", `\\u202eevil`},
		{"back\\slash", `back\\slash`},
		{"bad \xff utf8", `bad \\xff utf8`},
		{"::error::x", "::error::x"},
		// GitHub's cross-references and line separators.
		{"fixes #123", "fixes \\#\u2060123"},
		{"owner/repo#7", "owner/repo\\#\u20607"},
		{"# heading", `\# heading`},
		{"GH-42 gh-7 GH-x", "GH-\u206042 gh-\u20607 GH-x"},
		{"commit 0123456789abcdef0123456789abcdef01234567", "commit 012345\u20606789ab\u2060cdef01\u2060234567\u206089abcd\u2060ef0123\u20604567"},
		{"sha deadbee!", "sha deadbe\u2060e!"},
		{"c0ffee1x deadbe", "c0ffee1x deadbe"},
		{"$0.0004430 and 12345678", `\$0.0004430 and 12345678`},
		{"a\u2028b\u2029c", `a\\u2028b\\u2029c`},
	} {
		if got := MarkdownText(tc.in); got != tc.want {
			t.Errorf("MarkdownText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMermaidLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"baseline gpt-4.1-mini", 40, "baseline gpt-4.1-mini"},
		{"a\"b:c;d%%e`f\ng", 40, "a_b_c_d__e_f_g"},
		{"   ", 40, "unnamed"},
		{"abcdefghij", 5, "abcde..."},
		{"ünïcode", 40, "_n_code"},
	} {
		if got := MermaidLabel(tc.in, tc.max); got != tc.want {
			t.Errorf("MermaidLabel(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

// The broken cases of a regressed workflow are listed up to MaxCaseRows,
// with the count.
func TestMarkdownCaseTableCap(t *testing.T) {
	t.Parallel()
	f := fixtures()[1] // fail: "refund-email" regresses
	d := *f.d
	d.CaseChanges = nil
	for i := range 60 {
		d.CaseChanges = append(d.CaseChanges, gate.CaseChange{ID: fmt.Sprintf("r%02d", i), Workflow: "refund-email", Change: gate.ChangeBroke,
			Baseline: gate.CaseOutcome{Samples: 1, Accepted: 1, CostUSD: 0.01}, Candidate: gate.CaseOutcome{Samples: 1, Classes: []string{"tone"}, CostUSD: 0.02},
			CostChangeUSD: 0.01})
	}
	var buf bytes.Buffer
	if err := Markdown(&buf, &d, f.names); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	section, _, _ := strings.Cut(md[strings.Index(md, "<summary>Cases the candidate broke in refund-email"):], "</details>")
	if !strings.Contains(section, "(60; the first 50 shown)") || strings.Count(section, "\n| r") != 50 ||
		!strings.Contains(section, "10 more; `ftgate cases REPORT.json` lists them all.") || !strings.Contains(section, "| +\\$0.01000 |") {
		t.Errorf("the broken cases' section:\n%s", section)
	}
}

// TestUnmatchedPhrase: what became of the cases only one side has is said
// the same way in every report, and a case counted as a candidate failure
// is not called dropped.
func TestUnmatchedPhrase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    gate.CaseCounts
		want string
	}{
		{gate.CaseCounts{Paired: 10}, ""},
		{gate.CaseCounts{BaselineOnly: 3, CountedAsFailures: 3}, "; 3 baseline-only cases counted as candidate failures"},
		{gate.CaseCounts{BaselineOnly: 1, CandidateOnly: 2}, "; 1 baseline-only case dropped, 2 candidate-only cases dropped"},
		{gate.CaseCounts{BaselineOnly: 1500, CountedAsFailures: 1200, CandidateOnly: 1}, "; 1,200 baseline-only cases counted as candidate failures, 300 baseline-only cases dropped, 1 candidate-only case dropped"},
	} {
		if got := unmatchedPhrase(tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}
