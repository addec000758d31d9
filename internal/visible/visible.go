// Package visible shows text from untrusted inputs (scorecards written by
// a pull request) as what it is: control characters and invisible
// direction marks become visible escapes instead of acting on a terminal,
// a log viewer or a test reporter.
package visible

import (
	"fmt"
	"strings"
)

// IsControl reports the C0 controls, DEL and the C1 controls.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// IsBidi reports the characters that reorder or invisibly mark the
// direction of text: the embeddings and overrides U+202A–U+202E, the
// isolates U+2066–U+2069, the marks U+200E and U+200F, and the Arabic
// letter mark U+061C.
func IsBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// Unsafe reports the runes Escape rewrites.
func Unsafe(r rune) bool { return IsControl(r) || IsBidi(r) }

// Escape returns s with control characters written as \xNN and direction
// marks as \uNNNN, except the runes for which keep returns true (keep may
// be nil).
func Escape(s string, keep func(rune) bool) string {
	unsafe := func(r rune) bool { return Unsafe(r) && (keep == nil || !keep(r)) }
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafe(r):
			b.WriteRune(r)
		case IsBidi(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			fmt.Fprintf(&b, "\\x%02x", r)
		}
	}
	return b.String()
}
