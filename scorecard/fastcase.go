package scorecard

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

// The fast path for native cases.
//
// Reading a case through readkit.ObjectFields (a json.Decoder, token by token) is
// exact about every error but slow. Nearly every case in a real scorecard
// is well-formed, so fastCase first tries a cheap decoder that handles only
// the common, correct shape of a case, and gives up (returns false, having
// changed nothing) on anything else. The caller then reads the case the
// slow way, which produces every error, warning and position as before.
//
// The rule that makes the two paths agree is simple: fastCase succeeds only
// when the slow path would accept the case with no error and no warning,
// and then it builds the same Sample. It therefore gives up on malformed
// JSON, a key with an escape, an unknown key (an error, or a warning with
// --lenient), a repeated key, any value of the wrong type or out of range,
// and a missing "id" or "accepted". Each value is decoded with the same
// function the slow path uses (json.Unmarshal for strings with escapes or
// non-ASCII bytes, strconv.ParseInt, readkit.ParseNumber), or by slicing when the
// result is provably the same. fastpath_test.go checks the two paths
// against each other on the bad-input corpus, the examples and random
// mutations of them, and FuzzFastPath does so on fuzzed input.

// useFastPath is false only in tests that force the slow path.
var useFastPath = true

// Bits of fastCase's seen mask, one per case field.
const (
	fID = 1 << iota
	fSample
	fWorkflow
	fCluster
	fAccepted
	fScore
	fCostUSD
	fUsage
	fLatencyMS
	fSchemaValid
	fFailureClass
	fError
	fMetadata
	fBatch
)

// caseFieldBit returns the bit of the case field named key, or 0 for a
// name that is not a case field.
func caseFieldBit(key []byte) int {
	switch string(key) {
	case "id":
		return fID
	case "sample":
		return fSample
	case "workflow":
		return fWorkflow
	case "cluster":
		return fCluster
	case "accepted":
		return fAccepted
	case "score":
		return fScore
	case "cost_usd":
		return fCostUSD
	case "usage":
		return fUsage
	case "latency_ms":
		return fLatencyMS
	case "schema_valid":
		return fSchemaValid
	case "failure_class":
		return fFailureClass
	case "error":
		return fError
	case "metadata":
		return fMetadata
	case "batch":
		return fBatch
	}
	return 0
}

// fastCase decodes the case object raw, whose text starts at offset base of
// the input, and appends its sample, when raw is a well-formed case that
// the slow path (readkit.ObjectFields and caseFieldsAt) would accept without any
// error or warning. Otherwise it returns false and changes nothing.
func (r *nativeReader) fastCase(line int, raw []byte) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	s := Sample{Line: line}
	seen := 0
	good := eachMember(raw, func(key, v []byte) bool {
		bit := caseFieldBit(key)
		if bit == 0 || seen&bit != 0 {
			return false // unknown or repeated: an error or a warning
		}
		seen |= bit
		null := string(v) == "null"
		var ok bool
		switch bit {
		case fID:
			s.ID, ok = fastString(v)
			ok = ok && strings.TrimSpace(s.ID) != ""
		case fSample:
			var n int64
			n, ok = fastInt(v, 32)
			s.Sample = int(n)
		case fWorkflow:
			s.Workflow, ok = r.intern(v, null)
		case fCluster:
			s.Cluster, ok = fastOptString(v, null)
		case fFailureClass:
			s.FailureClass, ok = r.intern(v, null)
		case fError:
			s.Error, ok = fastOptString(v, null)
		case fBatch:
			s.Batch, ok = r.intern(v, null)
		case fAccepted:
			s.Accepted, ok = fastBool(v)
		case fSchemaValid:
			if null {
				return true
			}
			var b bool
			b, ok = fastBool(v)
			s.SchemaValid = r.slab.bool(b)
		case fScore, fCostUSD, fLatencyMS:
			if null {
				return true
			}
			var x float64
			x, ok = fastNumber(v, bit != fScore)
			switch bit {
			case fScore:
				s.Score = r.slab.float(x)
			case fCostUSD:
				s.CostUSD = r.slab.float(x)
			case fLatencyMS:
				s.LatencyMS = r.slab.float(x)
			}
		case fUsage:
			if null {
				return true
			}
			s.Usage, ok = fastUsage(v, r.slab.usage())
		case fMetadata:
			ok = null || (v[0] == '{' && readkit.FindDuplicateKey(v) == nil)
		}
		return ok
	})
	if !good || seen&fID == 0 || seen&fAccepted == 0 {
		return false
	}
	r.sc.Samples = append(r.sc.Samples, s)
	return true
}

