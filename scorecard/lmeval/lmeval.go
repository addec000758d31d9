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
	"sort"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "lm-eval", Kind: "an lm-evaluation-harness samples file (samples_TASK_*.jsonl of --log_samples)", Sniff: sniffLMEval, Read: readLMEval})
}

// sniffLMEval recognises a first line with "doc_id" and the harness's
// "metrics", "filter" or "filtered_resps"; and the harness's aggregate
// results file (a "results" object beside "configs", "versions",
// "n-shot" or "higher_is_better"), which readLMEval then explains.
func sniffLMEval(data []byte) bool {
	if isResultsFile(data) {
		return true
	}
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

// isResultsFile reports whether data is the harness's aggregate
// results_<timestamp>.json.
func isResultsFile(data []byte) bool {
	top, _ := readkit.HeadKeys(data, "")
	if readkit.LooksNativeDocument(top) || top["results"] != '{' {
		return false
	}
	for _, k := range []string{"configs", "versions", "n-shot", "higher_is_better", "group_subtasks", "n-samples"} {
		if top[k] == '{' {
			return true
		}
	}
	return false
}

// resultsFileError explains that the aggregate results file holds no
// per-document outcome, and which file does.
func resultsFileError(name string, data []byte) error {
	in := readkit.NewInput(name, data)
	doc, ok := in.Document("an lm-evaluation-harness results file")
	if !ok {
		return in.Errs
	}
	tasks := ""
	if res, ok := doc.Object("results", "results"); ok && len(res.Keys()) > 0 {
		keys := res.Keys()
		sort.Strings(keys)
		tasks = " (tasks " + readkit.QuoteList(keys) + ")"
	}
	return scorecard.Errorf(name, 0, "this is lm-evaluation-harness's aggregate results file%s: one score per task, not one outcome per document, "+
		"which ftgate needs to pair cases; give it the samples_<task>_<timestamp>.jsonl files the harness writes beside this one when lm_eval runs with --log_samples (one file per task)", tasks)
}

// lmEvalRowFields are the keys of a harness row that are not metrics.
var lmEvalRowFields = map[string]bool{
	"doc_id": true, "doc": true, "target": true, "arguments": true, "resps": true,
	"filtered_resps": true, "filter": true, "metrics": true, "doc_hash": true,
	"prompt_hash": true, "target_hash": true, "task_name": true, "task": true,
}

// lmEvalDefaultMetrics are tried in order when --metric is not given.
var lmEvalDefaultMetrics = []string{"acc", "exact_match"}

// lmEvalFileName matches the name the harness gives a samples file,
// samples_<task>_<timestamp>.jsonl, and captures the task.
var lmEvalFileName = regexp.MustCompile(`^samples_(.+)_\d{4}-\d{2}-\d{2}T[0-9.:\-]+$`)

// lmEvalTask derives the task from samples_<task>_<timestamp>.jsonl, or
// returns "" when the file was renamed (or read from standard input): a
// name that is not the harness's says nothing about the task.
func lmEvalTask(name string) string {
	base := filepath.Base(name)
	m := lmEvalFileName.FindStringSubmatch(strings.TrimSuffix(base, filepath.Ext(base)))
	if m == nil {
		return ""
	}
	return m[1]
}

// An lmEvalRow is one decoded row.
type lmEvalRow struct {
	obj     readkit.Object
	docID   string
	task    string // the task the row names (task_name or task), if any
	filter  string
	metrics []string // the row's "metrics" list, if any
}

// readLMEval reads an lm-evaluation-harness samples file.
func readLMEval(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	if isResultsFile(data) {
		return nil, resultsFileError(name, data)
	}
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
		for _, k := range []string{"task_name", "task"} {
			if raw, off, ok := obj.Member(k); ok && readkit.FirstNonSpace(raw) == '"' && r.task == "" {
				r.task = strings.TrimSpace(readkit.JSONString(in, raw, off, k))
			}
		}
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
	// A case is a task's document: the task the rows name, else the one
	// in the harness's file name.
	fileTask := lmEvalTask(name)
	sc := &scorecard.Scorecard{}
	tasks := map[string]bool{}
	bare := 0
	for _, r := range rows {
		task := firstNonEmpty(r.task, fileTask)
		tasks[task] = true
		if task == "" {
			bare++
		}
	}
	if len(tasks) == 1 {
		sc.Run.Dataset = firstNonEmpty(rows[0].task, fileTask)
	}
	if bare > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: the documents do not name their task and the file name is not the harness's samples_<task>_<timestamp>.jsonl, so %s; they pair only with a file read the same way", name,
			readkit.Counted(bare, "case id is a bare doc_id", "case ids are bare doc_ids")))
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
		task := firstNonEmpty(r.task, fileTask)
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
	scalar := lmEvalScalarMetrics(first)
	corpus := func() {
		in.FailAt(first.obj.Off, "this file has no per-document verdict: its metrics (%s) are corpus-level, each document holding the (reference, prediction) pair "+
			"that one score over the whole corpus is computed from (as for BLEU, chrF, F1 or MCC), so there is no outcome per case to pair; "+
			"gate on a task whose metric scores each document (such as acc or exact_match)", readkit.QuoteList(have))
	}
	if want != "" {
		m, ok := readkit.PickName(in, "metric", "metric", want, have)
		if !ok || slices.Contains(scalar, m) {
			return m, ok
		}
		if raw, _, present := first.obj.Member(m); !present || !isCorpusValue(raw) {
			return m, true // a string or missing value: reported per document
		}
		if len(scalar) == 0 {
			corpus()
			return "", false
		}
		in.FailAt(first.obj.Off, "metric %q is corpus-level (each document holds the input of one score over the whole corpus), not a per-document outcome; choose a per-document metric with --metric: %s", m, readkit.QuoteList(scalar))
		return "", false
	}
	for _, d := range lmEvalDefaultMetrics {
		if first.obj.Has(d) {
			return d, true
		}
	}
	switch {
	case len(have) == 0:
		in.FailAt(first.obj.Off, "the first document has no metric values")
	case len(scalar) == 0:
		corpus()
	default:
		in.FailAt(first.obj.Off, "no %s metric in this file; pick one of its per-document metrics with --metric: %s", strings.Join(lmEvalDefaultMetrics, " or "), readkit.QuoteList(scalar))
	}
	return "", false
}

// isCorpusValue reports whether a metric's value is a list or an object:
// the input of a corpus-level score rather than a document's outcome.
func isCorpusValue(raw []byte) bool {
	c := readkit.FirstNonSpace(raw)
	return c == '[' || c == '{'
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

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
