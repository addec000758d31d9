// Package lmeval reads the per-document log that lm-evaluation-harness
// writes with --log_samples: samples_<task>_<timestamp>.jsonl, one document
// a line, with the metric values as top-level keys. Importing it registers
// the "lm-eval" format with package scorecard.
package lmeval

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "lm-eval", Sniff: sniffLMEval, Read: readLMEval})
}

// sniffLMEval recognises a first line with "doc_id" and the harness's
// "metrics", "filter" or "filtered_resps".
func sniffLMEval(data []byte) bool {
	keys := readkit.FirstLineKeys(data)
	if keys == nil || readkit.LooksNative(keys) {
		return false
	}
	_, doc := keys["doc_id"]
	_, metrics := keys["metrics"]
	_, filter := keys["filter"]
	_, resps := keys["filtered_resps"]
	return doc && (metrics || filter || resps)
}

// lmEvalRowFields are the keys of a harness row that are not metrics.
var lmEvalRowFields = map[string]bool{
	"doc_id": true, "doc": true, "target": true, "arguments": true, "resps": true,
	"filtered_resps": true, "filter": true, "metrics": true, "doc_hash": true,
	"prompt_hash": true, "target_hash": true, "task_name": true,
}

// lmEvalDefaultMetrics are tried in order when --metric is not given.
var lmEvalDefaultMetrics = []string{"acc", "exact_match"}

// lmEvalTimestamp matches the _<date>T<time> suffix of the file name.
var lmEvalTimestamp = regexp.MustCompile(`_\d{4}-\d{2}-\d{2}T[0-9.:\-]+$`)

// lmEvalTask derives the task from samples_<task>_<timestamp>.jsonl.
func lmEvalTask(name string) string {
	if name == "-" || name == "" {
		return ""
	}
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	base = strings.TrimPrefix(base, "samples_")
	return lmEvalTimestamp.ReplaceAllString(base, "")
}

// An lmEvalRow is one decoded row.
type lmEvalRow struct {
	obj     readkit.Object
	docID   string
	filter  string
	metrics []string // the row's "metrics" list, if any
}

// readLMEval reads an lm-evaluation-harness samples file.
func readLMEval(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	in := readkit.NewInput(name, data)
	var rows []lmEvalRow
	filters := map[string]bool{}
	for _, l := range in.Lines() {
		obj, ok := in.Object(l.Off, l.Text, "an lm-eval sample line")
		if !ok {
			continue
		}
		id, ok := obj.IDString("doc_id", "line")
		if !ok {
			continue
		}
		r := lmEvalRow{obj: obj, docID: id, filter: obj.Str("filter", "filter")}
		if r.filter == "" {
			r.filter = "none"
		}
		filters[r.filter] = true
		if raw, off, ok := obj.Member("metrics"); ok {
			if err := json.Unmarshal(raw, &r.metrics); err != nil {
				in.FailAt(off, "metrics must be a list of metric names, found %s", readkit.Describe(raw))
			}
		}
		rows = append(rows, r)
	}
	if in.Failed() {
		return nil, in.Errs
	}
	if len(rows) == 0 {
		return nil, scorecard.Errorf(name, 0, "no sample lines: the file has no documents")
	}
	metric, ok := lmEvalMetric(in, rows[0], o.Metric)
	if !ok {
		return nil, in.Errs
	}
	task := lmEvalTask(name)
	sc := &scorecard.Scorecard{}
	sc.Run.Dataset = task
	if task == "" {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: cannot tell the task from the file name (samples_<task>_<date>.jsonl), so case ids are bare doc_ids", name))
	}
	multi := len(filters) > 1
	for _, r := range rows {
		raw, off, ok := r.obj.Member(metric)
		if !ok {
			msg := fmt.Sprintf("document %s has no %q value", r.docID, metric)
			if others := lmEvalScalarMetrics(r); len(others) > 0 {
				msg += fmt.Sprintf(" (it has %s)", readkit.QuoteList(others))
			}
			in.FailAt(r.obj.Off, "%s", msg)
			continue
		}
		s := scorecard.Sample{Line: in.Line(r.obj.Off), Workflow: task}
		s.ID = r.docID
		if task != "" {
			s.ID = task + ":" + r.docID
		}
		if multi {
			s.Cluster = s.ID
			s.ID += ":" + r.filter
		}
		switch c := readkit.FirstNonSpace(raw); {
		case c == 't' || c == 'f':
			s.Accepted = c == 't'
			x := 0.0
			if s.Accepted {
				x = 1
			}
			s.Score = &x
		case c == '[' || c == '{':
			hint := "this file has no per-document metric"
			if scalar := lmEvalScalarMetrics(r); len(scalar) > 0 {
				hint = "choose a per-document metric with --metric: " + readkit.QuoteList(scalar)
			}
			in.FailAt(off, "metric %q holds %s per document (the input of a corpus-level aggregate such as BLEU or F1), not a per-document outcome; %s", metric, readkit.Describe(raw), hint)
			return nil, in.Errs
		default:
			x, msg := readkit.ParseNumber(raw, false)
			if msg != "" {
				in.FailAt(off, "metric %q %s", metric, msg)
				continue
			}
			s.Score = &x
			s.Accepted = x == 1
		}
		sc.Samples = append(sc.Samples, s)
		if len(in.Errs) >= readkit.MaxErrors {
			break
		}
	}
	if in.Failed() {
		return nil, in.Errs
	}
	if multi {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %d filters (%s) score each document, so each document is %d cases in one cluster", name, len(filters), readkit.QuoteList(slices.Sorted(maps.Keys(filters))), len(filters)))
	}
	sc.NoteLacking(name, "lm-eval")
	return sc, nil
}

// lmEvalMetric picks the metric: the one named, else the first of the
// defaults that the first row carries.
func lmEvalMetric(in *readkit.Input, first lmEvalRow, want string) (string, bool) {
	have := lmEvalMetrics(first)
	if want != "" {
		return readkit.PickName(in, "metric", "metric", want, have)
	}
	for _, d := range lmEvalDefaultMetrics {
		if first.obj.Has(d) {
			return d, true
		}
	}
	if len(have) == 0 {
		in.FailAt(first.obj.Off, "the first document has no metric values")
		return "", false
	}
	in.FailAt(first.obj.Off, "no %s metric in this file (it has %s); pick one with --metric", strings.Join(lmEvalDefaultMetrics, " or "), readkit.QuoteList(have))
	return "", false
}

// lmEvalMetrics lists the metrics a row carries: its "metrics" list when
// present, else its keys that are not the harness's own fields.
func lmEvalMetrics(r lmEvalRow) []string {
	if len(r.metrics) > 0 {
		return r.metrics
	}
	var names []string
	for _, k := range r.obj.Keys() {
		if !lmEvalRowFields[k] {
			names = append(names, k)
		}
	}
	return names
}

// lmEvalScalarMetrics lists the metrics of a row that hold one number or
// boolean, the ones that can say whether a document was answered right.
func lmEvalScalarMetrics(r lmEvalRow) []string {
	var names []string
	for _, m := range lmEvalMetrics(r) {
		if raw, _, ok := r.obj.Member(m); ok {
			if c := readkit.FirstNonSpace(raw); c != '[' && c != '{' && c != '"' {
				names = append(names, m)
			}
		}
	}
	return names
}
