package readkit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// An Input is one JSON or JSONL text being imported. It turns offsets
// into FILE:LINE:COL and collects every problem found. For a member of a zip
// archive (an Inspect .eval file) the error's file stays the archive and the
// message starts with MEMBER:LINE:COL.
type Input struct {
	// File is the user's file, named in every message.
	File string
	// Member is the archive member being read, or "" for a plain file.
	Member string
	// Data is the text being read.
	Data []byte
	// Errs holds the problems found so far, at most MaxErrors.
	Errs ErrorList
	idx  *LineIndex
}

// NewInput returns the Input for data, read from file.
func NewInput(file string, data []byte) *Input {
	return &Input{File: file, Data: data, idx: NewLineIndex(data)}
}

// line returns the 1-based line of offset off, or 0 for a zip member (whose
// lines are not lines of the user's file).
func (in *Input) Line(off int) int {
	if in.Member != "" {
		return 0
	}
	l, _ := in.idx.Pos(off)
	return l
}

// place wraps an error located within in.Data.
func (in *Input) place(ie *InputError) *InputError {
	if in.Member == "" {
		return ie
	}
	loc := Name(in.Member)
	if ie.Line > 0 {
		loc += ":" + strconv.Itoa(ie.Line)
		if ie.Col > 0 {
			loc += ":" + strconv.Itoa(ie.Col)
		}
	}
	return &InputError{File: in.File, Msg: loc + ": " + ie.Msg}
}

// Add records a problem, up to MaxErrors of them.
func (in *Input) Add(err error) {
	if len(in.Errs) < MaxErrors {
		in.Errs = append(in.Errs, err)
	}
}

// failAt records a problem at offset off of in.Data.
func (in *Input) FailAt(off int, format string, args ...any) {
	line, col := in.idx.Pos(min(off, len(in.Data)))
	in.Add(in.place(&InputError{File: in.File, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}))
}

// fail records a problem with no better place than the whole input.
func (in *Input) Fail(format string, args ...any) {
	in.Add(in.place(&InputError{File: in.File, Msg: fmt.Sprintf(format, args...)}))
}

// FailChoice records that the file holds several systems and the reader
// was not told which to read (InputError.Choice).
func (in *Input) FailChoice(format string, args ...any) {
	in.Add(in.place(&InputError{File: in.File, Msg: fmt.Sprintf(format, args...), Choice: true}))
}

// jsonError records an encoding/json error in the text that starts at base.
func (in *Input) JSONError(base int, err error) {
	in.Add(in.place(ErrorAt(in.File, in.Data, in.idx, base, err)))
}

// failed reports whether any problem has been recorded.
func (in *Input) Failed() bool { return len(in.Errs) > 0 }

// object decodes the JSON object whose text raw starts at offset off of
// in.Data. what names it in the message when it is not an object.
func (in *Input) Object(off int, raw []byte, what string) (Object, bool) {
	if FirstNonSpace(raw) != '{' {
		in.FailAt(off, "%s must be a JSON object, found %s", what, Describe(raw))
		return Object{}, false
	}
	fields, err := ObjectFields(raw)
	if err != nil {
		in.JSONError(off, err)
		return Object{}, false
	}
	// A key given twice would be read as whichever one a reader looks at
	// first; JSON writers never repeat one, so a repeat is a damaged or
	// forged file.
	if len(fields) > 1 {
		first := make(map[string]int, len(fields))
		for _, f := range fields {
			if prev, dup := first[f.Key]; dup {
				line, _ := in.idx.Pos(off + prev)
				in.FailAt(off+f.Off, "%s has the key %q twice (first at line %d)", what, f.Key, line)
				return Object{}, false
			}
			first[f.Key] = f.Off
		}
	}
	return Object{In: in, Off: off, Fields: fields}, true
}

// document decodes the whole input as one JSON object.
func (in *Input) Document(what string) (Object, bool) {
	start := len(in.Data) - len(bytes.TrimPrefix(in.Data, []byte("\xef\xbb\xbf")))
	start = SkipSep(in.Data, start)
	return in.Object(start, in.Data[start:], what)
}

// A JSONLLine is one non-blank line of a JSONL input.
type JSONLLine struct {
	Off  int    // offset of the line's first non-blank byte in the input
	Text []byte // the line without surrounding white space
}

// lines splits the input into its non-blank lines.
func (in *Input) Lines() []JSONLLine {
	var out []JSONLLine
	data := in.Data
	off := len(data) - len(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(data)
		}
		text := bytes.TrimSpace(data[off:end])
		if len(text) > 0 {
			lead := off + bytes.Index(data[off:end], text)
			out = append(out, JSONLLine{Off: lead, Text: text})
		}
		off = next
	}
	return out
}

// An Object is a decoded JSON object whose members keep their place in the
// input, so that a problem with one member is reported where it is.
type Object struct {
	In     *Input
	Off    int     // offset of the object's '{' in In.Data
	Fields []Field // the members, in input order
}

// member returns the raw value of key and the offset of that value, or
// ok=false when the key is absent or null.
func (o Object) Member(key string) (raw json.RawMessage, off int, ok bool) {
	for _, f := range o.Fields {
		if f.Key == key {
			if string(f.Value) == "null" {
				return nil, 0, false
			}
			return f.Value, ValueStart(o.In.Data, o.Off+f.Off), true
		}
	}
	return nil, 0, false
}

