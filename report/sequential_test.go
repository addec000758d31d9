package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
)

// seqFixture is the pass fixture decided in sequential mode after three
// looks.
func seqFixture(t *testing.T) *gate.Decision {
	t.Helper()
	var d *gate.Decision
	for _, f := range fixtures() {
		if f.name == "pass" {
			c := *f.d
			d = &c
		}
	}
	if d == nil {
		t.Fatal("no pass fixture")
	}
	d.Sequential = &gate.Sequential{Looks: 3, Labelled: true, BaselineSamples: 600, CandidateSamples: 610, PlannedCases: 480, Rho2: 0.0146,
		Quality:       gate.SeqBound{Method: gate.SeqAsymptotic, Measured: true, Estimate: 0.05, Lo: 0.012, Hi: 0.088, PValue: 0.01, Met: true, DecidedAt: 3},
		Cost:          gate.SeqBound{Method: gate.SeqDelta, Measured: true, Estimate: 0.446, Lo: 0.41, Hi: 0.48, PValue: 0.0001, Met: true, DecidedAt: 1},
		ExpectedCases: 512.3, CasesForPower: 900, FixedCases: 480, LookEvery: 200,
		History: []gate.SeqLook{{Look: 1, Cases: 200, CandidateSamples: 200, QualityLo: -0.1, QualityHi: 0.2, CostLo: 0.3, CostHi: 0.7}}}
	return d
}

func TestSequentialRendered(t *testing.T) {
	d := seqFixture(t)
	var md, txt bytes.Buffer
	if err := Markdown(&md, d, Names{Baseline: "b", Candidate: "c"}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&txt, d, Names{Baseline: "b", Candidate: "c"}); err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	want := "sequential gate (confidence sequences, valid at every look): 3 looks so far, 610 candidate and 600 baseline samples"
	if !strings.Contains(flat(txt.String()), " "+want+" ") {
		t.Errorf("terminal report lacks %q:\n%s", want, txt.String())
	}
	if !strings.Contains(md.String(), "**Sequential:** sequential gate \\(confidence sequences, valid at every look\\): 3 looks so far, 610 candidate and 600 baseline samples.") {
		t.Errorf("Markdown lacks the sequential line:\n%s", md.String())
	}
	d.Sequential.Quality.Met, d.Sequential.Looks, d.Sequential.Labelled = false, 1, false
	txt.Reset()
	if err := Text(&txt, d, Names{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flat(txt.String()), "1 look so far (no batch labels: pool runs with ftgate merge)") || !strings.Contains(flat(txt.String()), "expected about 513 paired cases to a decision (fixed-sample plan 480)") {
		t.Errorf("terminal report:\n%s", txt.String())
	}
}

func TestSequentialJSON(t *testing.T) {
	d := seqFixture(t)
	var got struct {
		Sequential struct {
			Looks   int `json:"looks"`
			Quality struct {
				Method    string   `json:"method"`
				Low       *float64 `json:"low"`
				DecidedAt int      `json:"decided_at"`
			} `json:"quality"`
			History []struct {
				Cases    int     `json:"cases"`
				CostHigh float64 `json:"cost_high"`
			} `json:"history"`
		} `json:"sequential"`
	}
	b, err := json.Marshal(NewJSONReport(d, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	s := got.Sequential
	if s.Looks != 3 || s.Quality.Method != gate.SeqAsymptotic || s.Quality.Low == nil || *s.Quality.Low != 0.012 || s.Quality.DecidedAt != 3 || len(s.History) != 1 || s.History[0].CostHigh != 0.7 {
		t.Errorf("sequential block %+v", s)
	}
	d.Sequential = nil
	b, _ = json.Marshal(NewJSONReport(d, nil))
	if bytes.Contains(b, []byte(`"sequential":{`)) {
		t.Error("a fixed-sample report carries a sequential block")
	}
}
