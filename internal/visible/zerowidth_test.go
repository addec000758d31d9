package visible

import (
	"strings"
	"testing"
	"unicode"
)

// The runner finds "::" and "##[" with .NET's culture-sensitive
// StartsWith and IndexOf, which skip characters that have no weight in a
// comparison (zero-width space, joiners, word joiner, BOM, soft hyphen),
// and then reads the command name at a fixed offset from the match: two
// characters after the start of the line for "::", three after the index
// of "##[" for the legacy form. runnerCommand models that. The guard
// leaves such zero-width forms as they are, since the runner forms no
// command from them: the command name it reads then begins with ":", "["
// or the zero-width character itself, or is empty, and no command has
// such a name. This test holds the guard's output to that model.

// ignorable are the characters a culture-sensitive comparison skips.
const ignorable = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

// runnerCommands are the workflow commands the runner acts on.
var runnerCommands = map[string]bool{"error": true, "warning": true, "notice": true, "debug": true, "set-output": true,
	"set-env": true, "add-path": true, "add-mask": true, "stop-commands": true, "group": true, "endgroup": true,
	"save-state": true, "add-matcher": true, "remove-matcher": true, "echo": true}

// strip removes the ignorable characters from s.
func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(ignorable, r) {
			return -1
		}
		return r
	}, s)
}

// cultureIndex returns the first index (in runes) at or after from where
// s, skipping ignorable characters, starts with pat; the match starts on
// a character that is not ignorable.
func cultureIndex(s []rune, pat string, from int) int {
	for p := from; p < len(s); p++ {
		if strings.ContainsRune(ignorable, s[p]) {
			continue
		}
		if strings.HasPrefix(strip(string(s[p:])), pat) {
			return p
		}
	}
	return -1
}

// runnerCommand returns the name of the command the runner would read
// from line, or "" for none.
func runnerCommand(line string) string {
	name := func(s []rune) string {
		n := string(s)
		if i := strings.IndexAny(n, " ]"); i >= 0 {
			n = n[:i]
		}
		if runnerCommands[n] {
			return n
		}
		return ""
	}
	v2 := []rune(strings.TrimLeftFunc(line, unicode.IsSpace))
	if strings.HasPrefix(strip(string(v2)), "::") {
		if end := cultureIndex(v2, "::", 2); end >= 2 {
			if n := name(v2[2:end]); n != "" {
				return n
			}
		}
	}
	legacy := []rune(line)
	if p := cultureIndex(legacy, "##[", 0); p >= 0 {
		rest := legacy[p+3:]
		if rb := strings.IndexRune(string(rest), ']'); rb >= 0 {
			return name([]rune(string(rest)[:rb]))
		}
	}
	return ""
}

// Every way of putting one or two zero-width characters into "::error::x"
// and "##[error]x", alone or after other text, gives no command once
// through the guard.
func TestZeroWidthFormsAreInert(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"::error::x", "##[error]x", "::add-mask::x", "##[set-output name=a;]b"} {
		// The model itself finds the plain forms.
		if runnerCommand(base) == "" {
			t.Fatalf("the model finds no command in %q", base)
		}
		rs := []rune(base)
		var variants []string
		for i := 0; i <= 4; i++ {
			for j := i; j <= 4; j++ {
				for _, z := range ignorable {
					v := string(rs[:i]) + string(z) + string(rs[i:j]) + string(z) + string(rs[j:])
					variants = append(variants, v, "  "+v, "see "+v)
					variants = append(variants, string(rs[:i])+string(z)+string(rs[i:]))
				}
			}
		}
		variants = append(variants, "#\u200b#[error]x", ":\u200b:error::x")
		for _, v := range variants {
			out := guarded(t, Options{}, v+"\n")
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if c := runnerCommand(line); c != "" {
					t.Errorf("%q: the guard gives %q, from which the runner reads %q", v, line, c)
				}
			}
		}
	}
}
