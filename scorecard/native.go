package scorecard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

// caseFields are the names a native case may carry, in documentation order.
var caseFields = []string{"id", "sample", "workflow", "cluster", "accepted", "score", "cost_usd",
	"usage", "latency_ms", "schema_valid", "failure_class", "error", "batch", "metadata"}

var usageFields = []string{"model", "input_tokens", "output_tokens", "cached_input_tokens"}

// maxErrors bounds how many problems one file reports before giving up.
const maxErrors = readkit.MaxErrors

var headerFields = []string{"scorecard", "system", "run", "cases", "metadata"}

var systemFields = []string{"name", "role", "model", "tier"}

var runFields = []string{"id", "dataset", "commit"}

// sniffNative recognises a native JSON document (an object with a
// "scorecard" or "cases" key) or native JSONL (a first line that is a
// header or a case with "id" and "accepted").
func sniffNative(data []byte) bool {
	line := readkit.FirstLine(data)
	if readkit.FirstNonSpace(line) != '{' {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(line, &probe) == nil {
		_, h := probe["scorecard"]
		_, id := probe["id"]
		_, acc := probe["accepted"]
		_, cases := probe["cases"]
		return h || cases || (id && acc)
	}
	// A multi-line JSON document: look for the version key near the top.
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.Contains(head, []byte(`"scorecard"`)) || bytes.Contains(head, []byte(`"cases"`))
}

// nativeReader carries the state of one native read.
type nativeReader struct {
	file    string
	data    []byte
	idx     *readkit.LineIndex // built on first use: lines()
	lenient bool
	fast    bool // try fastCase before the slow path (see fastcase.go)
	sc      *Scorecard
	errs    ErrorList
	// slab and interned back the fast path's values (fastcase.go).
	slab     slab
	interned map[string]string
}

// lines returns the index of line starts, built the first time a
// position is needed: a file whose every case takes the fast path needs
// none.
func (r *nativeReader) lines() *readkit.LineIndex {
	if r.idx == nil {
		r.idx = readkit.NewLineIndex(r.data)
	}
	return r.idx
}

func (r *nativeReader) errorAt(off int, format string, args ...any) {
	if len(r.errs) >= maxErrors {
		return
	}
	line, col := r.lines().Pos(off)
	r.errs = append(r.errs, &InputError{File: r.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// noDuplicateKeys reports, at the second occurrence, a key that an object
// inside the value v (at offset off, named where) gives twice, at any
// depth: system, run, usage and metadata are read exactly or not at all.
func (r *nativeReader) noDuplicateKeys(off int, where string, v []byte) bool {
	d := readkit.FindDuplicateKey(v)
	if d == nil {
		return true
	}
	line, _ := r.lines().Pos(off + d.First)
	r.errorAt(off+d.Off, "%s has the key %q twice (first at line %d)", where, d.Key, line)
	return false
}

func (r *nativeReader) unknownField(off int, where, key string, known []string) {
	msg := fmt.Sprintf("unknown %s field %q", where, key)
	if s := Suggest(key, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	if r.lenient {
		line, col := r.lines().Pos(off)
		r.sc.Warnings = append(r.sc.Warnings, fmt.Sprintf("%s:%d:%d: %s (ignored: --lenient)", r.file, line, col, msg))
		return
	}
	r.errorAt(off, "%s (unknown fields are errors so that a typo never changes a verdict; --lenient makes them warnings)", msg)
}

// readNative reads the native JSON document or JSONL stream.
func readNative(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	return readNativePath(name, data, o, useFastPath)
}

// readNativePath is readNative with the fast path for cases on or off.
func readNativePath(name string, data []byte, o ReadOptions, fast bool) (*Scorecard, error) {
	r := &nativeReader{file: name, data: data, lenient: o.Lenient, fast: fast, sc: &Scorecard{}}
	// One sample per line in the usual JSONL scorecard: no regrowing.
	r.sc.Samples = make([]Sample, 0, bytes.Count(data, []byte{'\n'})+1)
	if isJSONL(data) {
		r.readJSONL()
	} else {
		r.readDocument()
	}
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return r.sc, nil
}

// isJSONL reports whether data holds one JSON value per line rather than a
// single (possibly multi-line) document: true when the first non-blank line
// is a complete JSON object and more text follows it.
func isJSONL(data []byte) bool {
	line := readkit.FirstLine(data)
	if !json.Valid(line) {
		return false
	}
	rest := data[bytes.Index(data, line)+len(line):]
	return len(bytes.TrimSpace(rest)) > 0 || !bytes.Contains(line, []byte(`"cases"`))
}

func (r *nativeReader) readDocument() {
	start := len(r.data) - len(bytes.TrimPrefix(r.data, []byte("\xef\xbb\xbf")))
	fields, err := readkit.ObjectFields(r.data[start:])
	if err != nil {
		r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), start, err))
		return
	}
	sawVersion, sawCases := false, false
	seen := map[string]bool{}
	for _, f := range fields {
		off := start + f.Off
		if seen[f.Key] {
			r.errorAt(off, "duplicate field %q", f.Key)
			continue
		}
		seen[f.Key] = true
		base := off + bytes.Index(r.data[off:], f.Value)
		switch f.Key {
		case "scorecard":
			sawVersion = true
			r.version(base, f.Value)
		case "system":
			r.system(base, f.Value)
		case "run":
			r.run(base, f.Value)
		case "metadata":
			r.noDuplicateKeys(base, "metadata", f.Value)
		case "cases":
			sawCases = true
			elems, err := readkit.ArrayElements(f.Value)
			if err != nil {
				r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), base, err))
				continue
			}
			for _, e := range elems {
				r.caseAt(base+e.Off, e.Value)
			}
		default:
			r.unknownField(off, "top-level", f.Key, headerFields)
		}
	}
	if !sawVersion {
		r.errorAt(start, `missing "scorecard": 1 (the format version) at the top of the document`)
	}
	if !sawCases {
		r.errorAt(start, `missing "cases": the document has no case list`)
	}
}

