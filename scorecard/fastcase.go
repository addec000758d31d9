package scorecard

import (
	"bytes"
	"encoding/json"
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
func (r *nativeReader) fastCase(base int, raw []byte) bool {
	if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return false
	}
	line, _ := r.idx.Pos(base)
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
			s.Workflow, ok = fastOptString(v, null)
		case fCluster:
			s.Cluster, ok = fastOptString(v, null)
		case fFailureClass:
			s.FailureClass, ok = fastOptString(v, null)
		case fError:
			s.Error, ok = fastOptString(v, null)
		case fBatch:
			s.Batch, ok = fastOptString(v, null)
		case fAccepted:
			s.Accepted, ok = fastBool(v)
		case fSchemaValid:
			if null {
				return true
			}
			var b bool
			b, ok = fastBool(v)
			s.SchemaValid = &b
		case fScore, fCostUSD, fLatencyMS:
			if null {
				return true
			}
			x, msg := readkit.ParseNumber(v, bit != fScore)
			ok = msg == ""
			switch bit {
			case fScore:
				s.Score = &x
			case fCostUSD:
				s.CostUSD = &x
			case fLatencyMS:
				s.LatencyMS = &x
			}
		case fUsage:
			if null {
				return true
			}
			s.Usage, ok = fastUsage(v)
		case fMetadata:
			ok = null || v[0] == '{'
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
// allows (the last one wins), is also left to usage.
func fastUsage(raw []byte) (u *Usage, ok bool) {
	if raw[0] != '{' {
		return nil, false
	}
	u = &Usage{}
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

// eachMember calls f with the key and the value text of each member of the
// object raw, in order, until f returns false. raw must be well-formed
// JSON (json.Valid) starting with '{'. A key with an escape, whose name
// would need decoding, stops the walk. eachMember reports whether it
// walked every member.
func eachMember(raw []byte, f func(key, value []byte) bool) bool {
	i := skipSpace(raw, 1)
	if raw[i] == '}' {
		return true
	}
	for {
		// raw[i] is the '"' of a key.
		end := stringEnd(raw, i)
		key := raw[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		i = skipSpace(raw, end) // at ':'
		i = skipSpace(raw, i+1) // at the value
		end = valueEnd(raw, i)
		if !f(key, raw[i:end]) {
			return false
		}
		i = skipSpace(raw, end) // at ',' or '}'
		if raw[i] == '}' {
			return true
		}
		i = skipSpace(raw, i+1)
	}
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

// stringEnd returns the offset just after the well-formed string that
// starts at raw[i] == '"'.
func stringEnd(raw []byte, i int) int {
	for i++; ; i++ {
		switch raw[i] {
		case '\\':
			i++ // the escaped byte cannot end the string
		case '"':
			return i + 1
		}
	}
}

// valueEnd returns the offset just after the well-formed JSON value that
// starts at raw[i].
func valueEnd(raw []byte, i int) int {
	switch raw[i] {
	case '"':
		return stringEnd(raw, i)
	case '{', '[':
		depth := 0
		for {
			switch raw[i] {
			case '"':
				i = stringEnd(raw, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
	}
	// A number or a literal runs to the next delimiter.
	for i < len(raw) {
		switch raw[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
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

// fastOptString is fastString for a field where null means "".
func fastOptString(v []byte, null bool) (string, bool) {
	if null {
		return "", true
	}
	return fastString(v)
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
