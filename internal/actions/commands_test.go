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

func TestGuardCommands(t *testing.T) {
	t.Parallel()
	clean := []byte("verdict: PASS\n  - fine\n")
	if got := GuardCommands(clean, "tok"); string(got) != string(clean) {
		t.Errorf("clean text changed: %q", got)
	}
	for _, text := range []string{
		"segments\n  ::error::forged\t40\n",
		"no newline at the end ::x\r::warning::after a carriage return",
		"legacy ##[error]forged\n",
		"::stop-commands::guess\n::error::forged\n::guess::\n::error::forged again\n",
	} {
		got := string(GuardCommands([]byte(text), NewStopToken()))
		if cmds := runnerCommands(t, got); len(cmds) != 0 {
			t.Errorf("guarded %q still issues %+v", text, cmds)
		}
		if !strings.Contains(got, text) {
			t.Errorf("guarded text lost the original: %q", got)
		}
	}
}

func TestNewStopTokenIsRandom(t *testing.T) {
	t.Parallel()
	a, b := NewStopToken(), NewStopToken()
	if a == b || len(a) < 32 {
		t.Errorf("tokens %q and %q", a, b)
	}
}

func TestPlainAndOneLine(t *testing.T) {
	t.Parallel()
	if got, want := plain("a\x1b[31mred\r\nb%"), `a\x1b[31mred\x0d`+"\nb%"; got != want {
		t.Errorf("plain = %q, want %q", got, want)
	}
	if got, want := plain("x\u202etxt.exe \u2066a\u2069 \u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068 ok"),
		`x\u202etxt.exe \u2066a\u2069 \u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068 ok`; got != want {
		t.Errorf("plain = %q, want %q", got, want)
	}
	if got, want := plain("naïve café — ✅ \u00a0"), "naïve café — ✅ \u00a0"; got != want {
		t.Errorf("plain changed ordinary text: %q", got)
	}
	if got, want := oneLine("a\nb\r\nc"), "a b c"; got != want {
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
