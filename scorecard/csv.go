package scorecard

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

// csvColumns are the columns the CSV reader understands.
var csvColumns = []string{"id", "workflow", "cluster", "sample", "accepted", "score", "cost_usd",
	"latency_ms", "schema_valid", "failure_class", "error", "input_tokens", "output_tokens",
	"cached_input_tokens", "model", "batch"}

// sniffCSV recognises a CSV file whose header names an id and an accepted
// column (or at least has a comma-separated header without JSON).
func sniffCSV(data []byte) bool {
	line := readkit.FirstLine(data)
	if len(line) == 0 || readkit.FirstNonSpace(line) == '{' || readkit.FirstNonSpace(line) == '[' {
		return false
	}
	return bytes.ContainsRune(line, ',')
}

// readCSV reads the native model as CSV, one sample a row.
//
// --id-column and --accepted-column rename the columns read as id and
// accepted. A named column the header lacks is always an error (even with
// --lenient: falling back to the literal "id" or "accepted" column would
// silently decide on another column than the one asked for), and when an
// option renames a column, a literal "id" or "accepted" column becomes an
// ignored column, with a warning.
func readCSV(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	idCol, accCol := strings.TrimSpace(o.IDColumn), strings.TrimSpace(o.AcceptedColumn)
	if idCol == "" {
		idCol = "id"
	}
	if accCol == "" {
		accCol = "accepted"
	}
	if idCol == accCol {
		return nil, Errorf(name, 0, "--id-column and --accepted-column both name the column %q; the id and the accepted flag need a column each", idCol)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...) // ReuseRecord: the next Read overwrites it
	if accCol == "accepted" && !slices.Contains(trimmed(header), "accepted") {
		if err := ragasTable(name, header, idCol); err != nil {
			return nil, err
		}
	}
	col := map[string]int{}
	var errs ErrorList
	var warnings []string
	for i, h := range header {
		h = strings.TrimSpace(h)
		key := h
		switch {
		case h == idCol:
			key = "id"
		case h == accCol:
			key = "accepted"
		case h == "id" || h == "accepted":
			// The literal column of a field an option moved elsewhere.
			flag, named := "--id-column", idCol
			if h == "accepted" {
				flag, named = "--accepted-column", accCol
			}
			warnings = append(warnings, fmt.Sprintf("%s:1:%d: column %q is ignored: %s reads %s from column %q", name, i+1, h, flag, h, named))
			continue
		}
		if _, dup := col[key]; dup {
			errs = append(errs, &InputError{File: name, Line: 1, Col: i + 1, Msg: fmt.Sprintf("duplicate column %q", h)})
			continue
		}
		known := false
		for _, c := range csvColumns {
			known = known || c == key
		}
		if !known {
			msg := fmt.Sprintf("unknown column %q", h)
			if s := Suggest(h, csvColumns); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			if o.Lenient {
				warnings = append(warnings, fmt.Sprintf("%s:1:%d: %s (ignored: --lenient)", name, i+1, msg))
			} else {
				errs = append(errs, &InputError{File: name, Line: 1, Col: i + 1,
					Msg: msg + " (unknown columns are errors so that a typo never changes a verdict; --lenient makes them warnings)"})
			}
			continue
		}
		col[key] = i
	}
	for _, need := range []struct{ key, name string }{{"id", idCol}, {"accepted", accCol}} {
		if _, ok := col[need.key]; ok {
			continue
		}
		if need.name == need.key {
			errs = append(errs, &InputError{File: name, Line: 1, Msg: fmt.Sprintf("no %q column in the header (name another with --%s-column)", need.name, need.key)})
			continue
		}
		// A column named by an option: never fall back to another one.
		have := make([]string, len(header))
		for i, h := range header {
			have[i] = strings.TrimSpace(h)
		}
		msg := fmt.Sprintf("--%s-column names %q, but the header has no such column (it has %s)", need.key, need.name, readkit.QuoteList(have))
		if s := Suggest(need.name, have); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		errs = append(errs, &InputError{File: name, Line: 1, Msg: msg})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	sc := &Scorecard{Warnings: warnings}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvError(name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		s, rowErrs := csvSample(name, cr, rec, col, line, accCol, o.AcceptThreshold)
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			if len(errs) >= maxErrors {
				break
			}
			continue
		}
		sc.Samples = append(sc.Samples, s)
	}
	return sc, errs.Err()
}

