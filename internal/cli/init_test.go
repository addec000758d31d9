package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// configLine matches a commented-out policy line ("# latency:",
// "#   max_p95_ms: 2500"), as opposed to prose.
var configLine = regexp.MustCompile(`(?m)^# ( *[a-z_0-9."/-]+:.*)$`)

// uncomment turns every commented-out block of a starter policy on (the
// yaml-language-server line stays a comment).
func uncomment(policy []byte) []byte {
	return configLine.ReplaceAllFunc(policy, func(line []byte) []byte {
		if strings.HasPrefix(string(line), "# yaml-language-server:") {
			return line
		}
		return line[2:]
	})
}

// The starter policy decides on quality and cost only: as written it is
// exactly the default policy (no latency or format limit, no production
// mix, no prices, no hidden costs), and its first line names the schema.
func TestStarterIsTheDefaultPolicy(t *testing.T) {
	t.Parallel()
	policy := StarterPolicy()
	if first, _, _ := strings.Cut(string(policy), "\n"); first != "# yaml-language-server: $schema="+PolicySchemaURL {
		t.Errorf("first line %q", first)
	}
	pol, err := gate.ParsePolicy("gate.yaml", policy)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(gate.DefaultPolicy(), pol); diff != "" {
		t.Errorf("the starter policy is not the default policy (-want +got):\n%s", diff)
	}
}

// Every other block is present, commented out, and valid once turned on.
func TestStarterBlocksAreComplete(t *testing.T) {
	t.Parallel()
	on := uncomment(StarterPolicy())
	pol, err := gate.ParsePolicy("gate.yaml", on)
	if err != nil {
		t.Fatalf("the starter policy with every block turned on: %v\n%s", err, on)
	}
	for _, key := range []string{"alpha", "inconclusive", "quality", "cost", "statistics", "pairing", "segments", "power", "latency",
		"format", "pricing", "routing", "checklist", "economics", "importers"} {
		if !regexp.MustCompile(`(?m)^` + key + `:`).Match(on) {
			t.Errorf("the starter policy has no %s block", key)
		}
	}
	if pol.Latency.MaxP95Ms == nil || len(pol.Checklist.ProductionMix) == 0 || len(pol.Pricing) == 0 {
		t.Errorf("turned on, the commented blocks set nothing: %+v", pol)
	}
}

