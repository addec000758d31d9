package scorecard

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// csvColumns are the columns the CSV reader understands.
var csvColumns = []string{"id", "workflow", "cluster", "sample", "accepted", "score", "cost_usd",
	"latency_ms", "schema_valid", "failure_class", "error", "input_tokens", "output_tokens",
	"cached_input_tokens", "model"}

// sniffCSV recognises a CSV file whose header names an id and an accepted
// column (or at least has a comma-separated header without JSON).
func sniffCSV(data []byte) bool {
	line := firstLine(data)
	if len(line) == 0 || firstNonSpace(line) == '{' || firstNonSpace(line) == '[' {
		return false
	}
	return bytes.ContainsRune(line, ',')
}

// readCSV reads the native model as CSV, one sample a row.
func readCSV(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	idCol, accCol := o.IDColumn, o.AcceptedColumn
	if idCol == "" {
		idCol = "id"
	}
	if accCol == "" {
		accCol = "accepted"
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	cr.FieldsPerRecord = 0
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	col := map[string]int{}
	var errs ErrorList
	var warnings []string
	for i, h := range header {
		h = strings.TrimSpace(h)
		key := h
		switch h {
		case idCol:
			key = "id"
		case accCol:
			key = "accepted"
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
		if _, ok := col[need.key]; !ok {
			errs = append(errs, &InputError{File: name, Line: 1, Msg: fmt.Sprintf("no %q column in the header (name another with --%s-column)", need.name, need.key)})
		}
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
		s, rowErrs := csvSample(name, cr, rec, col, line)
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

func csvSample(file string, cr *csv.Reader, rec []string, col map[string]int, line int) (Sample, ErrorList) {
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
	if v, c, ok := get("accepted"); ok {
		b, good := parseBool(v)
		if !good {
			fail(c, "accepted must be true/false/1/0/yes/no, found %q", v)
		}
		s.Accepted = b
	} else {
		fail(1, "row %q has no accepted value", s.ID)
	}
	s.Workflow, _, _ = get("workflow")
	s.Cluster, _, _ = get("cluster")
	s.FailureClass, _, _ = get("failure_class")
	s.Error, _, _ = get("error")
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
		x, msg := parseNumber([]byte(v), nonNeg)
		if msg != "" {
			fail(c, "%s %s", key, msg)
			return nil
		}
		return &x
	}
	s.Score = num("score", false)
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
	if m, _, ok := get("model"); ok {
		u.Model = m
		hasUsage = true
	}
	if hasUsage {
		if u.CachedInputTokens > u.InputTokens {
			fail(1, "cached_input_tokens (%d) exceeds input_tokens (%d): input_tokens counts cached tokens too", u.CachedInputTokens, u.InputTokens)
		}
		s.Usage = &u
	}
	return s, errs
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