// NoDuplicateKeys refuses, at its second occurrence, a key that an object
// inside the member key (path in messages) gives twice, at any depth: for
// a member whose nested objects a reader looks into.
func (o Object) NoDuplicateKeys(key, path string) bool {
	raw, off, ok := o.Member(key)
	if !ok {
		return true
	}
	d := FindDuplicateKey(raw)
	if d == nil {
		return true
	}
	o.In.FailAt(off+d.Off, "%s has the key %q twice (first at line %d)", path, d.Key, o.In.Line(off+d.First))
	return false
}

// has reports whether key is present with a non-null value.
func (o Object) Has(key string) bool {
	_, _, ok := o.Member(key)
	return ok
}

// keys returns the names of the members, in input order.
func (o Object) Keys() []string {
	keys := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		keys[i] = f.Key
	}
	return keys
}

// str returns the string member key ("" when absent or null); path names it
// in messages.
func (o Object) Str(key, path string) string {
	raw, off, ok := o.Member(key)
	if !ok {
		return ""
	}
	return JSONString(o.In, raw, off, path)
}

// number returns the finite number member key, or nil when absent or null.
// nonNegative also refuses negatives.
func (o Object) Number(key, path string, nonNegative bool) *float64 {
	raw, off, ok := o.Member(key)
	if !ok {
		return nil
	}
	x, msg := ParseNumber(raw, nonNegative)
	if msg != "" {
		o.In.FailAt(off, "%s %s", path, msg)
		return nil
	}
	return &x
}

// count returns the whole non-negative number member key (0 when absent).
func (o Object) Count(key, path string) int64 {
	raw, off, ok := o.Member(key)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil || n < 0 {
		// Some writers emit whole numbers as 12.0.
		x, msg := ParseNumber(raw, true)
		if msg != "" || x != math.Trunc(x) || x > 1<<53 {
			o.In.FailAt(off, "%s must be a whole number ≥ 0, found %s", path, strings.TrimSpace(string(raw)))
			return 0
		}
		n = int64(x)
	}
	return n
}

// boolean returns the boolean member key, or nil when absent or null.
func (o Object) Boolean(key, path string) *bool {
	raw, off, ok := o.Member(key)
	if !ok {
		return nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		o.In.FailAt(off, "%s must be true or false, found %s", path, strings.TrimSpace(string(raw)))
		return nil
	}
	return &b
}

// object returns the object member key; ok is false when it is absent,
// null or (with a recorded problem) not an object.
func (o Object) Object(key, path string) (Object, bool) {
	raw, off, ok := o.Member(key)
	if !ok {
		return Object{}, false
	}
	return o.In.Object(off, raw, path)
}

// array returns the elements of the array member key with their offsets in
// the input; ok is false when absent, null or not an array.
func (o Object) Array(key, path string) ([]Field, bool) {
	raw, off, ok := o.Member(key)
	if !ok {
		return nil, false
	}
	return o.In.Array(off, raw, path)
}

// array splits the JSON array raw, found at offset off, into its elements
// with their offsets in the input.
func (in *Input) Array(off int, raw []byte, what string) ([]Field, bool) {
	if FirstNonSpace(raw) != '[' {
		in.FailAt(off, "%s must be an array, found %s", what, Describe(raw))
		return nil, false
	}
	elems, err := ArrayElements(raw)
	if err != nil {
		in.JSONError(off, err)
		return nil, false
	}
	for i := range elems {
		elems[i].Off += off
	}
	return elems, true
}

// IDString returns the id member key, a string or an integer, as a string;
// ok is false (with a recorded problem) when it is missing or of another
// kind.
func (o Object) IDString(key, path string) (string, bool) {
	raw, off, ok := o.Member(key)
	if !ok {
		o.In.FailAt(o.Off, "%s has no %q", path, key)
		return "", false
	}
	switch c := FirstNonSpace(raw); {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			if !ValidText(raw) {
				o.In.FailAt(off, "%s", InvalidText(key, raw))
				return "", false
			}
			return s, true
		}
	case c == '-' || (c >= '0' && c <= '9'):
		s := strings.TrimSpace(string(raw))
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return s, true
		}
	}
	o.In.FailAt(off, "%s must be a non-empty string or an integer, found %s", key, strings.TrimSpace(string(raw)))
	return "", false
}

// JSONString decodes the JSON string raw found at offset off.
func JSONString(in *Input, raw []byte, off int, path string) string {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		in.FailAt(off, "%s must be a string, found %s", path, Describe(raw))
		return ""
	}
	if !ValidText(raw) {
		in.FailAt(off, "%s", InvalidText(path, raw))
		return ""
	}
	return s
}

// ValueStart returns the offset of the value of the member whose key starts
// at keyOff in data.
func ValueStart(data []byte, keyOff int) int {
	i := keyOff + 1
	for i < len(data) {
		if data[i] == '\\' {
			i += 2
			continue
		}
		if data[i] == '"' {
			break
		}
		i++
	}
	return SkipSep(data, i+1)
}

// CanonicalHash is the first 12 hex digits of the SHA-256 of raw's JSON
// value written canonically (object keys sorted, no insignificant space), so
// that the same value always gets the same hash however it was formatted.
func CanonicalHash(raw []byte) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	text := raw
	if dec.Decode(&v) == nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(v) == nil {
			text = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		}
	}
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:])[:12]
}
