package actions

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/visible"
	"github.com/ftgate/ftgate/report"
)

func TestLooksLikeCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"::error::x", true},
		{"   ::warning title=x::y", true},
		{"\t::add-mask::secret", true},
		{"text ##[error]legacy", true},
		{"ft:gpt-4.1-nano:acme:v3", false},
		{"a :: b", false},
		{"verdict: PASS", false},
	} {
		if got := LooksLikeCommand(tc.line); got != tc.want {
			t.Errorf("LooksLikeCommand(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	if got, want := oneLine("a\nb\r\nc\rd"), "a b c d"; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}

// TestAnnotationsEscapeBidi: a "Trojan Source" name reaches the
// annotation's title and message as visible \uNNNN escapes.
func TestAnnotationsEscapeBidi(t *testing.T) {
	t.Parallel()
	var stdout bytes.Buffer
	p := New(Options{Stdout: &stdout})
	d := decision(gate.Fail, 1)
	d.Latency.Constraints, d.Warnings = nil, []string{"case \u202etxt.exe\u2066x\u2069 only in the baseline"}
	d.Segments = []gate.Segment{{Name: "evil\u202egpj.exe", Cases: 40, Baseline: 0.9, Candidate: 0.6, Delta: -0.3, PAdjusted: 0.001, Tested: true, Regression: true}}
	if err := p.Annotate(Result{Decision: d, Names: report.Names{Baseline: "b\u200f", Candidate: "c\u061c"}}); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if strings.ContainsFunc(out, visible.IsBidi) {
		t.Errorf("a bidirectional control reached the annotations: %q", out)
	}
	for _, want := range []string{`evil\u202egpj.exe`, `case \u202etxt.exe\u2066x\u2069`, `c\u061c (candidate) against b\u200f (baseline)`} {
		if !strings.Contains(out, want) {
			t.Errorf("annotations lack %q:\n%s", want, out)
		}
	}
}
