package report

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// An example is one bundled scenario folder, decided as the command line
// decides it.
type example struct {
	name      string
	baselines []string
	history   []string
}

var examples = []example{
	{name: "pass", baselines: []string{"baseline.jsonl"}},
	{name: "cost-loss", baselines: []string{"baseline.jsonl"}},
	{name: "inconclusive", baselines: []string{"baseline.jsonl"}},
	{name: "segment-regression", baselines: []string{"baseline.jsonl"}},
	{name: "routed", baselines: []string{"baseline-small.jsonl", "baseline-medium.jsonl", "baseline-large.jsonl"}},
	{name: "volume", baselines: []string{"baseline.jsonl"}, history: []string{"baseline-history-1.jsonl", "baseline-history-2.jsonl", "baseline-history-3.jsonl"}},
}

// decideExample runs the gate on an example folder.
func decideExample(t *testing.T, ex example) (*gate.Decision, Names) {
	t.Helper()
	dir := filepath.Join("..", "examples", ex.name)
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	policyFile := "examples/" + ex.name + "/gate.yaml"
	pol, err := gate.ParsePolicy(policyFile, read("gate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	card := func(name string) *scorecard.Scorecard {
		sc, err := scorecard.Read(name, read(name), scorecard.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := scorecard.ApplyPricing(sc, pol.Pricing); err != nil {
			t.Fatal(err)
		}
		return sc
	}
	var arms, history []*scorecard.Scorecard
	in := gate.Input{Provenance: gate.Provenance{PolicyFile: policyFile, PolicySHA256: strings.Repeat("0123456789abcdef", 4), Version: "v0.0.0-test"}}
	for i, b := range ex.baselines {
		arms = append(arms, card(b))
		in.Baselines = append(in.Baselines, i)
	}
	arms = append(arms, card("candidate.jsonl"))
	in.Candidate = len(arms) - 1
	for _, h := range ex.history {
		history = append(history, card(h))
	}
	in.History = history
	in.Paired, err = scorecard.Pair(arms, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := gate.Decide(in, pol)
	if err != nil {
		t.Fatal(err)
	}
	names := Names{Baseline: arms[0].System.Name, Candidate: arms[len(arms)-1].System.Name}
	if len(ex.baselines) > 1 {
		names.Baseline = RoutedName
	}
	return d, names
}

// TestExamplesText checks that every line of every example's terminal
// report fits the width, with and without --details, and keeps the
// --details reports as goldens (internal/cli holds the default ones).
func TestExamplesText(t *testing.T) {
	t.Parallel()
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			d, names := decideExample(t, ex)
			for _, details := range []bool{false, true} {
				var buf bytes.Buffer
				if err := TextWith(&buf, d, names, TextOptions{Details: details}); err != nil {
					t.Fatal(err)
				}
				name := ex.name + ".txt"
				if details {
					name = ex.name + ".details.txt"
					checkGolden(t, "text/"+name, buf.Bytes())
				}
				checkWidth(t, name, buf.String(), DefaultWidth)
			}
		})
	}
}

// checkWidth fails for a line wider than limit columns.
func checkWidth(t *testing.T, name, text string, limit int) {
	t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if w := width(line); w > limit {
			t.Errorf("%s:%d: %d columns, more than %d: %q", name, i+1, w, limit, line)
		}
	}
}

// TestTextColor: with colour on, the verdict and results carry SGR
// sequences; without them the text is the same as with colour off.
func TestTextColor(t *testing.T) {
	t.Parallel()
	d, names := decideExample(t, examples[3]) // segment-regression: a FAIL
	var plain, colored bytes.Buffer
	if err := TextWith(&plain, d, names, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := TextWith(&colored, d, names, TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Error("colour off, yet an escape sequence")
	}
	for _, want := range []string{"ftgate: \x1b[31mFAIL (blocks the release)\x1b[0m", "\x1b[31mREGRESSION\x1b[0m", "\x1b[32mmet\x1b[0m"} {
		if !strings.Contains(colored.String(), want) {
			t.Errorf("coloured report lacks %q", want)
		}
	}
	sgr := regexp.MustCompile("\x1b\\[[0-9;]*m")
	if got := sgr.ReplaceAllString(colored.String(), ""); got != plain.String() {
		t.Error("the coloured report's text differs from the plain one")
	}
}

// TestExamplesMarkdown renders every example's Markdown summary: safe,
// and a PASS reads in under 40 lines before its collapsed sections. The
// passing and the regressed example are kept as goldens.
func TestExamplesMarkdown(t *testing.T) {
	t.Parallel()
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			d, names := decideExample(t, ex)
			var buf bytes.Buffer
			if err := Markdown(&buf, d, names); err != nil {
				t.Fatal(err)
			}
			md := buf.String()
			checkMarkdownSafe(t, md)
			before, _, _ := strings.Cut(md, "<details>")
			inView := strings.Count(before, "\n")
			if d.Verdict == gate.Pass && inView >= 40 {
				t.Errorf("a PASS shows %d lines before the collapsed sections, want under 40", inView)
			}
			if ex.name == "pass" || ex.name == "segment-regression" {
				checkGolden(t, "markdown/example-"+ex.name+".md", buf.Bytes())
			}
			if ex.name == "segment-regression" && !strings.Contains(md, "<details><summary>Cases the candidate broke in policy-qa (") {
				t.Errorf("the regressed workflow's broken cases are not listed")
			}
			t.Logf("%s: %d lines in view, %d in all", ex.name, inView, strings.Count(md, "\n"))
		})
	}
}

