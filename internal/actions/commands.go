package actions

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/ftgate/ftgate/internal/visible"
)

// The runner reads every line a step prints, on standard output and
// standard error alike, and acts on the ones that look like workflow
// commands: a line that starts with "::" after leading white space
// ("::error::..."), and the legacy form "##[error]..." anywhere in a line.
// A scorecard whose workflow is named "::error::pwned" would otherwise
// forge an annotation, or worse ("::add-mask::", "::stop-commands::"),
// from ftgate's own terminal report.

// LooksLikeCommand reports whether the runner could read line as a
// workflow command.
func LooksLikeCommand(line string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[")
}

// HasCommandLine reports whether any line of text (split the way the
// runner splits output: at \n, \r\n and a lone \r) looks like a command.
func HasCommandLine(text []byte) bool {
	for _, line := range bytes.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if LooksLikeCommand(string(line)) {
			return true
		}
	}
	return false
}

// NewStopToken returns a random token for ::stop-commands::, which no
// input can guess.
func NewStopToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	return "ftgate-" + hex.EncodeToString(b[:])
}

// GuardCommands returns text such that the runner prints it verbatim: when
// some line of it could be read as a workflow command, it is wrapped in
// ::stop-commands::TOKEN and ::TOKEN::, which suspend and resume command
// processing; otherwise text is returned unchanged, to keep logs clean.
// The result always ends with a newline when text does, and the resume
// line always starts on a line of its own.
func GuardCommands(text []byte, token string) []byte {
	if !HasCommandLine(text) {
		return text
	}
	var b bytes.Buffer
	b.Grow(len(text) + 2*len(token) + 40)
	fmt.Fprintf(&b, "::stop-commands::%s\n", token)
	b.Write(text)
	if len(text) > 0 && text[len(text)-1] != '\n' {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "::%s::\n", token)
	return b.Bytes()
}

// plain makes text from scorecards safe for an annotation: control
// characters other than the newline become visible \xNN escapes (the log
// viewer would otherwise interpret terminal escape sequences), and the
// Unicode bidirectional controls become \uNNNN escapes (a "Trojan Source"
// override would make a name read differently from what it is). The
// newline and "%" are left to go-githubactions, which escapes them as the
// workflow-command rules require (%0A, %25, and \r as %0D; in properties
// also ":" as %3A and "," as %2C), so nothing is escaped twice.
func plain(s string) string {
	return visible.Escape(s, func(r rune) bool { return r == '\n' })
}

// oneLine makes s a single line for a title: newlines become spaces and
// other control characters visible escapes.
func oneLine(s string) string {
	return plain(strings.NewReplacer("\r\n", " ", "\n", " ").Replace(s))
}
