package scorecard

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

// This file holds what the importers share: cheap content sniffing, a JSON
// input that reports problems at FILE:LINE:COL, typed access to the members
// of a JSON object, and the warning that names the fields a format lacks.

// sniffHead bounds how much of a file a sniffer reads; sniffLine bounds
// how much of a JSONL file's first line (whose record may carry a whole
// document and its model outputs) a sniffer decodes.
// sniffDeep bounds the second, deeper walk a sniffer may make when the
// signature it looks for lies beyond sniffHead (see sniffPromptfoo).
const (
	sniffHead = 64 << 10
	sniffLine = 1 << 20
	sniffDeep = 16 << 20
)

// jsonHeadKeys walks the top-level JSON object in the first sniffHead bytes
// of data and returns its keys, each with the first byte of its value (so
// that '{' says "an object"). When the key named descend holds an object,
// that object's keys are returned as inner. A truncated or malformed head
// ends the walk quietly: sniffers only ever say yes or no.
func jsonHeadKeys(data []byte, descend string) (top, inner map[string]byte) {
	return headKeys(data, sniffHead, descend)
}

// headKeys is jsonHeadKeys reading at most limit bytes.
func headKeys(data []byte, limit int, descend string) (top, inner map[string]byte) {
	top, inner, _ = walkHead(data, limit, descend)
	return top, inner
}

// walkHead is headKeys that also reports whether the walk reached the end
// of the descended object (so that inner holds all of its keys).
func walkHead(data []byte, limit int, descend string) (top, inner map[string]byte, innerDone bool) {
	head := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(head) > limit {
		head = head[:limit]
	}
	top = map[string]byte{}
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return top, nil, false
	}
	walkKeys(dec, head, top, func(key string, first byte) bool {
		if key != descend || first != '{' {
			return skipJSONValue(dec) == nil
		}
		inner = map[string]byte{}
		dec.Token() // the '{' just seen
		if !walkKeys(dec, head, inner, func(string, byte) bool { return skipJSONValue(dec) == nil }) {
			return false
		}
		_, err := dec.Token()
		innerDone = err == nil
		return innerDone
	})
	return top, inner, innerDone
}

// walkKeys reads the members of the object whose '{' dec has just read,
// noting each key in into with the first byte of its value; value must
// consume that value. It returns false when the text ends or breaks first.
func walkKeys(dec *json.Decoder, head []byte, into map[string]byte, value func(key string, first byte) bool) bool {
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return false
		}
		off := skipSep(head, int(dec.InputOffset()))
		if off >= len(head) {
			return false
		}
		into[key] = head[off]
		if !value(key, head[off]) {
			return false
		}
	}
	return true
}

// skipJSONValue consumes the next value from dec without keeping it.
func skipJSONValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// firstLineKeys returns the keys of the JSON object on the first non-blank
// line of data, each with the first byte of its value, or nil when that
// line does not start an object. Only the first sniffLine bytes of the line
// are decoded; the keys found before that are returned.
func firstLineKeys(data []byte) map[string]byte {
	line := bytes.TrimSpace(firstLine(data))
	if firstNonSpace(line) != '{' {
		return nil
	}
	keys, _ := headKeys(line, sniffLine, "")
	if len(keys) == 0 {
		return nil
	}
	return keys
}

// looksNative reports whether keys (of a first line) are those of a native
// scorecard line: a header or a case. Importer sniffers never claim these.
func looksNative(keys map[string]byte) bool {
	_, h := keys["scorecard"]
	_, id := keys["id"]
	_, acc := keys["accepted"]
	return h || (id && acc)
}

// looksNativeDocument reports whether the top-level keys of a JSON
// document are those of a native scorecard.
func looksNativeDocument(top map[string]byte) bool {
	_, version := top["scorecard"]
	_, cases := top["cases"]
	return version || cases
}

// A jsonInput is one JSON or JSONL text being imported. It turns offsets
// into FILE:LINE:COL and collects every problem found. For a member of a zip
// archive (an Inspect .eval file) the error's file stays the archive and the
// message starts with MEMBER:LINE:COL.
type jsonInput struct {
	file   string
	member string
	data   []byte
	idx    *lineIndex
	errs   ErrorList
}

func newJSONInput(file string, data []byte) *jsonInput {
	return &jsonInput{file: file, data: data, idx: newLineIndex(data)}
}

// line returns the 1-based line of offset off, or 0 for a zip member (whose
// lines are not lines of the user's file).
func (in *jsonInput) line(off int) int {
	if in.member != "" {
		return 0
	}
	l, _ := in.idx.pos(off)
	return l
}

// place wraps an error located within in.data.
func (in *jsonInput) place(ie *InputError) *InputError {
	if in.member == "" {
		return ie
	}
	loc := in.member
	if ie.Line > 0 {
		loc += ":" + strconv.Itoa(ie.Line)
		if ie.Col > 0 {
			loc += ":" + strconv.Itoa(ie.Col)
		}
	}
	return &InputError{File: in.file, Msg: loc + ": " + ie.Msg}
}