// fastUsage decodes a usage object as usage does when usage would report
// no error or warning; ok is false otherwise. A repeated key, which usage
// refuses, is left to usage.
func fastUsage(raw []byte, u *Usage) (*Usage, bool) {
	if raw[0] != '{' {
		return nil, false
	}
	seen := 0
	good := eachMember(raw, func(key, v []byte) bool {
		var bit int
		var dst *int64
		switch string(key) {
		case "model":
			if seen&1 != 0 {
				return false
			}
			seen |= 1
			if string(v) == "null" {
				return true // json.Unmarshal leaves the string as it was
			}
			var ok bool
			u.Model, ok = fastString(v)
			return ok
		case "input_tokens":
			bit, dst = 2, &u.InputTokens
		case "output_tokens":
			bit, dst = 4, &u.OutputTokens
		case "cached_input_tokens":
			bit, dst = 8, &u.CachedInputTokens
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		n, ok := fastInt(v, 64)
		*dst = n
		return ok
	})
	if !good || u.CachedInputTokens > u.InputTokens {
		return nil, false
	}
	return u, true
}

// eachMember checks that raw is exactly one JSON object (white space
// around it allowed) and calls f with the key and the value text of each
// member, in order, until f returns false. It reports whether raw is such
// an object and f accepted every member. It is as strict as json.Valid,
// or stricter: it also gives up on a key with an escape (whose name would
// need decoding), on text that is not UTF-8, and on values nested more than
// maxFastDepth deep, all of which the exact reader handles.
func eachMember(raw []byte, f func(key, value []byte) bool) bool {
	i := skipSpace(raw, 0)
	end, ok := walkObject(raw, i, 1, f)
	return ok && skipSpace(raw, end) == len(raw)
}

// maxFastDepth bounds the nesting the fast path walks.
const maxFastDepth = 64

// walkObject checks the object starting at raw[i] == '{' and calls f (when
// not nil) for each member; it returns the offset just after the object.
func walkObject(raw []byte, i, depth int, f func(key, value []byte) bool) (int, bool) {
	if i >= len(raw) || raw[i] != '{' || depth > maxFastDepth {
		return 0, false
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return i + 1, true
	}
	for {
		kEnd, escaped, ok := scanString(raw, i)
		if !ok || escaped {
			return 0, false
		}
		key := raw[i+1 : kEnd-1]
		i = skipSpace(raw, kEnd)
		if i >= len(raw) || raw[i] != ':' {
			return 0, false
		}
		i = skipSpace(raw, i+1)
		vEnd, ok := scanValue(raw, i, depth)
		if !ok {
			return 0, false
		}
		if f != nil && !f(key, raw[i:vEnd]) {
			return 0, false
		}
		i = skipSpace(raw, vEnd)
		if i >= len(raw) {
			return 0, false
		}
		switch raw[i] {
		case '}':
			return i + 1, true
		case ',':
			i = skipSpace(raw, i+1)
		default:
			return 0, false
		}
	}
}

// scanValue checks the JSON value starting at raw[i] and returns the
// offset just after it.
func scanValue(raw []byte, i, depth int) (int, bool) {
	if i >= len(raw) {
		return 0, false
	}
	switch c := raw[i]; {
	case c == '"':
		end, _, ok := scanString(raw, i)
		return end, ok
	case c == '{':
		return walkObject(raw, i, depth+1, nil)
	case c == '[':
		return scanArray(raw, i, depth+1)
	case c == '-' || (c >= '0' && c <= '9'):
		return scanNumber(raw, i)
	case c == 't':
		return scanLiteral(raw, i, "true")
	case c == 'f':
		return scanLiteral(raw, i, "false")
	case c == 'n':
		return scanLiteral(raw, i, "null")
	}
	return 0, false
}

func scanArray(raw []byte, i, depth int) (int, bool) {
	if depth > maxFastDepth {
		return 0, false
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return i + 1, true
	}
	for {
		end, ok := scanValue(raw, i, depth)
		if !ok {
			return 0, false
		}
		i = skipSpace(raw, end)
		if i >= len(raw) {
			return 0, false
		}
		switch raw[i] {
		case ']':
			return i + 1, true
		case ',':
			i = skipSpace(raw, i+1)
		default:
			return 0, false
		}
	}
}

func scanLiteral(raw []byte, i int, lit string) (int, bool) {
	if len(raw)-i < len(lit) || string(raw[i:i+len(lit)]) != lit {
		return 0, false
	}
	return i + len(lit), true
}

// scanNumber checks a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(raw []byte, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			i++
		}
		return i
	}
	if raw[i] == '-' {
		i++
	}
	switch {
	case i < len(raw) && raw[i] == '0':
		i++
	case i < len(raw) && raw[i] >= '1' && raw[i] <= '9':
		i = digits(i + 1)
	default:
		return 0, false
	}
	if i < len(raw) && raw[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(raw) && (raw[i] == 'e' || raw[i] == 'E') {
		i++
		if i < len(raw) && (raw[i] == '+' || raw[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}

// scanString checks the string starting at raw[i] == '"' and returns the
// offset just after it and whether it holds an escape. Control characters,
// malformed escapes and bytes that are not UTF-8 make it give up.
func scanString(raw []byte, i int) (end int, escaped, ok bool) {
	if i >= len(raw) || raw[i] != '"' {
		return 0, false, false
	}
	ascii := true
	start := i + 1
	for i++; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(raw[start:i]) {
				return 0, false, false
			}
			return i + 1, escaped, true
		case c < 0x20:
			return 0, false, false
		case c >= 0x80:
			ascii = false
		case c == '\\':
			escaped = true
			i++
			if i >= len(raw) {
				return 0, false, false
			}
			switch raw[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(raw)-i < 5 {
					return 0, false, false
				}
				for _, h := range raw[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return 0, false, false
					}
				}
				i += 4
			default:
				return 0, false, false
			}
		}
	}
	return 0, false, false
}

