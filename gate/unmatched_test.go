package gate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// A harness that crashes writes no row for the cases it crashed on. Here
// the candidate is no better than the baseline (each accepts 140 of 200
// cases) but its rows for 45 of its failures are missing. Counted as
// candidate failures they leave b = c = 45 (McNemar p = 0.56): no evidence.
// Dropped, the 155 remaining pairs show b = 45, c = 0 and the candidate
// passed.
func TestUnmatchedCandidateCasesCountAsFailures(t *testing.T) {
	t.Parallel()
	var b, c strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, `{"id":"c%03d","accepted":%v,"cost_usd":0.01}`+"\n", i, i < 140)
		if i >= 45 {
			fmt.Fprintf(&c, `{"id":"c%03d","accepted":%v,"cost_usd":0.004}`+"\n", i, i < 185)
		}
	}
	decideWith := func(yaml string) *gate.Decision {
		t.Helper()
		pol, err := gate.ParsePolicy("gate.yaml", []byte(yaml+"statistics: {resamples: 1000}\n"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := scorecard.Pair([]*scorecard.Scorecard{readJSONL(t, "b.jsonl", b.String()), readJSONL(t, "c.jsonl", c.String())}, gate.PairOptions(pol, 1))
		if err != nil {
			t.Fatal(err)
		}
		d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	d := decideWith("pairing: {allow_unmatched: true}\n")
	q := d.Quality
	if d.Verdict == gate.Pass || q.Discordant == nil || q.Discordant.CandidateOnly != 45 || q.Discordant.BaselineOnly != 45 {
		t.Errorf("verdict %s, discordant %+v; want no pass with b = c = 45", d.Verdict, q.Discordant)
	}
	if want := (gate.CaseCounts{Paired: 200, Clusters: 200, BaselineOnly: 45, MaxSamplesPerCase: 1, CountedAsFailures: 45}); d.Cases != want {
		t.Errorf("cases %+v, want %+v", d.Cases, want)
	}
	// The 45 counted cases cost the candidate's highest per-case cost.
	if got, want := d.Cost.CandidateTotalUSD, 200*0.004; got < want-1e-12 || got > want+1e-12 {
		t.Errorf("candidate total %v, want %v", got, want)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "45 cases missing from c.jsonl count as candidate failures") {
		t.Errorf("warnings:\n%s", strings.Join(d.Warnings, "\n"))
	}

	// Dropping both sides is an explicit choice, and warned.
	d = decideWith("pairing: {allow_unmatched: true, unmatched: drop}\n")
	if d.Verdict != gate.Pass || d.Cases.Paired != 155 || d.Cases.CountedAsFailures != 0 || d.Cases.BaselineOnly != 45 {
		t.Errorf("drop: verdict %s, cases %+v; the dropped pairs pass", d.Verdict, d.Cases)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "pairing.unmatched: drop dropped 45 cases missing from the candidate") {
		t.Errorf("drop: warnings:\n%s", strings.Join(d.Warnings, "\n"))
	}
}
