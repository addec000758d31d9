package scorecard_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func ptr[T any](v T) *T { return &v }

// The same two cases written as a JSON document, as JSONL and as CSV must
// read to the same samples.
func TestNativeFormatsAgree(t *testing.T) {
	t.Parallel()
	doc := `{
  "scorecard": 1,
  "system": {"name": "support-rag-v7", "role": "baseline", "model": "gpt-4.1-mini", "tier": "small"},
  "run": {"id": "r1", "dataset": "d@v1", "commit": "abc"},
  "cases": [
    {"id": "refund-1", "workflow": "refund-email", "cluster": "t-1", "accepted": true, "score": 0.9,
     "cost_usd": 0.0031, "latency_ms": 820, "schema_valid": true,
     "usage": {"model": "gpt-4.1-mini", "input_tokens": 812, "output_tokens": 140, "cached_input_tokens": 12},
     "metadata": {"anything": [1, 2]}},
    {"id": "refund-1", "sample": 1, "workflow": "refund-email", "cluster": "t-1", "accepted": false,
     "failure_class": "tone", "error": ""}
  ]
}`
	jsonl := `{"scorecard":1,"system":{"name":"support-rag-v7","role":"baseline","model":"gpt-4.1-mini","tier":"small"},"run":{"id":"r1","dataset":"d@v1","commit":"abc"}}
{"id":"refund-1","workflow":"refund-email","cluster":"t-1","accepted":true,"score":0.9,"cost_usd":0.0031,"latency_ms":820,"schema_valid":true,"usage":{"model":"gpt-4.1-mini","input_tokens":812,"output_tokens":140,"cached_input_tokens":12}}

{"id":"refund-1","sample":1,"workflow":"refund-email","cluster":"t-1","accepted":false,"failure_class":"tone"}
`
	csv := "id,sample,workflow,cluster,accepted,score,cost_usd,latency_ms,schema_valid,failure_class,error,input_tokens,output_tokens,cached_input_tokens,model\n" +
		"refund-1,0,refund-email,t-1,yes,0.9,0.0031,820,1,,,812,140,12,gpt-4.1-mini\n" +
		"refund-1,1,refund-email,t-1,no,,,,,tone,,,,,\n"
	want := []scorecard.Sample{
		{ID: "refund-1", Workflow: "refund-email", Cluster: "t-1", Accepted: true, Score: ptr(0.9), CostUSD: ptr(0.0031),
			LatencyMS: ptr(820.0), SchemaValid: ptr(true),
			Usage: &scorecard.Usage{Model: "gpt-4.1-mini", InputTokens: 812, OutputTokens: 140, CachedInputTokens: 12}},
		{ID: "refund-1", Sample: 1, Workflow: "refund-email", Cluster: "t-1", FailureClass: "tone"},
	}
	for _, tc := range []struct{ name, data, format string }{
		{"doc.json", doc, "native"}, {"cases.jsonl", jsonl, "native"}, {"cases.csv", csv, "csv"},
	} {
		sc, err := scorecard.Read(tc.name, []byte(tc.data), scorecard.ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if sc.Format != tc.format {
			t.Errorf("%s: format %q, want %q", tc.name, sc.Format, tc.format)
		}
		if diff := cmp.Diff(want, sc.Samples, cmpopts.IgnoreFields(scorecard.Sample{}, "Line")); diff != "" {
			t.Errorf("%s samples (-want +got):\n%s", tc.name, diff)
		}
		if tc.format == "native" {
			wantSys := scorecard.System{Name: "support-rag-v7", Role: "baseline", Model: "gpt-4.1-mini", Tier: "small"}
			if diff := cmp.Diff(wantSys, sc.System); diff != "" {
				t.Errorf("%s system (-want +got):\n%s", tc.name, diff)
			}
		}
	}
}

func TestLenientTurnsUnknownFieldsIntoWarnings(t *testing.T) {
	t.Parallel()
	data := []byte("{\"id\":\"a\",\"accepted\":true,\"acepted\":false}\n")
	if _, err := scorecard.Read("x.jsonl", data, scorecard.ReadOptions{}); err == nil {
		t.Fatal("strict read accepted an unknown field")
	}
	sc, err := scorecard.Read("x.jsonl", data, scorecard.ReadOptions{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Warnings) != 1 || !strings.Contains(sc.Warnings[0], `"acepted"`) || !strings.HasPrefix(sc.Warnings[0], "x.jsonl:1:") {
		t.Errorf("warnings = %q", sc.Warnings)
	}
	if sc.System.Name != "x" {
		t.Errorf("system name %q, want the file stem %q", sc.System.Name, "x")
	}
}

func TestErroredSampleIsNotAccepted(t *testing.T) {
	t.Parallel()
	sc, err := scorecard.Read("x.jsonl", []byte(`{"id":"a","accepted":true,"error":"timeout"}`+"\n"), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Samples[0].Accepted {
		t.Error("a sample with an error counts as accepted")
	}
}

// Prices are per million tokens; input_tokens include the cached ones.
func TestPricing(t *testing.T) {
	t.Parallel()
	prices := map[string]scorecard.Price{
		"m":      {InputPerMTok: 0.40, OutputPerMTok: 1.60, CachedInputPerMTok: ptr(0.10)},
		"nocach": {InputPerMTok: 2, OutputPerMTok: 8},
	}
	data := `{"id":"a","accepted":true,"usage":{"model":"m","input_tokens":2000,"output_tokens":500,"cached_input_tokens":1000}}
{"id":"b","accepted":true,"usage":{"model":"nocach","input_tokens":1000,"output_tokens":100,"cached_input_tokens":400}}
{"id":"c","accepted":true,"cost_usd":0.5,"usage":{"model":"m","input_tokens":1,"output_tokens":1}}
`
	sc, err := scorecard.Read("p.jsonl", []byte(data), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := scorecard.ApplyPricing(sc, prices); err != nil {
		t.Fatal(err)
	}
	// a: 1000 fresh × 0.40 + 1000 cached × 0.10 + 500 out × 1.60 = 400 + 100 + 800 = 1300 per 1e6 → 0.0013
	// b: 600 × 2 + 400 × 2 (cached at the input rate) + 100 × 8 = 1200 + 800 + 800 = 2800 → 0.0028
	// c: cost_usd given, kept.
	for i, want := range []float64{0.0013, 0.0028, 0.5} {
		got := *sc.Samples[i].CostUSD
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("sample %d cost %v, want %v", i, got, want)
		}
	}
}

func TestPricingMixedCostsIsAnError(t *testing.T) {
	t.Parallel()
	data := `{"id":"a","accepted":true,"cost_usd":0.1}
{"id":"b","accepted":true,"usage":{"model":"unpriced","input_tokens":10,"output_tokens":10}}
`
	sc, err := scorecard.Read("mixed.jsonl", []byte(data), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = scorecard.ApplyPricing(sc, nil)
	want := `mixed.jsonl:2: case "b" has no cost while 1 other samples do (1 of 2 samples lack cost_usd and priced usage); add these models to the policy's pricing table: "unpriced"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func read(t *testing.T, name, data string) *scorecard.Scorecard {
	t.Helper()
	sc, err := scorecard.Read(name, []byte(data), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestPair(t *testing.T) {
	t.Parallel()
	b := read(t, "b.jsonl", `{"id":"x","cluster":"c1","accepted":true,"cost_usd":1}
{"id":"x","sample":1,"cluster":"c1","accepted":false,"cost_usd":3}
{"id":"y","cluster":"c1","accepted":true,"cost_usd":1}
{"id":"z","accepted":false,"cost_usd":1}
`)
	c := read(t, "c.jsonl", `{"id":"z","accepted":true,"cost_usd":2}
{"id":"y","cluster":"c1","accepted":true,"cost_usd":1}
{"id":"x","cluster":"c1","accepted":true,"cost_usd":1}
`)
	p, err := scorecard.Pair([]*scorecard.Scorecard{b, c}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{p.Cases[0].ID, p.Cases[1].ID, p.Cases[2].ID}; !cmp.Equal(got, []string{"x", "y", "z"}) {
		t.Errorf("case order %v", got)
	}
	if diff := cmp.Diff([]string{"c1", "z"}, p.Clusters); diff != "" {
		t.Errorf("clusters (-want +got):\n%s", diff)
	}
	if p.MaxSamples != 2 || p.Single() || !p.Clustered() {
		t.Errorf("MaxSamples %d Single %v Clustered %v", p.MaxSamples, p.Single(), p.Clustered())
	}
	// Every case in both arms: the per-arm means over samples, and the
	// samples themselves in sample order.
	type arm struct {
		acc, cost float64
		samples   int
	}
	want := [][2]arm{
		{{0.5, 2, 2}, {1, 1, 1}}, // x: baseline (1, 0) at costs (1, 3); candidate one sample
		{{1, 1, 1}, {1, 1, 1}},   // y
		{{0, 1, 1}, {1, 2, 1}},   // z
	}
	for i, c := range p.Cases {
		for a := range 2 {
			got := c.Arms[a]
			if w := want[i][a]; got.Accepted != w.acc || got.Cost != w.cost || len(got.Samples) != w.samples {
				t.Errorf("case %s arm %d: accepted %v cost %v samples %d, want %+v", c.ID, a, got.Accepted, got.Cost, len(got.Samples), w)
			}
			for _, s := range got.Samples {
				if s.ID != c.ID {
					t.Errorf("case %s arm %d holds a sample of %s", c.ID, a, s.ID)
				}
			}
		}
	}
	if x := p.Cases[0].Arms[0].Samples; x[0].Sample != 0 || x[1].Sample != 1 || !x[0].Accepted || x[1].Accepted {
		t.Errorf("case x baseline samples out of order: %+v, %+v", *x[0], *x[1])
	}
	if c := p.Cases[2]; c.Cluster != 1 || p.Cases[0].Cluster != 0 || p.Cases[1].Cluster != 0 {
		t.Errorf("cluster indexes %d %d %d, want 0 0 1", p.Cases[0].Cluster, p.Cases[1].Cluster, c.Cluster)
	}
}

// With allow_unmatched and CountMissing, a case the candidate lacks is kept
// as one failed candidate sample costing the candidate's highest per-case
// cost; a case a baseline lacks is dropped. Both are counted.
func TestPairCountsMissingCandidateCases(t *testing.T) {
	t.Parallel()
	b := read(t, "b.jsonl", `{"id":"a","workflow":"w","cluster":"k","accepted":true,"cost_usd":1}
{"id":"b","workflow":"w","cluster":"k","accepted":false,"cost_usd":1}
{"id":"c","workflow":"v","accepted":true,"cost_usd":1}
{"id":"d","accepted":true,"cost_usd":1}
`)
	c := read(t, "c.jsonl", `{"id":"a","workflow":"w","cluster":"k","accepted":true,"cost_usd":0.5}
{"id":"a","sample":1,"workflow":"w","cluster":"k","accepted":true,"cost_usd":1.5}
{"id":"d","accepted":true,"cost_usd":0.25}
{"id":"e","accepted":true,"cost_usd":0.5}
`)
	for _, candidate := range []int{1, 0} {
		arms := []*scorecard.Scorecard{b, c}
		if candidate == 0 {
			arms = []*scorecard.Scorecard{c, b}
		}
		p, err := scorecard.Pair(arms, scorecard.PairOptions{AllowUnmatched: true, CountMissing: true, Candidate: candidate})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, cs := range p.Cases {
			ids = append(ids, cs.ID)
		}
		if diff := cmp.Diff([]string{"a", "b", "c", "d"}, ids); diff != "" {
			t.Errorf("candidate %d: cases (-want +got):\n%s", candidate, diff)
		}
		wantUnmatched := []int{0, 0}
		wantUnmatched[candidate] = 1 // "e" is missing from the baseline: dropped
		if p.CountedMissing != 2 || p.MissingCost != 1 || !cmp.Equal(p.Unmatched, wantUnmatched) {
			t.Errorf("candidate %d: counted %d (want 2) at cost %v (want 1, the mean of a's samples), unmatched %v (want %v)", candidate, p.CountedMissing, p.MissingCost, p.Unmatched, wantUnmatched)
		}
		for _, i := range []int{1, 2} { // b and c
			cs := p.Cases[i]
			got := cs.Arms[candidate]
			if got.Accepted != 0 || got.Cost != 1 || len(got.Samples) != 1 || got.Samples[0].FailureClass != scorecard.MissingClass {
				t.Errorf("candidate %d: case %s candidate arm %+v, want one failed sample costing 1", candidate, cs.ID, got)
			}
			if base := cs.Arms[1-candidate]; base.Accepted != map[string]float64{"b": 0, "c": 1}[cs.ID] || base.Cost != 1 {
				t.Errorf("candidate %d: case %s baseline arm %+v", candidate, cs.ID, base)
			}
		}
		if p.Cases[1].Workflow != "w" || p.Cases[1].Cluster != p.Cases[0].Cluster || p.Cases[2].Workflow != "v" {
			t.Errorf("candidate %d: the counted cases keep the baseline's workflow and cluster: %+v", candidate, p.Cases)
		}
		if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "2 cases missing from c.jsonl count as candidate failures (\"b\", \"c\"), each with the candidate's highest cost per case, $1.00") ||
			!strings.Contains(w, "unmatched cases dropped: 1 of the candidate c.jsonl's 3 cases is not in the baseline b.jsonl (\"e\")") {
			t.Errorf("candidate %d: warnings %q", candidate, p.Warnings)
		}
	}
	// Without a cost on every candidate sample the counted case has none.
	noCost := read(t, "c.jsonl", `{"id":"a","workflow":"w","cluster":"k","accepted":true}
`)
	p, err := scorecard.Pair([]*scorecard.Scorecard{b, noCost}, scorecard.PairOptions{AllowUnmatched: true, CountMissing: true, Candidate: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(p.MissingCost) || !math.IsNaN(p.Cases[1].Arms[1].Cost) || p.CountedMissing != 3 {
		t.Errorf("no candidate cost: missing cost %v, case cost %v, counted %d", p.MissingCost, p.Cases[1].Arms[1].Cost, p.CountedMissing)
	}
}

// Scorecards without a case id in common are refused whatever the pairing
// options: counting every baseline case as a candidate failure, or
// dropping them all, would decide on cases that were never compared. The
// error is the same as without allow_unmatched, and points out ids that
// differ by a prefix.
func TestPairNothingInCommon(t *testing.T) {
	t.Parallel()
	base := read(t, "b.jsonl", `{"id":"0","accepted":true}
{"id":"1","accepted":false}
{"id":"2","accepted":true}
{"id":"3","accepted":true}
`)
	cand := read(t, "c.jsonl", `{"id":"arc:0","accepted":true}
{"id":"arc:1","accepted":true}
`)
	_, err := scorecard.Pair([]*scorecard.Scorecard{base, cand}, scorecard.PairOptions{})
	if err == nil || !strings.Contains(err.Error(), "no case id in common") || !strings.Contains(err.Error(), `"arc:"`) {
		t.Fatalf("without allow_unmatched: %v", err)
	}
	want := err.Error()
	for _, o := range []scorecard.PairOptions{
		{AllowUnmatched: true},
		{AllowUnmatched: true, CountMissing: true, Candidate: 1},
	} {
		if _, err := scorecard.Pair([]*scorecard.Scorecard{base, cand}, o); err == nil || err.Error() != want {
			t.Errorf("%+v: %v\nwant %s", o, err, want)
		}
	}
	// The candidate first: its cases are all missing from the baseline.
	if p, err := scorecard.Pair([]*scorecard.Scorecard{cand, base}, scorecard.PairOptions{AllowUnmatched: true, CountMissing: true}); err == nil {
		t.Errorf("candidate first: %d cases, no error", len(p.Cases))
	}
}

func TestPairErrors(t *testing.T) {
	t.Parallel()
	base := `{"id":"a","workflow":"w1","accepted":true}
{"id":"b","workflow":"w1","accepted":true}
{"id":"c","workflow":"w1","accepted":true}
`
	for _, tc := range []struct {
		name, cand string
		allow      bool
		want       string
	}{
		{"unmatched", `{"id":"a","workflow":"w1","accepted":true}
{"id":"d","workflow":"w1","accepted":true}
`, false, `c.jsonl: the scorecards do not cover the same cases: 2 of the baseline b.jsonl's 3 cases are not in the candidate c.jsonl ("b", "c"); ` +
			`1 of the candidate c.jsonl's 2 cases is not in the baseline b.jsonl ("d"); evaluate both systems on the same case set, or set pairing.allow_unmatched: true ` +
			`(--set pairing.allow_unmatched=true), with which the 2 cases missing from the candidate would be dropped and the candidate's 1 case that the baseline lacks would be dropped`},
		{"workflow differs", `{"id":"a","workflow":"w2","accepted":true}
{"id":"b","workflow":"w1","accepted":true}
{"id":"c","workflow":"w1","accepted":true}
`, false, `c.jsonl:1: case "a" has workflow "w2" here but "w1" in b.jsonl:1; a case must have the same workflow in every scorecard`},
		{"cluster differs", `{"id":"a","workflow":"w1","accepted":true}
{"id":"b","workflow":"w1","cluster":"k","accepted":true}
{"id":"c","workflow":"w1","accepted":true}
`, false, `c.jsonl:2: case "b" has cluster "k" here but "" in b.jsonl:2; a case must have the same cluster in every scorecard`},
		{"nothing in common", `{"id":"q","workflow":"w1","accepted":true}
`, true, `c.jsonl: the scorecards have no case id in common: the baseline's ids look like "a", "b", "c"; the candidate's ids look like "q"; evaluate both systems on the same case set, with the same ids`},
	} {
		_, err := scorecard.Pair([]*scorecard.Scorecard{read(t, "b.jsonl", base), read(t, "c.jsonl", tc.cand)}, scorecard.PairOptions{AllowUnmatched: tc.allow})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
	p, err := scorecard.Pair([]*scorecard.Scorecard{read(t, "b.jsonl", base), read(t, "c.jsonl", `{"id":"a","workflow":"w1","accepted":true}
`)}, scorecard.PairOptions{AllowUnmatched: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Cases) != 1 || !cmp.Equal(p.Unmatched, []int{2, 0}) || len(p.Warnings) != 1 {
		t.Errorf("allow_unmatched: %d cases, unmatched %v, warnings %q", len(p.Cases), p.Unmatched, p.Warnings)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	known := []string{"alpha", "quality", "cost", "segments"}
	for in, want := range map[string]string{"alhpa": "alpha", "qualty": "quality", "cots": "cost", "zzz": "", "segmnets": "segments"} {
		if got := scorecard.Suggest(in, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// A column option moves the id or accepted field to another column: the
// literal "id" or "accepted" column is then ignored with a warning (not a
// duplicate), and a named column the header lacks is always an error.
func TestCSVColumnOptions(t *testing.T) {
	t.Parallel()
	data := []byte("id,accepted,judge_ok\na,true,false\nb,false,true\n")
	sc, err := scorecard.Read("r.csv", data, scorecard.ReadOptions{AcceptedColumn: "judge_ok"})
	if err != nil {
		t.Fatalf("--accepted-column judge_ok: %v", err)
	}
	want := []scorecard.Sample{{ID: "a", Accepted: false}, {ID: "b", Accepted: true}}
	if diff := cmp.Diff(want, sc.Samples, cmpopts.IgnoreFields(scorecard.Sample{}, "Line")); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	wantWarn := []string{`r.csv:1:2: column "accepted" is ignored: --accepted-column reads accepted from column "judge_ok"`}
	if diff := cmp.Diff(wantWarn, sc.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	// Both options, each renaming its column; the literal id is ignored too.
	both := []byte("id,accepted,judge_ok,case\na,true,false,c1\nb,false,true,c2\n")
	sc, err = scorecard.Read("r.csv", both, scorecard.ReadOptions{IDColumn: "case", AcceptedColumn: "judge_ok"})
	if err != nil {
		t.Fatalf("--id-column case --accepted-column judge_ok: %v", err)
	}
	want = []scorecard.Sample{{ID: "c1", Accepted: false}, {ID: "c2", Accepted: true}}
	if diff := cmp.Diff(want, sc.Samples, cmpopts.IgnoreFields(scorecard.Sample{}, "Line")); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	if len(sc.Warnings) != 2 || !strings.Contains(sc.Warnings[0], `column "id" is ignored: --id-column reads id from column "case"`) {
		t.Errorf("warnings = %q", sc.Warnings)
	}

	// A named column that is missing never falls back to the literal one,
	// strict or lenient.
	for _, o := range []scorecard.ReadOptions{
		{IDColumn: "nope"}, {IDColumn: "nope", Lenient: true},
		{AcceptedColumn: "judge_okk"}, {AcceptedColumn: "judge_okk", Lenient: true},
	} {
		_, err := scorecard.Read("r.csv", data, o)
		if err == nil || !scorecard.IsInputError(err) || !strings.Contains(err.Error(), "but the header has no such column") {
			t.Errorf("%+v: error %v, want a missing named column", o, err)
		}
	}
}