func (in *jsonInput) add(err error) {
	if len(in.errs) < maxErrors {
		in.errs = append(in.errs, err)
	}
}

// failAt records a problem at offset off of in.data.
func (in *jsonInput) failAt(off int, format string, args ...any) {
	line, col := in.idx.pos(min(off, len(in.data)))
	in.add(in.place(&InputError{File: in.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}))
}

// fail records a problem with no better place than the whole input.
func (in *jsonInput) fail(format string, args ...any) {
	in.add(in.place(&InputError{File: in.file, Msg: fmt.Sprintf(format, args...)}))
}

// jsonError records an encoding/json error in the text that starts at base.
func (in *jsonInput) jsonError(base int, err error) {
	in.add(in.place(jsonErrorAt(in.file, in.data, in.idx, base, err)))
}

// failed reports whether any problem has been recorded.
func (in *jsonInput) failed() bool { return len(in.errs) > 0 }

// object decodes the JSON object whose text raw starts at offset off of
// in.data. what names it in the message when it is not an object.
func (in *jsonInput) object(off int, raw []byte, what string) (jobj, bool) {
	if firstNonSpace(raw) != '{' {
		in.failAt(off, "%s must be a JSON object, found %s", what, describeJSON(raw))
		return jobj{}, false
	}
	fields, err := objectFields(raw)
	if err != nil {
		in.jsonError(off, err)
		return jobj{}, false
	}
	return jobj{in: in, off: off, fields: fields}, true
}

// document decodes the whole input as one JSON object.
func (in *jsonInput) document(what string) (jobj, bool) {
	start := len(in.data) - len(bytes.TrimPrefix(in.data, []byte("\xef\xbb\xbf")))
	start = skipSep(in.data, start)
	return in.object(start, in.data[start:], what)
}

// A jsonlLine is one non-blank line of a JSONL input.
type jsonlLine struct {
	off  int    // offset of the line's first non-blank byte in the input
	text []byte // the line without surrounding white space
}

// lines splits the input into its non-blank lines.
func (in *jsonInput) lines() []jsonlLine {
	var out []jsonlLine
	data := in.data
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
			out = append(out, jsonlLine{off: lead, text: text})
		}
		off = next
	}
	return out
}

// A jobj is a decoded JSON object whose members keep their place in the
// input, so that a problem with one member is reported where it is.
type jobj struct {
	in     *jsonInput
	off    int
	fields []jsonField
}

// member returns the raw value of key and the offset of that value, or
// ok=false when the key is absent or null.
func (o jobj) member(key string) (raw json.RawMessage, off int, ok bool) {
	for _, f := range o.fields {
		if f.key == key {
			if string(f.value) == "null" {
				return nil, 0, false
			}
			return f.value, valueStart(o.in.data, o.off+f.off), true
		}
	}
	return nil, 0, false
}

// has reports whether key is present with a non-null value.
func (o jobj) has(key string) bool {
	_, _, ok := o.member(key)
	return ok
}

// keys returns the names of the members, in input order.
func (o jobj) keys() []string {
	keys := make([]string, len(o.fields))
	for i, f := range o.fields {
		keys[i] = f.key
	}
	return keys
}

// str returns the string member key ("" when absent or null); path names it
// in messages.
func (o jobj) str(key, path string) string {
	raw, off, ok := o.member(key)
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		o.in.failAt(off, "%s must be a string, found %s", path, describeJSON(raw))
	}
	return s
}

// number returns the finite number member key, or nil when absent or null.
// nonNegative also refuses negatives.
func (o jobj) number(key, path string, nonNegative bool) *float64 {
	raw, off, ok := o.member(key)
	if !ok {
		return nil
	}
	x, msg := parseNumber(raw, nonNegative)
	if msg != "" {
		o.in.failAt(off, "%s %s", path, msg)
		return nil
	}
	return &x
}

// count returns the whole non-negative number member key (0 when absent).
func (o jobj) count(key, path string) int64 {
	raw, off, ok := o.member(key)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil || n < 0 {
		// Some writers emit whole numbers as 12.0.
		x, msg := parseNumber(raw, true)
		if msg != "" || x != math.Trunc(x) || x > 1<<53 {
			o.in.failAt(off, "%s must be a whole number ≥ 0, found %s", path, strings.TrimSpace(string(raw)))
			return 0
		}
		n = int64(x)
	}
	return n
}

// boolean returns the boolean member key, or nil when absent or null.
func (o jobj) boolean(key, path string) *bool {
	raw, off, ok := o.member(key)
	if !ok {
		return nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		o.in.failAt(off, "%s must be true or false, found %s", path, strings.TrimSpace(string(raw)))
		return nil
	}
	return &b
}

