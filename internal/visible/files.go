package visible

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// JSON rewrites an encoded JSON document (as encoding/json writes it) so
// that a person or a runner reading it as text meets nothing active,
// while every decoded value stays the same: the unsafe runes that
// encoding/json leaves as they are (DEL, the C1 controls, the direction
// marks) become \uNNNN escapes, and the "#" that starts "##[" becomes
// \u0023. Outside strings JSON has no such bytes, so only strings change.
// An indented document has no line that starts with "::": every line
// starts with white space and then a quote, a bracket or a brace.
func JSON(data []byte) []byte {
	if !bytes.Contains(data, []byte("##[")) && utf8.Valid(data) && !bytes.ContainsFunc(data, Unsafe) {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + 16)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '#' && bytes.HasPrefix(data[i:], []byte("##[")):
			b.WriteString(`\u0023`)
		case r == 0x7f || (r >= utf8.RuneSelf && Unsafe(r)):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(data[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// XML rewrites an XML document so that "##[" appears nowhere in it: the
// "#" that starts it becomes the character reference &#35;, which reads
// back the same in text and attribute values. The caller has already made
// the text valid XML (with Escape for the unsafe runes).
func XML(data []byte) []byte {
	return bytes.ReplaceAll(data, []byte("##["), []byte("&#35;#["))
}
