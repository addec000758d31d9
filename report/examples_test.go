package report

import (
	"bytes"
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
