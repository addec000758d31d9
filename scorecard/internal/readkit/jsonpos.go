package readkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// LineIndex turns byte offsets into 1-based line and column numbers.
type LineIndex struct {
	starts []int // offset of the first byte of each line
}

// NewLineIndex indexes the lines of data.
func NewLineIndex(data []byte) *LineIndex {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &LineIndex{starts: starts}
}

// pos returns the line and column (in bytes, 1-based) of offset off.
func (x *LineIndex) Pos(off int) (line, col int) {
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - x.starts[i] + 1
}

// A Field is one member of a JSON object with the offset of its key
// relative to the start of the object's text.
type Field struct {
	Key   string
	Value json.RawMessage
	Off   int
}

// SkipSep returns the offset of the first byte at or after off that is not
// white space, a comma or a colon.
func SkipSep(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// ObjectFields splits the JSON object raw into its members, in order. It
// fails with an error whose offset (see jsonErrorOffset) is relative to raw
// when raw is not a well-formed object.
func ObjectFields(raw []byte) ([]Field, error) {
	fields, err := splitObject(raw)
	if err != nil {
		return nil, PreciseError(raw, err)
	}
	return fields, nil
}

// PreciseError replaces a streaming decoder's syntax error, whose offset is
// not always relative to raw, with the one json.Unmarshal reports. A text
// that stops before its value is complete (a JSONL line or a file cut off,
// even in the middle of a literal such as tr) is reported as an unexpected
// end of input just after its last byte.
func PreciseError(raw []byte, err error) error {
	var oe *offsetError
	if errors.As(err, &oe) {
		return err
	}
	text := bytes.TrimRight(raw, " \t\r\n")
	// Unmarshal checks the whole text before it decodes anything, and into
	// an empty struct decodes nothing: a syntax error costs one scan.
	uerr := json.Unmarshal(text, new(struct{}))
	var se *json.SyntaxError
	if !errors.As(uerr, &se) {
		return err
	}
	if atEnd(text, se) {
		return &offsetError{off: len(text), msg: "malformed JSON: unexpected end of input (the JSON value is cut off)"}
	}
	return uerr
}

// atEnd reports whether the json.Unmarshal error se for text arose at the
// end of text rather than at one of its bytes. At the end, the scanner
// either says so or, inside a literal or a number, complains about the
// space it feeds itself; text has no trailing space, so a complaint about
// a space at its end is that one.
func atEnd(text []byte, se *json.SyntaxError) bool {
	if int(se.Offset) < len(text) {
		return false
	}
	return se.Error() == "unexpected end of JSON input" || strings.HasPrefix(se.Error(), "invalid character ' '")
}

func splitObject(raw []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &offsetError{off: SkipSep(raw, 0), msg: fmt.Sprintf("expected a JSON object, found %s", Describe(raw))}
	}
	var fields []Field
	for dec.More() {
		off := SkipSep(raw, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		fields = append(fields, Field{Key: key, Value: v, Off: off})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &offsetError{off: SkipSep(raw, int(dec.InputOffset())), msg: "unexpected text after the JSON value"}
	}
	return fields, nil
}

// ArrayElements splits the JSON array raw into its elements with their
// offsets relative to raw.
func ArrayElements(raw []byte) ([]Field, error) {
	elems, err := splitArray(raw)
	if err != nil {
		return nil, PreciseError(raw, err)
	}
	return elems, nil
}

func splitArray(raw []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &offsetError{off: SkipSep(raw, 0), msg: fmt.Sprintf("expected a JSON array, found %s", Describe(raw))}
	}
	var elems []Field
	for dec.More() {
		off := SkipSep(raw, int(dec.InputOffset()))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		elems = append(elems, Field{Value: v, Off: off})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return elems, nil
}

// An offsetError is a structural problem at a byte offset.
type offsetError struct {
	off int
	msg string
}

func (e *offsetError) Error() string { return e.msg }

// ErrorAt converts an error from encoding/json (or an offsetError) into
// an *InputError at the right line and column. base is the offset of the
// decoded text within the whole file.
func ErrorAt(file string, data []byte, idx *LineIndex, base int, err error) *InputError {
	off, msg := base, err.Error()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var oe *offsetError
	switch {
	case errors.As(err, &se):
		off = base + int(se.Offset)
		// The decoder reports the offset after the offending byte.
		if off > 0 {
			off--
		}
		msg = "malformed JSON: " + se.Error()
		if strings.HasSuffix(se.Error(), "exceeded max depth") {
			msg = "malformed JSON: nested too deeply (more than 10000 levels of arrays and objects)"
		}
		if lit := nonFiniteLiteral(data, off); lit != "" {
			msg = fmt.Sprintf("malformed JSON: %s is not a JSON number (numbers must be finite)", lit)
		}
	case errors.As(err, &te):
		off = base + int(te.Offset)
		msg = "malformed JSON: " + te.Error()
	case errors.As(err, &oe):
		off = base + oe.off
		msg = oe.msg
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = len(data)
		msg = "malformed JSON: unexpected end of input"
	}
	if off > len(data) {
		off = len(data)
	}
	line, col := idx.Pos(off)
	return &InputError{File: file, Line: line, Col: col, Msg: msg}
}

// nonFiniteLiteral reports a NaN or Infinity literal that some JSON writers
// emit, at or just before off.
func nonFiniteLiteral(data []byte, off int) string {
	for _, start := range []int{off, off - 1} {
		if start < 0 || start >= len(data) {
			continue
		}
		rest := data[start:]
		for _, lit := range []string{"NaN", "Infinity", "-Infinity"} {
			if bytes.HasPrefix(rest, []byte(lit)) {
				return lit
			}
		}
	}
	return ""
}

// Describe names the kind of the JSON value raw, for messages.
func Describe(raw []byte) string {
	switch FirstNonSpace(raw) {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	default:
		return "a number"
	}
}
