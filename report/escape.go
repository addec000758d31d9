package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/visible"
)

// Text taken from scorecards (case ids, workflow and system names, and the
// reasons and warnings that quote them) is untrusted: a workflow named
// "a|b" must not split a table cell, "<script>" must not reach a browser as
// HTML and "`" must not open a code span. The functions below make such
// text inert for one output context each. They are exported through
// MarkdownText and MermaidLabel so that other renderers (the GitHub
// Actions glue) escape exactly the same way.

// MarkdownText returns s as literal Markdown inline text, safe inside a
// GitHub-flavoured Markdown table cell, a list item or emphasis, and free
// of raw HTML:
//
//   - control characters (newlines included) and Unicode bidirectional
//     overrides become visible \xNN / \uNNNN escapes, so a value stays on
//     its line and reads the same as it is stored;
//   - &, < and > become character references, so no HTML tag, comment or
//     entity survives;
//   - the characters that start inline Markdown (\ ` * _ [ ] | ~ $ #)
//     are backslash-escaped, which also keeps a "|" from ending a table
//     cell and a "$" from starting GitHub's math;
//   - a leading "-", "+", "=" or "1." that would start a list or a heading
//     inside a list item is escaped too;
//   - "(" and ")" are backslash-escaped too, so that no link syntax
//     "[text](url)" can form even next to ftgate's own brackets;
//   - "@" is followed by a word joiner (U+2060), so a name like "@team"
//     quoted in a pull-request comment does not notify anyone, and
//     "a@b.example" is not turned into a mailto: link;
//   - a word joiner goes into every "://" (after the colon) and every
//     "www." (before the dot, in any letter case), so GitHub does not turn
//     "https://…", "ftp://…" or "www.…" from a scorecard into a live link;
//   - a word joiner also breaks GitHub's cross-references: after the "#"
//     of "#123" and "owner/repo#123" (which is escaped as well), after
//     the "-" of "GH-123" (any letter case), and after every sixth
//     character of a word of seven or more hexadecimal digits with a
//     letter among them (a commit SHA; a plain number is left alone), so no text from a scorecard links an issue, a pull request or
//     a commit;
//   - U+2028 and U+2029, which GitHub's renderer treats as line breaks,
//     become \u2028 and \u2029.
//
// The text still reads the same.
func MarkdownText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	lead := true  // only spaces so far
	start := true // only spaces and digits so far
	hexLeft := 0  // hexadecimal digits left in a SHA-like word
	hexDone := 0  // of them written since the last word joiner
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\\x%02x`, s[i])
			i++
			lead, start = false, false
			continue
		}
		first := lead && r != ' '
		at := i
		i += size
		if hexLeft == 0 && (at == 0 || !isWordByte(s[at-1])) {
			if n := hexRun(s[at:]); n >= 7 {
				hexLeft, hexDone = n, 0
			}
		}
		if hexLeft > 0 {
			hexLeft--
			b.WriteRune(r)
			if hexDone++; hexDone == 6 && hexLeft > 0 {
				b.WriteString("\u2060")
				hexDone = 0
			}
			lead, start = false, start && r >= '0' && r <= '9'
			continue
		}
		switch {
		case r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\\u%04x`, r)
		case r == '#' && i < len(s) && s[i] >= '0' && s[i] <= '9':
			b.WriteString("\\#\u2060")
		case r == '-' && at >= 2 && strings.EqualFold(s[at-2:at], "gh") && i < len(s) && s[i] >= '0' && s[i] <= '9':
			b.WriteString("-\u2060")
		case visible.IsControl(r):
			fmt.Fprintf(&b, `\\x%02x`, r)
		case visible.IsBidi(r):
			fmt.Fprintf(&b, `\\u%04x`, r)
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '@':
			b.WriteString("@\u2060")
		case r == ':' && strings.HasPrefix(s[i:], "//"):
			b.WriteString(":\u2060")
		case r == '.' && at >= 3 && strings.EqualFold(s[at-3:at], "www"):
			b.WriteString("\u2060.")
		case strings.ContainsRune("\\`*_[]()|~$#", r),
			first && (r == '-' || r == '+' || r == '='),
			start && !first && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		lead = lead && r == ' '
		start = start && (r == ' ' || r >= '0' && r <= '9')
	}
	return b.String()
}

// isWordByte reports whether c is an ASCII letter, digit or '_'.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// hexRun returns the length of the word of hexadecimal digits that s
// starts with, or 0 when the word goes on with other word characters or
// holds no letter (a number, such as the digits of a price, is left
// alone).
func hexRun(s string) int {
	n, letter := 0, false
	for ; n < len(s); n++ {
		c := s[n] | 0x20
		if c >= 'a' && c <= 'f' {
			letter = true
		} else if s[n] < '0' || s[n] > '9' {
			break
		}
	}
	if !letter || n < len(s) && isWordByte(s[n]) {
		return 0
	}
	return n
}

// MermaidLabel returns s reduced to a label that a Mermaid diagram parses
// as plain text wherever it is placed, in quotes or not: ASCII letters,
// digits, spaces, "-", "_" and "."; every other character becomes "_",
// and the label is cut to max runes (with "…" marking the cut). Mermaid
// has no escape syntax that every diagram type honours, so sanitising is
// the only safe choice; the tables beside the chart carry the exact names.
func MermaidLabel(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			return strings.TrimRight(b.String(), " ") + "..."
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		n++
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "unnamed"
	}
	return out
}

// xmlText makes s valid XML character data: encoding/xml escapes <, >, &
// and quotes, and replaces characters XML 1.0 cannot hold with U+FFFD;
// control characters are turned into visible escapes first so that the
// report shows what the scorecard said instead of a replacement mark, and
// so are the bidirectional controls (test reporters show JUnit names as
// they are, and an override would make a name read differently).
func xmlText(s string) string {
	return visible.Escape(s, func(r rune) bool { return r == '\n' || r == '\t' })
}
