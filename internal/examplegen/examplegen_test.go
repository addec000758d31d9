package examplegen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func scorecardBytes(t *testing.T, c *Scorecard) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteJSONL(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, sc := range All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			a, err := Generate(sc, 2)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Generate(sc, 2)
			if err != nil {
				t.Fatal(err)
			}
			for i := range a.Scorecards {
				x, y := scorecardBytes(t, &a.Scorecards[i]), scorecardBytes(t, &b.Scorecards[i])
				if !bytes.Equal(x, y) {
					t.Errorf("%s: two runs with the same seed differ", sc.Systems[i].File)
				}
				var s bytes.Buffer
				if err := Stream(&s, sc, sc.Systems[i].File, 2); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x, s.Bytes()) {
					t.Errorf("%s: Stream and Generate write different bytes", sc.Systems[i].File)
				}
			}
			if a.Readme() != b.Readme() {
				t.Error("README differs between two runs")
			}
		})
	}
}

func TestSeedChangesOutput(t *testing.T) {
	t.Parallel()
	sc := Pass()
	a, _ := Generate(sc, 1)
	sc.Seed++
	b, _ := Generate(sc, 1)
	if bytes.Equal(scorecardBytes(t, &a.Scorecards[0]), scorecardBytes(t, &b.Scorecards[0])) {
		t.Error("a different seed gave the same scorecard")
	}
}

// TestSystemsIndependent checks that a system's stream depends on its file
// name, not its position: removing a system leaves the others unchanged.
func TestSystemsIndependent(t *testing.T) {
	t.Parallel()
	sc := Routed()
	full, _ := Generate(sc, 1)
	sc.Systems = sc.Systems[2:]
	part, _ := Generate(sc, 1)
	if !bytes.Equal(scorecardBytes(t, &full.Scorecards[3]), scorecardBytes(t, &part.Scorecards[1])) {
		t.Error("removing baseline tiers changed the candidate's scorecard")
	}
}

var idPattern = regexp.MustCompile(`^[a-z]+-[0-9]{4,}$`)

func TestCaseCounts(t *testing.T) {
	t.Parallel()
	for _, scale := range []int{1, 3} {
		for _, sc := range All() {
			set, err := Generate(sc, scale)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(set.Scorecards), len(sc.Systems); got != want {
				t.Fatalf("%s: %d scorecards, want %d", sc.Name, got, want)
			}
			first := set.Scorecards[0].Cases
			perWorkflow := map[string]int{}
			ids := map[string]bool{}
			for _, c := range first {
				perWorkflow[c.Workflow]++
				if !idPattern.MatchString(c.ID) || ids[c.ID] {
					t.Errorf("%s: bad or duplicate id %q", sc.Name, c.ID)
				}
				ids[c.ID] = true
			}
			for _, w := range sc.Workflows {
				if got, want := perWorkflow[w.Name], w.Cases*scale; got != want {
					t.Errorf("%s scale %d: %s has %d cases, want %d", sc.Name, scale, w.Name, got, want)
				}
			}
			for _, card := range set.Scorecards {
				if got, want := len(card.Cases), sc.Cases(scale); got != want {
					t.Errorf("%s scale %d: %s has %d cases, want %d", sc.Name, scale, card.System.File, got, want)
				}
				for i, c := range card.Cases {
					if c.ID != first[i].ID || c.Cluster != first[i].Cluster || c.Workflow != first[i].Workflow {
						t.Fatalf("%s: %s case %d is %s/%s/%s, want the same case as every scorecard (%s/%s/%s)", sc.Name, card.System.File,
							i, c.ID, c.Workflow, c.Cluster, first[i].ID, first[i].Workflow, first[i].Cluster)
					}
				}
			}
		}
	}
}

func TestFirstIDs(t *testing.T) {
	t.Parallel()
	set, _ := Generate(Pass(), 1)
	c := set.Scorecards[0].Cases
	if c[0].ID != "refund-0001" || c[239].ID != "refund-0240" || c[240].ID != "order-0001" {
		t.Errorf("ids %q, %q, %q; want refund-0001, refund-0240, order-0001", c[0].ID, c[239].ID, c[240].ID)
	}
	big, _ := Generate(Pass(), 50) // 12,000 refund cases: five digits
	if id := big.Scorecards[0].Cases[0].ID; id != "refund-00001" {
		t.Errorf("first id at scale 50 is %q, want refund-00001", id)
	}
}