func (r *nativeReader) readJSONL() {
	off := 0
	lineNo := 0
	for off < len(r.data) {
		end := bytes.IndexByte(r.data[off:], '\n')
		var line []byte
		if end < 0 {
			line = r.data[off:]
			end = len(r.data)
		} else {
			line = r.data[off : off+end]
			end = off + end + 1
		}
		lineNo++
		lineStart := off
		off = end
		if lineNo == 1 {
			trimmed := bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			lineStart += len(line) - len(trimmed)
			line = trimmed
		}
		trim := bytes.TrimSpace(line)
		if len(trim) == 0 {
			continue
		}
		lead := lineStart + len(line) - len(bytes.TrimLeftFunc(line, unicode.IsSpace))
		if r.fast && r.fastCase(lineNo, trim) {
			continue
		}
		fields, err := readkit.ObjectFields(trim)
		if err != nil {
			if len(r.errs) < maxErrors {
				r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), lead, err))
			}
			continue
		}
		if hasKey(fields, "scorecard") {
			if len(r.sc.Samples) > 0 || r.sc.System.Name != "" || r.sc.Run.ID != "" {
				r.errorAt(lead, "a header line (with \"scorecard\") may only be the first line")
				continue
			}
			r.header(lead, fields)
			continue
		}
		r.caseFieldsAt(lead, fields)
	}
}

