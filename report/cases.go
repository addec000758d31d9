package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// ReadCaseChanges reads the case changes of a JSON report (schema
// ftgate.report/v1), as the report wrote them: null costs become NaN. It
// reads exactly or not at all: malformed JSON, a key given twice at any
// depth, a value of the wrong type and a change other than broke, fixed
// or class are refused, with "LINE:COL: " before the message.
func ReadCaseChanges(data []byte) ([]gate.CaseChange, error) {
	var rep struct {
		Schema      string           `json:"schema"`
		CaseChanges []jsonCaseChange `json:"case_changes"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, reportError(data, err)
	}
	if key, off, dup := scorecard.FindDuplicateKey(data); dup {
		return nil, fmt.Errorf("%s: the key %q is given twice; ftgate writes each key once, so the report was altered", position(data, off), key)
	}
	if rep.Schema != Schema {
		return nil, fmt.Errorf("schema %q, want %q (a JSON report written by ftgate compare --json)", rep.Schema, Schema)
	}
	if rep.CaseChanges == nil {
		return nil, fmt.Errorf("the report has no case_changes: it was written by an ftgate older than this one; run the comparison again")
	}
	out := make([]gate.CaseChange, 0, len(rep.CaseChanges))
	side := func(o jsonCaseOutcome) gate.CaseOutcome {
		return gate.CaseOutcome{Samples: o.Samples, Accepted: o.Accepted, Classes: o.FailureClasses, CostUSD: float64(o.CostUSD)}
	}
	for i, c := range rep.CaseChanges {
		switch c.Change {
		case gate.ChangeBroke, gate.ChangeFixed, gate.ChangeClass:
		default:
			return nil, fmt.Errorf("case_changes[%d] (case %q): change %q is not %q, %q or %q", i, c.ID, c.Change, gate.ChangeBroke, gate.ChangeFixed, gate.ChangeClass)
		}
		out = append(out, gate.CaseChange{ID: c.ID, Workflow: c.Workflow, Change: c.Change, Baseline: side(c.Baseline),
			Candidate: side(c.Candidate), CostChangeUSD: float64(c.CostChangeUSD)})
	}
	return out, nil
}

// reportError words a decoding error of a JSON report in JSON's terms,
// at its line and column: never a Go type.
func reportError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s: not a JSON report: malformed JSON: %s", position(data, int(se.Offset)), strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		where := "the report"
		if te.Field != "" {
			where = te.Field
		}
		return fmt.Errorf("%s: not a JSON report: %s must be %s, found %s", position(data, int(te.Offset)), where, jsonKind(te.Type.Kind()), te.Value)
	}
	return fmt.Errorf("not a JSON report: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names in JSON's words the value a Go kind decodes from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

// position writes the byte offset off of data as "LINE:COL" (1-based; the
// column counts bytes).
func position(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("%d:%d", line, col)
}

// UnmarshalJSON reads a number or null (NaN).
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	*f = Float(x)
	return err
}

// changeWord names a kind of change for people.
func changeWord(c string) string {
	if c == gate.ChangeClass {
		return "changed class"
	}
	return c
}

// CaseTable writes case changes as a terminal table within o.Width
// columns: the change, the case, its workflow, each side's outcome, the
// failure classes and the change in cost per sample.
func CaseTable(w io.Writer, cs []gate.CaseChange, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	ew := &errWriter{w: w}
	tb := &table{cols: []column{{}, {flex: true}, {flex: true}, {flex: true}, {flex: true}, {flex: true}, {right: true}},
		header: []string{"change", "case", "workflow", "baseline", "candidate", "failure classes", "cost change"}}
	for _, cc := range cs {
		st := plain
		switch cc.Change {
		case gate.ChangeBroke:
			st = red
		case gate.ChangeFixed:
			st = green
		}
		tb.add(cell{changeWord(cc.Change), st}, c(clean(cc.ID)), c(clean(cc.Workflow)), c(clean(cc.Baseline.Label())), c(clean(cc.Candidate.Label())),
			c(clean(strings.Join(changeClasses(cc), ", "))), c(usdChange(cc.CostChangeUSD)))
	}
	tb.write(ew, o.Width, painter{o.Color})
	broke, fixed, class := gate.CountChanges(cs)
	fmt.Fprintf(ew, "%s cases: %s broke, %s fixed, %s changed class\n", numfmt.Int(len(cs)), numfmt.Int(broke), numfmt.Int(fixed), numfmt.Int(class))
	return ew.err
}

// CaseCSV writes case changes as CSV with a header row. Text that a
// spreadsheet would run as a formula (starting with =, +, -, @, a tab or
// a carriage return) is prefixed with an apostrophe; numbers are written
// in full, an undefined one as an empty field.
func CaseCSV(w io.Writer, cs []gate.CaseChange) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "workflow", "change", "baseline_outcome", "candidate_outcome", "baseline_failure_classes",
		"candidate_failure_classes", "baseline_cost_usd", "candidate_cost_usd", "cost_change_usd"})
	num := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for _, cc := range cs {
		cw.Write([]string{csvText(cc.ID), csvText(cc.Workflow), cc.Change, csvText(cc.Baseline.Label()), csvText(cc.Candidate.Label()),
			csvText(strings.Join(cc.Baseline.Classes, ";")), csvText(strings.Join(cc.Candidate.Classes, ";")),
			num(cc.Baseline.CostUSD), num(cc.Candidate.CostUSD), num(cc.CostChangeUSD)})
	}
	cw.Flush()
	return cw.Error()
}

// csvText keeps a spreadsheet from reading text as a formula, and shows
// control characters as escapes.
func csvText(s string) string {
	s = xmlText(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
