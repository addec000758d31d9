// Package visible is the one place where ftgate makes untrusted text
// (scorecards and policies written by a pull request, messages from the
// GitHub API) inert before it leaves the process.
//
// Escape shows a string as what it is: control characters, invisible line
// separators, direction marks and bytes that are not UTF-8 become visible
// escapes instead of acting on a terminal, a log viewer or a test reporter.
//
// A Writer guards a whole output stream: every byte ftgate prints on
// standard output and standard error passes through one, so that no line
// of it can be read as a GitHub Actions workflow command, whatever the
// inputs said. Only its Command method writes a real command.
//
// JSON and XML do the same for report files, with the format's own
// character references, so that the decoded values are unchanged.
//
// The escapes are:
//
//	C0 controls except \n and \t, DEL, C1 controls  \xNN  (ESC is \x1b, NEL \x85, CSI \x9b)
//	a byte that is not part of valid UTF-8           \xNN
//	U+2028, U+2029 and the direction controls        \uNNNN
//	"##[" anywhere in a line                        #\x23[
//	"::" after leading white space of a line        :\x3a
package visible

import (
	"fmt"
	"strings"
	"unicode/utf8"
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

// IsLineSeparator reports U+2028 LINE SEPARATOR and U+2029 PARAGRAPH
// SEPARATOR, which some viewers and JavaScript treat as line breaks.
func IsLineSeparator(r rune) bool { return r == 0x2028 || r == 0x2029 }

// Unsafe reports the runes Escape rewrites.
func Unsafe(r rune) bool { return IsControl(r) || IsBidi(r) || IsLineSeparator(r) }

// Escape returns s with control characters and bytes that are not valid
// UTF-8 written as \xNN, and line separators and direction marks as
// \uNNNN, except the runes for which keep returns true (keep may be nil).
func Escape(s string, keep func(rune) bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (Unsafe(r) && (keep == nil || !keep(r))) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !Unsafe(r) || (keep != nil && keep(r)):
			b.WriteString(s[i : i+size])
		default:
			b.WriteString(escapeRune(r))
		}
		i += size
	}
	return b.String()
}

// escapeRune is the visible form of an unsafe rune.
func escapeRune(r rune) string {
	if IsControl(r) {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