func hasKey(fields []readkit.Field, key string) bool {
	for _, f := range fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

func (r *nativeReader) header(base int, fields []readkit.Field) {
	seen := map[string]int{}
	for _, f := range fields {
		off := base + f.Off
		if prev, dup := seen[f.Key]; dup {
			line, _ := r.lines().Pos(prev)
			r.errorAt(off, "duplicate field %q in the header (first at line %d)", f.Key, line)
			continue
		}
		seen[f.Key] = off
		vbase := off + bytes.Index(r.data[off:], f.Value)
		switch f.Key {
		case "scorecard":
			r.version(vbase, f.Value)
		case "system":
			r.system(vbase, f.Value)
		case "run":
			r.run(vbase, f.Value)
		case "metadata":
			r.noDuplicateKeys(vbase, "metadata", f.Value)
		case "cases":
			r.errorAt(off, `a JSONL header carries no "cases": put one case per line after it`)
		default:
			r.unknownField(off, "header", f.Key, headerFields)
		}
	}
}

func (r *nativeReader) version(off int, v json.RawMessage) {
	var n json.Number
	// json.Number also takes a quoted number; the version is a number.
	if readkit.FirstNonSpace(v) == '"' {
		r.errorAt(off, "the scorecard version must be the number 1, found the string %s", strings.TrimSpace(string(v)))
		return
	}
	if err := json.Unmarshal(v, &n); err != nil || n.String() != "1" {
		r.errorAt(off, "unsupported scorecard version %s (this ftgate reads version 1)", strings.TrimSpace(string(v)))
	}
}

func (r *nativeReader) system(off int, v json.RawMessage) {
	// The header comes first: counting its lines costs little, where the
	// line index would cost a pass over the whole file.
	r.sc.SystemLine = 1 + bytes.Count(r.data[:off], []byte("\n"))
	fields, err := readkit.ObjectFields(v)
	if err != nil {
		r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), off, err))
		return
	}
	if !r.noDuplicateKeys(off, "system", v) {
		return
	}
	for _, f := range fields {
		dst := map[string]*string{"name": &r.sc.System.Name, "role": &r.sc.System.Role,
			"model": &r.sc.System.Model, "tier": &r.sc.System.Tier}[f.Key]
		r.stringInto(off+f.Off, "system", f, systemFields, dst)
	}
	switch r.sc.System.Role {
	case "", "baseline", "candidate":
	default:
		r.errorAt(off, "system.role is %q; want \"baseline\" or \"candidate\"", r.sc.System.Role)
	}
}

func (r *nativeReader) run(off int, v json.RawMessage) {
	fields, err := readkit.ObjectFields(v)
	if err != nil {
		r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), off, err))
		return
	}
	if !r.noDuplicateKeys(off, "run", v) {
		return
	}
	for _, f := range fields {
		dst := map[string]*string{"id": &r.sc.Run.ID, "dataset": &r.sc.Run.Dataset, "commit": &r.sc.Run.Commit}[f.Key]
		r.stringInto(off+f.Off, "run", f, runFields, dst)
	}
}

func (r *nativeReader) stringInto(off int, where string, f readkit.Field, known []string, dst *string) {
	if dst == nil {
		r.unknownField(off, where, f.Key, known)
		return
	}
	if string(f.Value) == "null" {
		return
	}
	if err := json.Unmarshal(f.Value, dst); err != nil {
		r.errorAt(off, "%s.%s must be a string, found %s", where, f.Key, readkit.Describe(f.Value))
	}
}

func (r *nativeReader) caseAt(off int, raw json.RawMessage) {
	if r.fast {
		if line, _ := r.lines().Pos(off); r.fastCase(line, raw) {
			return
		}
	}
	fields, err := readkit.ObjectFields(raw)
	if err != nil {
		if len(r.errs) < maxErrors {
			r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), off, err))
		}
		return
	}
	r.caseFieldsAt(off, fields)
}

