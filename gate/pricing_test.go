package gate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// usageScorecard is n cases of token usage under one model, no cost_usd,
// priced (or not) with prices as the command line does.
func usageScorecard(t *testing.T, name, model string, n int, prices map[string]scorecard.Price) *scorecard.Scorecard {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":"c%03d","accepted":%v,"usage":{"model":%q,"input_tokens":1000,"output_tokens":100}}`+"\n", i, i%4 != 0, model)
	}
	sc := readJSONL(t, name, b.String())
	if err := scorecard.ApplyPricing(sc, prices); err != nil {
		t.Fatal(err)
	}
	return sc
}

func decidePriced(t *testing.T, prices map[string]scorecard.Price) *gate.Decision {
	t.Helper()
	arms := []*scorecard.Scorecard{
		usageScorecard(t, "b.jsonl", "openai/gpt-4.1", 40, prices),
		usageScorecard(t, "c.jsonl", "openai/ft:gpt-4.1-mini:acme", 40, prices),
	}
	p, err := scorecard.Pair(arms, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pol := gate.DefaultPolicy()
	pol.Pricing = prices
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Token usage without a price: the blocking reason names each model with
// its side and gives the --set options that price it, instead of asking
// for usage the scorecards already carry. A price key without the
// provider prefix gets a "did you mean"; one that prices nothing is said.
func TestUnpricedUsage(t *testing.T) {
	t.Parallel()
	price := scorecard.Price{InputPerMTok: 1, OutputPerMTok: 2}
	d := decidePriced(t, map[string]scorecard.Price{"gpt-4.1": price, "claude-x": price})
	if d.Cost.Measured {
		t.Fatal("cost measured without a price for either model")
	}
	wantReason := `no price for the token usage of "openai/gpt-4.1" (baseline, 40 samples) and "openai/ft:gpt-4.1-mini:acme" (candidate, 40 samples)`
	if d.Cost.NotMeasured != wantReason {
		t.Errorf("not measured:\n got %s\nwant %s", d.Cost.NotMeasured, wantReason)
	}
	var blocking string
	for _, f := range d.Findings {
		if strings.HasPrefix(f.Text, "Cost:") {
			blocking = f.Text
		}
	}
	for _, want := range []string{
		"--set 'pricing.openai/gpt-4.1={input_per_mtok: IN, output_per_mtok: OUT}' --set 'pricing.openai/ft:gpt-4.1-mini:acme={input_per_mtok: IN, output_per_mtok: OUT}'",
		"or set cost.required: false.",
	} {
		if !strings.Contains(blocking, want) {
			t.Errorf("cost finding lacks %q:\n%s", want, blocking)
		}
	}
	if strings.Contains(blocking, "add cost_usd or token usage") {
		t.Errorf("cost finding asks for usage the scorecards carry:\n%s", blocking)
	}
	var pricing []string
	for _, w := range d.Warnings {
		if strings.HasPrefix(w, "pricing.") {
			pricing = append(pricing, w)
		}
	}
	want := []string{
		`pricing.claude-x prices no model of the scorecards' token usage (the usage names "openai/ft:gpt-4.1-mini:acme", "openai/gpt-4.1")`,
		`pricing.gpt-4.1 prices no model of the scorecards' token usage; did you mean "openai/gpt-4.1"? (the usage names the model with its provider: give the price under that name)`,
	}
	if diff := cmp.Diff(want, pricing); diff != "" {
		t.Errorf("pricing warnings (-want +got):\n%s", diff)
	}
}

// Both models priced: cost is measured, and no pricing warning is given.
func TestPricedUsageIsQuiet(t *testing.T) {
	t.Parallel()
	price := scorecard.Price{InputPerMTok: 1, OutputPerMTok: 2}
	d := decidePriced(t, map[string]scorecard.Price{"openai/gpt-4.1": price, "openai/ft:gpt-4.1-mini:acme": {InputPerMTok: 0.5, OutputPerMTok: 1}})
	if !d.Cost.Measured || d.Cost.Remedy != "" {
		t.Errorf("measured %v, remedy %q", d.Cost.Measured, d.Cost.Remedy)
	}
	for _, w := range d.Warnings {
		if strings.Contains(w, "pricing") {
			t.Errorf("warning on a table that prices every model: %s", w)
		}
	}
}

// With three clusters and one case the baseline accepts, a third of the
// resamples leave the baseline nothing accepted: its cost per accepted
// outcome is infinite there and the bootstrap ratio 0. The interval is
// said to have no lower end, with the delta method's beside it, never
// printed as a ratio of 0.
func TestCostIntervalWithoutLowerEnd(t *testing.T) {
	t.Parallel()
	b := `{"id":"a","accepted":true,"cost_usd":0.0001}
{"id":"b","accepted":false,"cost_usd":0.0001}
{"id":"c","accepted":false,"cost_usd":0.0001}
`
	c := `{"id":"a","accepted":true,"cost_usd":0.003}
{"id":"b","accepted":true,"cost_usd":0.003}
{"id":"c","accepted":true,"cost_usd":0.004}
`
	d := decidePair(t, b, c, gate.DefaultPolicy())
	if d.Cost.Method != "bootstrap" || d.Cost.CILow != 0 {
		t.Fatalf("method %s, interval [%v, %v]; want the bootstrap's lower end at 0", d.Cost.Method, d.Cost.CILow, d.Cost.CIHigh)
	}
	var finding string
	for _, f := range d.Findings {
		if strings.HasPrefix(f.Text, "Cost:") {
			finding = f.Text
		}
	}
	if !strings.Contains(finding, "BCa interval [no lower end, ") || strings.Contains(finding, "0.000×") {
		t.Errorf("cost finding: %s", finding)
	}
	found := false
	for _, w := range d.Warnings {
		if strings.HasPrefix(w, "cost (bootstrap): the BCa interval has no lower end: with 3 clusters, ") &&
			strings.Contains(w, "the delta method's interval is [") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning on the interval's lower end in %q", d.Warnings)
	}
}