func readCard(t *testing.T, name, data string) *scorecard.Scorecard {
	t.Helper()
	sc, err := scorecard.Read(name, []byte(data), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// init --from fills the starter from scorecards: workflows, a commented
// price skeleton for the models seen (no costs in these scorecards), the
// eval set's workflow mix and the observed rates.
func TestStarterFrom(t *testing.T) {
	t.Parallel()
	var b, c strings.Builder
	b.WriteString(`{"scorecard":1,"system":{"name":"rag","role":"baseline","model":"gpt-4.1-mini"}}` + "\n")
	c.WriteString(`{"scorecard":1,"system":{"name":"ft","role":"candidate","model":"ft:gpt-4.1-nano:acme:v1"}}` + "\n")
	for i := range 50 {
		wf := "refund-email"
		if i >= 30 {
			wf = "policy qa"
		}
		usage := func(model string) string {
			return `"usage":{"model":"` + model + `","input_tokens":900,"output_tokens":120}`
		}
		b.WriteString(`{"id":"c` + string(rune('A'+i/26)) + string(rune('a'+i%26)) + `","workflow":"` + wf + `","accepted":` + boolText(i%5 != 0) + `,` + usage("gpt-4.1-mini") + "}\n")
		c.WriteString(`{"id":"c` + string(rune('A'+i/26)) + string(rune('a'+i%26)) + `","workflow":"` + wf + `","accepted":` + boolText(i%10 != 0) + `,` + usage("ft:gpt-4.1-nano:acme:v1") + "}\n")
	}
	base, cand := readCard(t, "baseline.jsonl", b.String()), readCard(t, "candidate.jsonl", c.String())
	policy, err := starterFrom(base, cand)
	if err != nil {
		t.Fatal(err)
	}
	text := string(policy)
	for _, want := range []string{
		"# Filled in from baseline.jsonl and candidate.jsonl.",
		`# Workflows in the scorecards: "policy qa", refund-email.`,
		"# The scorecards read carry no costs",
		`#   "ft:gpt-4.1-nano:acme:v1": {input_per_mtok: 0.0, output_per_mtok: 0.0, cached_input_per_mtok: 0.0}`,
		"#   gpt-4.1-mini: {input_per_mtok: 0.0,",
		`#   production_mix: {"policy qa": 0.4, refund-email: 0.6}`,
		"# Observed: the baseline accepts 80.0% and the candidate 90.0% of 50 paired cases.",
		"power:\n  effect: 0.02\n  target: 0.9\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("init --from lacks %q:\n%s", want, text)
		}
	}
	pol, err := gate.ParsePolicy("gate.yaml", policy)
	if err != nil {
		t.Fatalf("%v\n%s", err, policy)
	}
	if pol.Latency.MaxP95Ms != nil || len(pol.Pricing) != 0 || len(pol.Checklist.ProductionMix) != 0 {
		t.Errorf("init --from switched on a limit, prices or a mix: %+v", pol)
	}
	if _, err := gate.ParsePolicy("gate.yaml", uncomment(policy)); err != nil {
		t.Errorf("init --from with every block turned on: %v", err)
	}
	// From the baseline alone: no candidate rate.
	policy, err = starterFrom(base, nil)
	if err != nil || !strings.Contains(string(policy), "# Observed: the baseline accepts 80.0% of 50 cases.") {
		t.Errorf("init --from with one scorecard: %v\n%s", err, policy)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Names from the scorecards reach the starter policy only as plain names
// or double-quoted scalars: a workflow or model name that holds a line
// break and policy keys, other line breaks (NEL, U+2028), bidi controls or
// "##[" adds no key, as written or with every block turned on, and no such
// character is written raw.
func TestStarterFromHostileNames(t *testing.T) {
	t.Parallel()
	inject := "refunds\nsegments: {block_on_regression: false, max_drop: 0.5}\npairing: {allow_unmatched: true, unmatched: drop}\nlatency: {required: false}\n#"
	for _, name := range []string{inject, "a\u0085latency: {required: false}", "b\u2028pairing: {allow_unmatched: true}",
		"c\u202e##[error]x", "d\r\npricing: {}", "yes", "1e3", "-x", "#"} {
		t.Run(strconv.Quote(name), func(t *testing.T) {
			t.Parallel()
			policy := starterNamed(t, name)
			for _, bad := range []string{"\r", "\u0085", "\u2028", "\u202e", "##[", "\nsegments:", "\npairing:", "\nlatency:", "\npricing: {}"} {
				if strings.Contains(policy, bad) {
					t.Errorf("the policy holds %q:\n%s", bad, policy)
				}
			}
			for name, text := range map[string][]byte{"as written": []byte(policy), "every block on": uncomment([]byte(policy))} {
				var doc map[string]any
				if err := yaml.Unmarshal(text, &doc); err != nil {
					t.Fatalf("%s: %v\n%s", name, err, text)
				}
				var starter map[string]any
				src := []byte(starterNamed(t, "plain"))
				if name != "as written" {
					src = uncomment(src)
				}
				if err := yaml.Unmarshal(src, &starter); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(slices.Sorted(maps.Keys(starter)), slices.Sorted(maps.Keys(doc))); diff != "" {
					t.Errorf("%s: top-level keys (-starter +got):\n%s", name, diff)
				}
				if _, err := gate.ParsePolicy("gate.yaml", text); err != nil && name == "as written" {
					t.Errorf("%s: %v", name, err)
				}
			}
			var doc struct {
				Checklist struct {
					ProductionMix map[string]float64 `yaml:"production_mix"`
				}
				Pricing map[string]any
			}
			if err := yaml.Unmarshal(uncomment([]byte(policy)), &doc); err != nil {
				t.Fatal(err)
			}
			if _, ok := doc.Checklist.ProductionMix[name]; !ok || len(doc.Checklist.ProductionMix) != 1 {
				t.Errorf("production_mix reads back %q", slices.Sorted(maps.Keys(doc.Checklist.ProductionMix)))
			}
		})
	}
}

// starterNamed is init --from on two scorecards whose workflow (and model)
// is name.
func starterNamed(t *testing.T, name string) string {
	t.Helper()
	var b, c strings.Builder
	for i := range 40 {
		line := func(acc bool) string {
			v, _ := json.Marshal(map[string]any{"id": fmt.Sprint("c", i), "workflow": name, "accepted": acc,
				"usage": map[string]any{"model": name + "m", "input_tokens": 10, "output_tokens": 1}})
			return string(v) + "\n"
		}
		b.WriteString(line(i%2 == 0))
		c.WriteString(line(i%3 == 0))
	}
	out, err := starterFrom(readCard(t, "b.jsonl", b.String()), readCard(t, "c.jsonl", c.String()))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