func csvSample(file string, cr *csv.Reader, rec []string, col map[string]int, line int, accName string, threshold *float64) (Sample, ErrorList) {
	s := Sample{Line: line}
	var errs ErrorList
	get := func(key string) (string, int, bool) {
		i, ok := col[key]
		if !ok || i >= len(rec) {
			return "", 0, false
		}
		v := strings.TrimSpace(rec[i])
		_, c := cr.FieldPos(i)
		return v, c, v != ""
	}
	fail := func(c int, format string, args ...any) {
		errs = append(errs, &InputError{File: file, Line: line, Col: c, Msg: fmt.Sprintf(format, args...)})
	}
	if v, _, ok := get("id"); ok {
		s.ID = v
	} else {
		fail(1, "row has no id")
	}
	if v, c, ok := get("accepted"); ok && threshold != nil {
		// A score read as accepted: at least the threshold.
		x, msg := csvNumber(v, false)
		if msg != "" {
			fail(c, "%s %s (--accept-threshold reads it as a score)", accName, msg)
		}
		s.Accepted = x >= *threshold
		s.Score = &x
	} else if ok {
		b, good := parseBool(v)
		if !good {
			hint := ""
			if _, msg := csvNumber(v, false); msg == "" {
				hint = "; to count a score as accepted from a threshold, give --accept-threshold"
			}
			fail(c, "accepted must be true/false/1/0/yes/no, found %q%s", v, hint)
		}
		s.Accepted = b
	} else {
		fail(1, "row %q has no accepted value", s.ID)
	}
	// Text that groups or labels cases is read exactly or not at all:
	// bytes that are not UTF-8 would be written out as U+FFFD, and two
	// different workflows would read the same in every report.
	text := func(key string) string {
		v, c, ok := get(key)
		switch {
		case !ok:
		case strings.IndexByte(v, 0) >= 0:
			fail(c, "%s %q holds a NUL byte, which no text holds; is the file binary or in UTF-16?", key, v)
		case key != "id" && !utf8.ValidString(v):
			fail(c, "%s %q is not valid UTF-8, so two different values could read the same once written out; write the file as UTF-8", key, v)
		}
		return v
	}
	text("id")
	s.Workflow = text("workflow")
	s.Cluster = text("cluster")
	s.FailureClass = text("failure_class")
	s.Error = text("error")
	s.Batch = text("batch")
	if v, c, ok := get("sample"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fail(c, "sample must be a whole number ≥ 0, found %q", v)
		}
		s.Sample = n
	}
	if v, c, ok := get("schema_valid"); ok {
		b, good := parseBool(v)
		if !good {
			fail(c, "schema_valid must be true/false/1/0/yes/no, found %q", v)
		}
		s.SchemaValid = &b
	}
	num := func(key string, nonNeg bool) *float64 {
		v, c, ok := get(key)
		if !ok {
			return nil
		}
		x, msg := csvNumber(v, nonNeg)
		if msg != "" {
			fail(c, "%s %s", key, msg)
			return nil
		}
		return &x
	}
	if score := num("score", false); score != nil || s.Score == nil {
		s.Score = score
	}
	s.CostUSD = num("cost_usd", true)
	s.LatencyMS = num("latency_ms", true)
	var u Usage
	hasUsage := false
	for _, t := range []struct {
		key string
		dst *int64
	}{{"input_tokens", &u.InputTokens}, {"output_tokens", &u.OutputTokens}, {"cached_input_tokens", &u.CachedInputTokens}} {
		v, c, ok := get(t.key)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			fail(c, "%s must be a whole number ≥ 0, found %q", t.key, v)
			continue
		}
		*t.dst = n
		hasUsage = true
	}
	if m := text("model"); m != "" {
		u.Model = m
		hasUsage = true
	}
	if hasUsage {
		if u.CachedInputTokens > u.InputTokens {
			fail(1, "cached_input_tokens (%d) exceeds input_tokens (%d): input_tokens counts cached tokens too", u.CachedInputTokens, u.InputTokens)
		}
		s.Usage = &u
	}
	// Report a row's problems from left to right.
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].(*InputError).Col < errs[j].(*InputError).Col })
	return s, errs
}

