package actions

import (
	"strings"
	"testing"
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
	if got, want := oneLine("a\nb\r\nc"), "a b c"; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}