// caseFieldsAt decodes one case whose object text starts at offset base.
func (r *nativeReader) caseFieldsAt(base int, fields []readkit.Field) {
	line, _ := r.lines().Pos(base)
	s := Sample{Line: line}
	ok := true
	var sawID, sawAccepted bool
	seen := map[string]bool{}
	bad := func(off int, format string, args ...any) {
		r.errorAt(off, format, args...)
		ok = false
	}
	for _, f := range fields {
		off := base + f.Off
		if seen[f.Key] {
			bad(off, "duplicate field %q in a case", f.Key)
			continue
		}
		seen[f.Key] = true
		null := string(f.Value) == "null"
		switch f.Key {
		case "id":
			sawID = true
			if err := json.Unmarshal(f.Value, &s.ID); err != nil || null {
				bad(off, "case id must be a string, found %s", readkit.Describe(f.Value))
			} else if !readkit.ValidText(f.Value) {
				bad(off, "%s", readkit.InvalidText("case id", f.Value))
			} else if strings.TrimSpace(s.ID) == "" {
				bad(off, "case id is empty")
			}
		case "sample":
			n, err := strconv.ParseInt(string(f.Value), 10, 32)
			if err != nil || n < 0 {
				bad(off, "sample must be a whole number ≥ 0, found %s", strings.TrimSpace(string(f.Value)))
			}
			s.Sample = int(n)
		case "workflow", "cluster", "failure_class", "error", "batch":
			var v string
			if !null {
				if err := json.Unmarshal(f.Value, &v); err != nil {
					bad(off, "%s must be a string, found %s", f.Key, readkit.Describe(f.Value))
				} else if !readkit.ValidText(f.Value) {
					bad(off, "%s", readkit.InvalidText(f.Key, f.Value))
				}
			}
			switch f.Key {
			case "workflow":
				s.Workflow = v
			case "cluster":
				s.Cluster = v
			case "failure_class":
				s.FailureClass = v
			case "error":
				s.Error = v
			case "batch":
				s.Batch = v
			}
		case "accepted":
			sawAccepted = true
			if err := json.Unmarshal(f.Value, &s.Accepted); err != nil || null {
				bad(off, "accepted must be true or false, found %s", strings.TrimSpace(string(f.Value)))
			}
		case "schema_valid":
			if !null {
				var b bool
				if err := json.Unmarshal(f.Value, &b); err != nil {
					bad(off, "schema_valid must be true or false, found %s", strings.TrimSpace(string(f.Value)))
				}
				s.SchemaValid = &b
			}
		case "score", "cost_usd", "latency_ms":
			if null {
				continue
			}
			x, msg := readkit.ParseNumber(f.Value, f.Key != "score")
			if msg != "" {
				bad(off, "%s %s", f.Key, msg)
				continue
			}
			switch f.Key {
			case "score":
				s.Score = &x
			case "cost_usd":
				s.CostUSD = &x
			case "latency_ms":
				s.LatencyMS = &x
			}
		case "usage":
			if null {
				continue
			}
			u, good := r.usage(off+bytes.Index(r.data[off:], f.Value), f.Value)
			ok = ok && good
			s.Usage = u
		case "metadata":
			if !null && readkit.FirstNonSpace(f.Value) != '{' {
				bad(off, "metadata must be an object, found %s", readkit.Describe(f.Value))
			} else if !r.noDuplicateKeys(off+bytes.Index(r.data[off:], f.Value), "metadata", f.Value) {
				ok = false
			}
		default:
			r.unknownField(off, "case", f.Key, caseFields)
		}
	}
	if !sawID {
		bad(base, `case has no "id"`)
	}
	if !sawAccepted {
		bad(base, `case %q has no "accepted" (true or false)`, s.ID)
	}
	if ok {
		r.sc.Samples = append(r.sc.Samples, s)
	}
}

func (r *nativeReader) usage(base int, raw json.RawMessage) (*Usage, bool) {
	fields, err := readkit.ObjectFields(raw)
	if err != nil {
		r.errs = append(r.errs, readkit.ErrorAt(r.file, r.data, r.lines(), base, err))
		return nil, false
	}
	if !r.noDuplicateKeys(base, "usage", raw) {
		return nil, false
	}
	u := &Usage{}
	ok := true
	for _, f := range fields {
		off := base + f.Off
		var dst *int64
		switch f.Key {
		case "model":
			if err := json.Unmarshal(f.Value, &u.Model); err != nil {
				r.errorAt(off, "usage.model must be a string, found %s", readkit.Describe(f.Value))
				ok = false
			}
			continue
		case "input_tokens":
			dst = &u.InputTokens
		case "output_tokens":
			dst = &u.OutputTokens
		case "cached_input_tokens":
			dst = &u.CachedInputTokens
		default:
			r.unknownField(off, "usage", f.Key, usageFields)
			continue
		}
		n, err := strconv.ParseInt(string(f.Value), 10, 64)
		if err != nil || n < 0 {
			r.errorAt(off, "usage.%s must be a whole number ≥ 0, found %s", f.Key, strings.TrimSpace(string(f.Value)))
			ok = false
			continue
		}
		*dst = n
	}
	if ok && u.CachedInputTokens > u.InputTokens {
		r.errorAt(base, "usage.cached_input_tokens (%d) exceeds usage.input_tokens (%d): input_tokens counts cached tokens too", u.CachedInputTokens, u.InputTokens)
		ok = false
	}
	return u, ok
}