// csvNumber decodes a CSV number: a plain decimal such as 12, -0.5, .5 or
// 1e-05. Forms strconv would also take (hexadecimal, "_" separators) are
// refused so that a value means what it looks like; inf and nan spellings,
// which Python's csv module writes, are refused as not finite.
func csvNumber(v string, nonNegative bool) (float64, string) {
	switch strings.ToLower(strings.TrimLeft(v, "+-")) {
	case "inf", "infinity", "nan":
		return 0, fmt.Sprintf("must be finite, found %s", v)
	}
	if !isDecimal(v) {
		return 0, fmt.Sprintf("must be a decimal number, found %q", v)
	}
	return readkit.ParseNumber([]byte(v), nonNegative)
}

// isDecimal reports whether s is a decimal number: an optional sign, digits
// with an optional decimal point (at least one digit), and an optional
// exponent.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: file, Line: pe.Line, Col: pe.Column, Msg: "malformed CSV: " + pe.Err.Error()}
	}
	return &InputError{File: file, Line: 1, Msg: "malformed CSV: " + err.Error()}
}

// parseBool accepts the spellings of a boolean the scorecard format allows.
func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "t", "y":
		return true, true
	case "false", "0", "no", "f", "n":
		return false, true
	}
	return false, false
}

// trimmed returns the names with surrounding white space removed.
func trimmed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSpace(n)
	}
	return out
}

// ragasMetrics are score columns that Ragas writes into its results
// table (result.to_pandas().to_csv(), often saved as ragas_results.csv).
var ragasMetrics = []string{"faithfulness", "answer_relevancy", "response_relevancy", "context_precision", "context_recall",
	"answer_correctness", "factual_correctness", "context_entity_recall", "noise_sensitivity", "answer_similarity",
	"semantic_similarity", "llm_context_precision_with_reference", "llm_context_precision_without_reference",
	"non_llm_context_precision_with_reference", "context_relevance", "nv_accuracy", "nv_context_relevance", "nv_response_groundedness"}

// ragasTable returns the error that explains a Ragas results table read
// as a scorecard, or nil when the header is not one: it has Ragas's
// question column (user_input, or question in older versions) and at
// least one of its metric columns, but no accepted column.
func ragasTable(name string, header []string, idCol string) error {
	cols := trimmed(header)
	question := ""
	for _, q := range []string{"user_input", "question"} {
		if slices.Contains(cols, q) {
			question = q
			break
		}
	}
	var metrics []string
	for _, c := range cols {
		if slices.Contains(ragasMetrics, c) {
			metrics = append(metrics, c)
		}
	}
	if question == "" || len(metrics) == 0 {
		return nil
	}
	id := question
	if idCol != "id" {
		id = idCol
	}
	return Errorf(name, 1, "this is a Ragas results table (a %q column and the scores %s), which has no accepted column: "+
		"read it as CSV with --id-column %s --accepted-column %s --accept-threshold X (a case is accepted when its score is at least X, your pass mark) --lenient "+
		"(its other columns are then ignored), or set the same in the policy's importers block", question, readkit.QuoteList(metrics), id, metrics[0])
}