// object returns the object member key; ok is false when it is absent,
// null or (with a recorded problem) not an object.
func (o jobj) object(key, path string) (jobj, bool) {
	raw, off, ok := o.member(key)
	if !ok {
		return jobj{}, false
	}
	return o.in.object(off, raw, path)
}

// array returns the elements of the array member key with their offsets in
// the input; ok is false when absent, null or not an array.
func (o jobj) array(key, path string) ([]jsonField, bool) {
	raw, off, ok := o.member(key)
	if !ok {
		return nil, false
	}
	return o.in.array(off, raw, path)
}

// array splits the JSON array raw, found at offset off, into its elements
// with their offsets in the input.
func (in *jsonInput) array(off int, raw []byte, what string) ([]jsonField, bool) {
	if firstNonSpace(raw) != '[' {
		in.failAt(off, "%s must be an array, found %s", what, describeJSON(raw))
		return nil, false
	}
	elems, err := arrayElements(raw)
	if err != nil {
		in.jsonError(off, err)
		return nil, false
	}
	for i := range elems {
		elems[i].off += off
	}
	return elems, true
}

// idString returns the id member key, a string or an integer, as a string;
// ok is false (with a recorded problem) when it is missing or of another
// kind.
func (o jobj) idString(key, path string) (string, bool) {
	raw, off, ok := o.member(key)
	if !ok {
		o.in.failAt(o.off, "%s has no %q", path, key)
		return "", false
	}
	switch c := firstNonSpace(raw); {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return s, true
		}
	case c == '-' || (c >= '0' && c <= '9'):
		s := strings.TrimSpace(string(raw))
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return s, true
		}
	}
	o.in.failAt(off, "%s must be a non-empty string or an integer, found %s", key, strings.TrimSpace(string(raw)))
	return "", false
}

// jsonString decodes the JSON string raw found at offset off.
func jsonString(in *jsonInput, raw []byte, off int, path string) string {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		in.failAt(off, "%s must be a string, found %s", path, describeJSON(raw))
	}
	return s
}

// valueStart returns the offset of the value of the member whose key starts
// at keyOff in data.
func valueStart(data []byte, keyOff int) int {
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
	return skipSep(data, i+1)
}

// canonicalHash is the first 12 hex digits of the SHA-256 of raw's JSON
// value written canonically (object keys sorted, no insignificant space), so
// that the same value always gets the same hash however it was formatted.
func canonicalHash(raw []byte) string {
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

// pickName resolves a user's choice (a --flag value) among the names an
// input offers: the choice when it is one of them, the only name when there
// is just one, else an error listing them. what is singular ("scorer").
func pickName(in *jsonInput, what, flag, want string, have []string) (string, bool) {
	if want != "" {
		for _, h := range have {
			if h == want {
				return want, true
			}
		}
		msg := fmt.Sprintf("no %s %q in this file (it has %s)", what, want, quoteList(have))
		if s := Suggest(want, have); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		in.fail("%s", msg)
		return "", false
	}
	if len(have) == 1 {
		return have[0], true
	}
	in.fail("this file has %d %ss (%s); pick one with --%s", len(have), what, quoteList(have), flag)
	return "", false
}

// counted writes n with the singular or plural phrase that follows it.
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// byteSize writes n bytes for people: 512 B, 3.5 KiB, 64 MiB, 1 GiB.
func byteSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	x, unit := float64(n)/1024, "KiB"
	for _, u := range []string{"MiB", "GiB", "TiB"} {
		if x < 1024 {
			break
		}
		x, unit = x/1024, u
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", x), ".0") + " " + unit
}

// quoteList returns the names quoted and comma-separated, in the given order.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// lacking names a field a format does not carry and what follows from it.
var lacking = map[string]string{
	"workflow":     "workflow (no per-workflow segments)",
	"cluster":      "cluster (cases are treated as independent)",
	"schema_valid": "schema_valid (the format constraint is not measured)",
	"cost":         "cost or token usage (the cost check is not measured)",
	"priced":       "cost (token usage is priced with the policy's price table)",
	"latency":      "latency (the latency constraint is not measured)",
}

// noteLacking adds the warning that says which optional fields the input
// does not carry and what follows from each.
func noteLacking(sc *Scorecard, file, format string) {
	f := sc.PresentFields()
	var parts []string
	for _, l := range []struct {
		missing bool
		name    string
	}{
		{!f.Workflow, "workflow"},
		{!f.Cluster, "cluster"},
		{!f.SchemaValid, "schema_valid"},
		{!f.Cost && !f.Usage, "cost"},
		{!f.Cost && f.Usage, "priced"},
		{!f.Latency, "latency"},
	} {
		if l.missing {
			parts = append(parts, lacking[l.name])
		}
	}
	if len(parts) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s input has no %s", file, format, strings.Join(parts, "; ")))
	}
}