// TestJSONCaseChanges: case changes reach the JSON report with undefined
// costs as null, and the provenance is null for the default policy.
func TestJSONCaseChanges(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	d := &gate.Decision{Verdict: gate.Fail, Policy: gate.DefaultPolicy(), Provenance: gate.Provenance{Version: "v2"},
		CaseChanges: []gate.CaseChange{{ID: "c1", Workflow: "w", Change: gate.ChangeClass,
			Baseline:  gate.CaseOutcome{Samples: 2, Accepted: 1, Classes: []string{"tone"}, CostUSD: nan},
			Candidate: gate.CaseOutcome{Samples: 2, Accepted: 1, Classes: []string{"format"}, CostUSD: 0.25}, CostChangeUSD: nan}}}
	data, err := JSON(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"ftgate_version": "v2"`, `"policy_file": null`, `"policy_sha256": null`,
		`"change": "changed_class"`, `"outcome": "1 of 2 accepted"`, `"cost_usd": null`, `"cost_usd": 0.25`, `"cost_change_usd": null`,
		`"failure_classes": [
          "format"
        ]`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON report lacks %s", want)
		}
	}
	back, err := ReadCaseChanges(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || back[0].Candidate.CostUSD != 0.25 || !math.IsNaN(back[0].CostChangeUSD) || back[0].Baseline.Classes[0] != "tone" {
		t.Errorf("read back %+v", back)
	}
}

// TestTextQuiet: the quiet report is the verdict and what blocks it.
func TestTextQuiet(t *testing.T) {
	t.Parallel()
	d, names := decideExample(t, examples[3]) // segment-regression
	var buf bytes.Buffer
	if err := TextWith(&buf, d, names, TextOptions{Quiet: true}); err != nil {
		t.Fatal(err)
	}
	want := `ftgate: FAIL (blocks the release)
candidate support-ft-nano-v3 against baseline support-rag-v7: 600 paired cases in 320 clusters
  - Segment "policy-qa" regresses: 80.0% → 59.2% (-20.8 pts) over 120 cases, Holm-adjusted
    p = 0.0004 ≤ α = 0.05; this blocks the release.
`
	if buf.String() != want {
		t.Errorf("quiet report:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestJSONFindings: the report's findings say which reason blocks.
func TestJSONFindings(t *testing.T) {
	t.Parallel()
	d, _ := decideExample(t, examples[3]) // segment-regression
	data, err := JSON(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Reasons  []string
		Findings []struct {
			Check, Status, Text string
			Blocking            bool
		}
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var blocking []string
	for i, f := range rep.Findings {
		if f.Text != rep.Reasons[i] {
			t.Errorf("finding %d is not reason %d", i, i)
		}
		if f.Blocking {
			blocking = append(blocking, f.Check+" "+f.Status)
		}
	}
	if len(rep.Findings) != len(rep.Reasons) || len(blocking) != 1 || blocking[0] != "segment fail" {
		t.Errorf("blocking findings %q of %d", blocking, len(rep.Findings))
	}
}

// The changed cases are listed by the command for the report actually
// written: its path quoted for a shell when it must be, a command that
// lists a regressed workflow's broken cases, and a backslash continuation
// (never a cut word) where the command is too long for the width.
func TestCasesCommand(t *testing.T) {
	t.Parallel()
	d, names := decideExample(t, examples[3]) // segment-regression: policy-qa regresses
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"no report", "", []string{"; write the JSON report with --json FILE to list\n  them with 'ftgate cases FILE'.\n"}},
		{"standard output", "-", []string{"pipe the JSON report into 'ftgate cases -'"}},
		{"plain path", "out/r.json", []string{
			"; list them with:\n    ftgate cases out/r.json\n",
			"  and the broken cases of policy-qa with:\n    ftgate cases out/r.json --broke --workflow policy-qa\n",
		}},
		{"quoted path", "my reports/it's.json", []string{
			"    ftgate cases 'my reports/it'\\''s.json' --broke --workflow policy-qa\n",
		}},
		{"long path", "/" + strings.Repeat("d", 60) + "/report.json", []string{
			"    ftgate cases /" + strings.Repeat("d", 60) + "/report.json --broke \\\n      --workflow policy-qa\n",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := TextWith(&buf, d, names, TextOptions{JSONPath: tc.path}); err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, buf.String())
				}
			}
			checkWidth(t, tc.name, buf.String(), DefaultWidth)
		})
	}
}