// header and record mirror the native JSONL format of
// the scorecard format (README); decoding with DisallowUnknownFields makes any
// field outside the format an error, as ftgate's strict mode does.
type header struct {
	Scorecard *int `json:"scorecard"`
	System    struct {
		Name, Role, Model, Tier string
	} `json:"system"`
	Run struct {
		ID, Dataset, Commit string
	} `json:"run"`
}

type record struct {
	ID       string   `json:"id"`
	Workflow string   `json:"workflow"`
	Cluster  string   `json:"cluster"`
	Accepted *bool    `json:"accepted"`
	Score    *float64 `json:"score"`
	CostUSD  *float64 `json:"cost_usd"`
	Usage    *struct {
		Model             string `json:"model"`
		InputTokens       *int64 `json:"input_tokens"`
		OutputTokens      *int64 `json:"output_tokens"`
		CachedInputTokens *int64 `json:"cached_input_tokens"`
	} `json:"usage"`
	LatencyMS    *float64 `json:"latency_ms"`
	SchemaValid  *bool    `json:"schema_valid"`
	FailureClass string   `json:"failure_class"`
	Error        string   `json:"error"`
}

func decodeStrict(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// checkJSONL checks that r is native JSONL with a header line and returns
// the number of cases.
func checkJSONL(t *testing.T, name string, r io.Reader) int {
	t.Helper()
	s := bufio.NewScanner(r)
	s.Buffer(nil, 1<<20)
	n := 0
	for line := 1; s.Scan(); line++ {
		if line == 1 {
			var h header
			if err := decodeStrict(s.Bytes(), &h); err != nil {
				t.Fatalf("%s:1: header: %v", name, err)
			}
			if h.Scorecard == nil || *h.Scorecard != 1 || h.System.Name == "" ||
				(h.System.Role != "baseline" && h.System.Role != "candidate") {
				t.Fatalf("%s:1: bad header %s", name, s.Bytes())
			}
			continue
		}
		var c record
		if err := decodeStrict(s.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		switch {
		case c.ID == "" || c.Accepted == nil:
			t.Fatalf("%s:%d: id or accepted missing", name, line)
		case c.CostUSD == nil || *c.CostUSD < 0 || c.LatencyMS == nil || *c.LatencyMS < 0 || c.SchemaValid == nil:
			t.Fatalf("%s:%d: cost, latency or schema_valid missing or negative", name, line)
		case c.Usage == nil || c.Usage.Model == "" || c.Usage.InputTokens == nil || c.Usage.OutputTokens == nil ||
			c.Usage.CachedInputTokens == nil || *c.Usage.CachedInputTokens < 0 || *c.Usage.CachedInputTokens > *c.Usage.InputTokens:
			t.Fatalf("%s:%d: bad usage", name, line)
		case *c.Accepted && (c.FailureClass != "" || c.Error != "" || !*c.SchemaValid):
			t.Fatalf("%s:%d: an accepted case with a failure, an error or an invalid schema", name, line)
		case c.Workflow == "" || c.Cluster == "":
			t.Fatalf("%s:%d: no workflow or cluster", name, line)
		}
		n++
	}
	if err := s.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

func TestWriteValidJSONL(t *testing.T) {
	t.Parallel()
	for _, sc := range Every() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			set, err := Generate(sc, 1)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := set.Write(dir); err != nil {
				t.Fatal(err)
			}
			cases := map[string]int{} // by system
			for _, c := range set.Files() {
				f, err := os.Open(filepath.Join(dir, c.System.File))
				if err != nil {
					t.Fatal(err)
				}
				cases[c.System.Name+"\x00"+c.System.Role+"\x00"+c.System.Tier] += checkJSONL(t, c.System.File, f)
				f.Close()
			}
			for _, y := range sc.Systems {
				if n := cases[y.Name+"\x00"+y.Role+"\x00"+y.Tier]; n != sc.Cases(1) {
					t.Errorf("%s: %d cases, want %d", y.File, n, sc.Cases(1))
				}
			}
			for _, name := range []string{"gate.yaml", "README.md"} {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(b, []byte(sc.Name)) {
					t.Errorf("%s does not name the scenario %q", name, sc.Name)
				}
			}
		})
	}
}

func TestStreamLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 120,000 cases")
	}
	t.Parallel()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(Stream(pw, Pass(), "candidate.jsonl", 200)) }()
	if n := checkJSONL(t, "candidate.jsonl", pr); n != 120000 {
		t.Errorf("%d cases, want 120000", n)
	}
}

// TestExamplesUpToDate checks that the committed example folders are what
// the generator writes now.
func TestExamplesUpToDate(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..", "examples")
	for _, sc := range Every() {
		set, err := Generate(sc, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]byte{"gate.yaml": []byte(sc.Policy), "README.md": []byte(set.Readme())}
		for _, c := range set.Files() {
			want[c.System.File] = scorecardBytes(t, &c)
		}
		for name, w := range want {
			got, err := os.ReadFile(filepath.Join(root, sc.Name, name))
			if err != nil || !bytes.Equal(got, w) {
				t.Errorf("examples/%s/%s is not what the generator writes; run: go run ./examples/gen", sc.Name, name)
			}
		}
	}
}

func summariesOf(t *testing.T, sc Scenario) map[string]Summary {
	t.Helper()
	set, err := Generate(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Summary{}
	for _, m := range set.Summaries() {
		out[m.System.File] = m
	}
	return out
}

// TestScenarioShapes checks the descriptive numbers each example is built
// on; examples/check_examples.py checks the statistics.
func TestScenarioShapes(t *testing.T) {
	t.Parallel()
	ratio := func(m map[string]Summary, base string) float64 {
		return m["candidate.jsonl"].Total.CPA() / m[base].Total.CPA()
	}
	gain := func(m map[string]Summary, base string) float64 {
		return m["candidate.jsonl"].Total.Acceptance() - m[base].Total.Acceptance()
	}
	for _, sc := range All() {
		m := summariesOf(t, sc)
		c := m["candidate.jsonl"]
		if c.SchemaValidRate < 0.98 || c.P95LatencyMS > 2250 {
			t.Errorf("%s: candidate schema-valid %.3f, p95 %.0f ms: breaks the policy's service levels", sc.Name, c.SchemaValidRate, c.P95LatencyMS)
		}
		switch sc.Name {
		case "pass", "volume":
			if g, r := gain(m, "baseline.jsonl"), ratio(m, "baseline.jsonl"); g < 0.07 || r > 0.5 {
				t.Errorf("%s: gain %.3f, CPA ratio %.3f; want a clear win on both", sc.Name, g, r)
			}
		case "cost-loss":
			if g, r := gain(m, "baseline.jsonl"), ratio(m, "baseline.jsonl"); g < 0.07 || r < 1.6 {
				t.Errorf("%s: gain %.3f, CPA ratio %.3f; want a quality win and a clear cost loss", sc.Name, g, r)
			}
		case "inconclusive":
			if g, n := gain(m, "baseline.jsonl"), c.Total.Cases; n != 40 || g <= 0 || g > 0.06 {
				t.Errorf("%s: %d cases, gain %.3f; want 40 cases and a small gain", sc.Name, n, g)
			}
		case "segment-regression":
			b := m["baseline.jsonl"]
			for w, wf := range sc.Workflows {
				d := c.Workflows[w].Acceptance() - b.Workflows[w].Acceptance()
				if c.Workflows[w].Cases < 80 || (wf.Name == "policy-qa") != (d < -0.15) || (wf.Name != "policy-qa" && d < 0.05) {
					t.Errorf("%s: %s has %d cases and changes by %.3f", sc.Name, wf.Name, c.Workflows[w].Cases, d)
				}
			}
		case "routed":
			tiers := []Summary{m["baseline-small.jsonl"], m["baseline-medium.jsonl"], m["baseline-large.jsonl"]}
			r := Route(tiers, MaxQualityLoss)
			// refund-email, order-status, policy-qa → medium, small, large.
			if got := r.Choice; len(got) != 3 || got[0] != 1 || got[1] != 0 || got[2] != 2 {
				t.Errorf("routed: routing %v, want [1 0 2] (medium, small, large)", got)
			}
			if rr := c.Total.CPA() / r.Total.CPA(); rr < 1.3 {
				t.Errorf("routed: CPA ratio to the routed baseline %.3f, want a clear loss", rr)
			}
			if g := gain(m, "baseline-small.jsonl"); g < 0.1 {
				t.Errorf("routed: quality gain over the small tier %.3f, want a clear win", g)
			}
			if rl := ratio(m, "baseline-large.jsonl"); rl > 0.6 {
				t.Errorf("routed: CPA ratio to the large tier %.3f, want a clear win", rl)
			}
		}
	}
}

func TestRouteTolerance(t *testing.T) {
	t.Parallel()
	tally := func(cases, accepted int, cost float64) []Tally { return []Tally{{cases, accepted, cost}} }
	tiers := []Summary{
		{Workflows: tally(100, 90, 1)},   // within 0.01 of the best, cheapest
		{Workflows: tally(100, 91, 10)},  // best
		{Workflows: tally(100, 89, 0.1)}, // 0.02 below the best
	}
	if r := Route(tiers, 0.01); r.Choice[0] != 0 {
		t.Errorf("Route chose tier %d, want 0", r.Choice[0])
	}
	if r := Route(tiers, 0.02); r.Choice[0] != 2 {
		t.Errorf("with tolerance 0.02 Route chose tier %d, want 2", r.Choice[0])
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Scenario)
		want string
	}{
		{"missing acceptance", func(s *Scenario) { delete(s.Systems[0].Acceptance, "policy-qa") }, `no acceptance for workflow "policy-qa"`},
		{"unknown workflow", func(s *Scenario) { s.Systems[0].Acceptance["refund"] = 0.5 }, `unknown workflow "refund"`},
		{"bad probability", func(s *Scenario) { s.Systems[1].Coupling = 1.5 }, "coupling = 1.5"},
		{"invalid above failures", func(s *Scenario) { s.Systems[1].SchemaValidRate = 0.5 }, "below the acceptance"},
		{"duplicate file", func(s *Scenario) { s.Systems[1].File = s.Systems[0].File }, "duplicate file name"},
		{"no cases", func(s *Scenario) { s.Workflows[0].Cases = 0 }, "0 cases"},
		{"bad cluster range", func(s *Scenario) { s.Workflows[0].MaxCluster = 0 }, "cluster size"},
		{"format class", func(s *Scenario) { s.Workflows[0].Failures[0].Name = "format" }, `failure class "format"`},
		{"bad role", func(s *Scenario) { s.Systems[0].Role = "tier" }, `role "tier"`},
		{"NaN price", func(s *Scenario) { s.Systems[0].Price.InputPerMTok = math.NaN() }, "finite and >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := Pass()
			tt.edit(&sc)
			err := sc.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			if _, err := Generate(sc, 1); err == nil {
				t.Error("Generate accepted an invalid scenario")
			}
		})
	}
	for _, sc := range All() {
		if err := sc.Validate(); err != nil {
			t.Errorf("built-in scenario: %v", err)
		}
	}
	if _, err := Generate(Pass(), 0); err == nil {
		t.Error("Generate accepted scale 0")
	}
	if err := Stream(io.Discard, Pass(), "nope.jsonl", 1); err == nil {
		t.Error("Stream accepted an unknown file")
	}
}

func TestNamed(t *testing.T) {
	t.Parallel()
	for _, sc := range Every() {
		got, err := Named(sc.Name)
		if err != nil || got.Name != sc.Name {
			t.Errorf("Named(%q) = %q, %v", sc.Name, got.Name, err)
		}
	}
	if _, err := Named("nope"); err == nil {
		t.Error(`Named("nope") found a scenario`)
	}
}

func TestAppendString(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `q"uote\`, "tab\tnew\nline\r", "\x00\x1f", "héllo ✓", "bad\xffutf8"} {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Errorf("appendString(%q) is not JSON: %v", s, err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("appendString(%q) decodes to %q, want %q", s, got, want)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	sc := Pass()
	b.ReportAllocs()
	for b.Loop() {
		if err := Stream(io.Discard, sc, "candidate.jsonl", 10); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sc.Cases(10)), "cases/op")
}
