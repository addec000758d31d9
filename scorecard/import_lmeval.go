package scorecard

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The lm-eval importer reads the per-document log that lm-evaluation-harness
// writes with --log_samples: samples_<task>_<timestamp>.jsonl, one document
// a line, with the metric values as top-level keys.

// sniffLMEval recognises a first line with "doc_id" and the harness's
// "metrics", "filter" or "filtered_resps".
func sniffLMEval(data []byte) bool {
	keys := firstLineKeys(data)
	if keys == nil || looksNative(keys) {
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
	obj     jobj
	docID   string
	filter  string
	metrics []string // the row's "metrics" list, if any
}

// readLMEval reads an lm-evaluation-harness samples file.
func readLMEval(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	in := newJSONInput(name, data)
	var rows []lmEvalRow
	filters := map[string]bool{}
	for _, l := range in.lines() {
		obj, ok := in.object(l.off, l.text, "an lm-eval sample line")
		if !ok {
			continue
		}
		id, ok := obj.idString("doc_id", "line")
		if !ok {
			continue
		}
		r := lmEvalRow{obj: obj, docID: id, filter: obj.str("filter", "filter")}
		if r.filter == "" {
			r.filter = "none"
		}
		filters[r.filter] = true
		if raw, off, ok := obj.member("metrics"); ok {
			if err := json.Unmarshal(raw, &r.metrics); err != nil {
				in.failAt(off, "metrics must be a list of metric names, found %s", describeJSON(raw))
			}
		}
		rows = append(rows, r)
	}
	if in.failed() {
		return nil, in.errs
	}
	if len(rows) == 0 {
		return nil, Errorf(name, 0, "no sample lines: the file has no documents")
	}
	metric, ok := lmEvalMetric(in, rows[0], o.Metric)
	if !ok {
		return nil, in.errs
	}
	task := lmEvalTask(name)
	sc := &Scorecard{}
	sc.Run.Dataset = task
	if task == "" {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: cannot tell the task from the file name (samples_<task>_<date>.jsonl), so case ids are bare doc_ids", name))
	}
	multi := len(filters) > 1
	for _, r := range rows {
		raw, off, ok := r.obj.member(metric)
		if !ok {
			msg := fmt.Sprintf("document %s has no %q value", r.docID, metric)
			if others := lmEvalScalarMetrics(r); len(others) > 0 {
				msg += fmt.Sprintf(" (it has %s)", quoteList(others))
			}
			in.failAt(r.obj.off, "%s", msg)
			continue
		}
		s := Sample{Line: in.line(r.obj.off), Workflow: task}
		s.ID = r.docID
		if task != "" {
			s.ID = task + ":" + r.docID
		}
		if multi {
			s.Cluster = s.ID
			s.ID += ":" + r.filter
		}
		switch c := firstNonSpace(raw); {
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
				hint = "choose a per-document metric with --metric: " + quoteList(scalar)
			}
			in.failAt(off, "metric %q holds %s per document (the input of a corpus-level aggregate such as BLEU or F1), not a per-document outcome; %s", metric, describeJSON(raw), hint)
			return nil, in.errs
		default:
			x, msg := parseNumber(raw, false)
			if msg != "" {
				in.failAt(off, "metric %q %s", metric, msg)
				continue
			}
			s.Score = &x
			s.Accepted = x == 1
		}
		sc.Samples = append(sc.Samples, s)
		if len(in.errs) >= maxErrors {
			break
		}
	}
	if in.failed() {
		return nil, in.errs
	}
	if multi {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %d filters (%s) score each document, so each document is %d cases in one cluster", name, len(filters), quoteList(slices.Sorted(maps.Keys(filters))), len(filters)))
	}
	noteLacking(sc, name, "lm-eval")
	return sc, nil
}

// lmEvalMetric picks the metric: the one named, else the first of the
// defaults that the first row carries.
func lmEvalMetric(in *jsonInput, first lmEvalRow, want string) (string, bool) {
	have := lmEvalMetrics(first)
	if want != "" {
		return pickName(in, "metric", "metric", want, have)
	}
	for _, d := range lmEvalDefaultMetrics {
		if first.obj.has(d) {
			return d, true
		}
	}
	if len(have) == 0 {
		in.failAt(first.obj.off, "the first document has no metric values")
		return "", false
	}
	in.failAt(first.obj.off, "no %s metric in this file (it has %s); pick one with --metric", strings.Join(lmEvalDefaultMetrics, " or "), quoteList(have))
	return "", false
}

// lmEvalMetrics lists the metrics a row carries: its "metrics" list when
// present, else its keys that are not the harness's own fields.
func lmEvalMetrics(r lmEvalRow) []string {
	if len(r.metrics) > 0 {
		return r.metrics
	}
	var names []string
	for _, k := range r.obj.keys() {
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
		if raw, _, ok := r.obj.member(m); ok {
			if c := firstNonSpace(raw); c != '[' && c != '{' && c != '"' {
				names = append(names, m)
			}
		}
	}
	return names
}