// skipSpace returns the offset of the first byte at or after i that is not
// JSON white space.
func skipSpace(raw []byte, i int) int {
	for i < len(raw) {
		switch raw[i] {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		}
		break
	}
	return i
}

// fastString decodes the JSON value v into a string as json.Unmarshal does,
// and reports false for a value that is not a string (Unmarshal would fail,
// or leave the string unchanged for null). A string with no escape and
// valid UTF-8 is its own text; any other goes through json.Unmarshal.
func fastString(v []byte) (string, bool) {
	if v[0] != '"' {
		return "", false
	}
	body := v[1 : len(v)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		return string(body), true
	}
	var s string
	if !readkit.ValidText(v) || json.Unmarshal(v, &s) != nil {
		return "", false // the exact reader says what is wrong
	}
	return s, true
}

// intern is fastOptString for fields that take few distinct values
// (workflow, batch, failure class): each distinct text is one string,
// shared by every sample that has it, until internLimit texts are known.
func (r *nativeReader) intern(v []byte, null bool) (string, bool) {
	if null {
		return "", true
	}
	if v[0] != '"' {
		return "", false
	}
	if s, ok := r.interned[string(v)]; ok {
		return s, true
	}
	s, ok := fastString(v)
	if ok && len(r.interned) < internLimit {
		if r.interned == nil {
			r.interned = map[string]string{}
		}
		r.interned[string(v)] = s
	}
	return s, ok
}

// internLimit bounds how many distinct texts intern keeps.
const internLimit = 4096

// A slab hands out pointers to values allocated many at a time, so that
// the optional fields of a sample (pointers, so that absent and zero never
// blur) do not cost an allocation each.
type slab struct {
	floats []float64
	bools  []bool
	usages []Usage
}

const slabSize = 4096

func (s *slab) float(x float64) *float64 {
	if len(s.floats) == cap(s.floats) {
		s.floats = make([]float64, 0, slabSize)
	}
	s.floats = append(s.floats, x)
	return &s.floats[len(s.floats)-1]
}

func (s *slab) bool(b bool) *bool {
	if len(s.bools) == cap(s.bools) {
		s.bools = make([]bool, 0, slabSize)
	}
	s.bools = append(s.bools, b)
	return &s.bools[len(s.bools)-1]
}

// usage returns a zero Usage. One that is not kept (the fast path gave
// up) is simply left unused.
func (s *slab) usage() *Usage {
	if len(s.usages) == cap(s.usages) {
		s.usages = make([]Usage, 0, slabSize/8)
	}
	s.usages = append(s.usages, Usage{})
	return &s.usages[len(s.usages)-1]
}

// fastOptString is fastString for a field where null means "".
func fastOptString(v []byte, null bool) (string, bool) {
	if null {
		return "", true
	}
	return fastString(v)
}

// fastNumber parses v as readkit.ParseNumber does when it reports no
// problem; ok is false otherwise (the exact reader says what is wrong).
// v is a well-formed JSON number or another JSON value (not a number).
func fastNumber(v []byte, nonNegative bool) (x float64, ok bool) {
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(v), 64)
	if err != nil && !(errors.Is(err, strconv.ErrRange) && !math.IsInf(x, 0)) {
		return 0, false // an underflow to zero or a denormal is a finite number
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || (nonNegative && x < 0) {
		return 0, false
	}
	return x, true
}

// fastBool decodes the literals true and false; any other value is not a
// bool.
func fastBool(v []byte) (b, ok bool) {
	switch string(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// fastInt parses v as the slow path parses a whole number ≥ 0 with the
// given bit size: strconv.ParseInt of the value text.
func fastInt(v []byte, bitSize int) (int64, bool) {
	n, err := strconv.ParseInt(string(v), 10, bitSize)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
