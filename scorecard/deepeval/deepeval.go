// Package deepeval reads the test run that `deepeval test run` leaves in
// .deepeval/.latest_test_run.json ({"testRunData": {...}}), and the same
// test run unwrapped (DeepEval's .temp_test_run_data.json): the test
// cases and conversational test cases, each with its success and the
// metricsData behind it. Importing it registers the "deepeval" format
// with package scorecard.
package deepeval

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "deepeval", Kind: "a DeepEval test run (the JSON DeepEval saves of a test run)", Sniff: sniff, Read: read})
}

// testRunKeys are keys only DeepEval's test run has at its top level, next
// to its testCases array.
var testRunKeys = []string{"testFile", "metricsScores", "testPassed", "testFailed", "hyperparameters", "identifier", "evaluationCost", "datasetAlias"}

// sniff recognises the wrapped test run ({"testRunData": {...}}), the
// file DeepEval leaves when the run went to Confident AI
// ({"testRunLink": "..."}, which read then explains), and the unwrapped
// test run (testCases or conversationalTestCases next to one of DeepEval's
// own run keys).
func sniff(data []byte) bool {
	top, _ := readkit.HeadKeys(data, "")
	if readkit.LooksNativeDocument(top) {
		return false
	}
	if top["testRunData"] == '{' || top["testRunLink"] == '"' {
		return true
	}
	if top["testCases"] != '[' && top["conversationalTestCases"] != '[' {
		return false
	}
	for _, k := range testRunKeys {
		if _, ok := top[k]; ok {
			return true
		}
	}
	return false
}

// positional matches the names DeepEval gives test cases the user did not
// name: test_case_0, test_case_1, ... by position in the run, which is
// not the same case from one run to the next.
var positional = regexp.MustCompile(`^test_case_[0-9]+$`)

// A testCase is one test case as read, before its id is settled.
type testCase struct {
	name      string // the user's name, "" when unnamed or positional
	label     string // how messages name the test case
	inputHash string // "input-" and 12 hex digits of the input's hash
	sample    scorecard.Sample
}

// read reads a DeepEval test run.
func read(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	in := readkit.NewInput(name, data)
	doc, ok := in.Document("a DeepEval test run")
	if !ok {
		return nil, in.Errs
	}
	run := doc
	if raw, off, ok := doc.Member("testRunData"); ok {
		if run, ok = in.Object(off, raw, "testRunData"); !ok {
			return nil, in.Errs
		}
	} else if doc.Has("testRunLink") {
		link := doc.Str("testRunLink", "testRunLink")
		in.Fail("this DeepEval file holds only the link to a test run kept on Confident AI (%q), not its results; "+
			"give ftgate the results instead: set DEEPEVAL_RESULTS_FOLDER=DIR before deepeval test run (DeepEval then writes each run's results there), or run it logged out of Confident AI", link)
		return nil, in.Errs
	}
	sc := &scorecard.Scorecard{}
	sc.Run.ID = run.Str("identifier", "identifier")
	sc.Run.Dataset = run.Str("datasetAlias", "datasetAlias")
	model := hyperparameter(run, "model")
	sc.System.Name, sc.System.Model = model, model
	var cases []testCase
	if elems, ok := run.Array("testCases", "testCases"); ok {
		for i, e := range elems {
			if obj, ok := in.Object(e.Off, e.Value, "a test case"); ok {
				cases = append(cases, llmCase(obj, i, model))
			}
		}
	}
	if elems, ok := run.Array("conversationalTestCases", "conversationalTestCases"); ok {
		for i, e := range elems {
			if obj, ok := in.Object(e.Off, e.Value, "a conversational test case"); ok {
				cases = append(cases, conversationalCase(obj, i))
			}
		}
	}
	if in.Failed() {
		return nil, in.Errs
	}
	if len(cases) == 0 {
		in.FailAt(run.Off, "the test run has no test cases (testCases and conversationalTestCases are empty or missing)")
		return nil, in.Errs
	}
	settleIDs(name, sc, cases)
	for _, c := range cases {
		sc.Samples = append(sc.Samples, c.sample)
	}
	if _, _, ok := run.Member("evaluationCost"); ok && !sc.PresentFields().Cost {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: evaluationCost is what DeepEval's judge cost, not what the system costs to serve; it is not read as cost (give the test cases a cost, or token counts with a model in the hyperparameters)", name))
	}
	sc.NoteLacking(name, "deepeval")
	return sc, nil
}

// hyperparameter returns the string hyperparameter key of the run, or "".
func hyperparameter(run readkit.Object, key string) string {
	hp, ok := run.Object("hyperparameters", "hyperparameters")
	if !ok {
		return ""
	}
	raw, off, ok := hp.Member(key)
	if !ok || readkit.FirstNonSpace(raw) != '"' {
		return ""
	}
	return readkit.JSONString(run.In, raw, off, "hyperparameters."+key)
}

// common reads what both kinds of test case carry: the name, success,
// metricsData and metadata.
func common(obj readkit.Object, what string, index int) testCase {
	in := obj.In
	var c testCase
	s := &c.sample
	s.Line = in.Line(obj.Off)
	if n := strings.TrimSpace(obj.Str("name", "name")); n != "" && !positional.MatchString(n) {
		c.name = n
	}
	label := fmt.Sprintf("test case %q", c.name)
	if c.name == "" {
		label = fmt.Sprintf("%s[%d]", what, index)
	}
	c.label = label
	failing, errored := metrics(obj, label)
	success := obj.Boolean("success", "success")
	switch {
	case success != nil:
		s.Accepted = *success
	case obj.Has("metricsData"):
		// DeepEval leaves success out only when no metric decided it.
		s.Accepted = failing == "" && errored == ""
	default:
		in.FailAt(obj.Off, "%s has neither success nor metricsData: DeepEval did not evaluate it", label)
	}
	if errored != "" {
		s.Error = errored
		s.Accepted = false
	} else if !s.Accepted {
		s.FailureClass = failing
	}
	for _, key := range []string{"metadata", "additionalMetadata"} {
		if md, ok := obj.Object(key, key); ok && s.Workflow == "" {
			if raw, off, ok := md.Member("workflow"); ok && readkit.FirstNonSpace(raw) == '"' {
				s.Workflow = readkit.JSONString(in, raw, off, key+".workflow")
			}
		}
	}
	return c
}

// metrics reads metricsData: the name of the first metric that failed,
// and the first metric error ("METRIC: message").
func metrics(obj readkit.Object, label string) (failing, errored string) {
	elems, ok := obj.Array("metricsData", "metricsData")
	if !ok {
		return "", ""
	}
	for _, e := range elems {
		m, ok := obj.In.Object(e.Off, e.Value, "a metric of "+label)
		if !ok {
			continue
		}
		name := m.Str("name", "metricsData[].name")
		if name == "" {
			name = "metric"
		}
		m.Number("score", "metricsData[].score", false)
		m.Number("threshold", "metricsData[].threshold", false)
		if msg := readkit.FirstLineOf(m.Str("error", "metricsData[].error")); msg != "" && errored == "" {
			errored = name + ": " + msg
		}
		if ok := m.Boolean("success", "metricsData[].success"); ok != nil && !*ok && failing == "" {
			failing = name
		}
	}
	return failing, errored
}

// llmCase reads one test case of testCases.
func llmCase(obj readkit.Object, index int, model string) testCase {
	c := common(obj, "testCases", index)
	in := obj.In
	s := &c.sample
	if raw, off, ok := obj.Member("input"); ok {
		if !readkit.ValidText(raw) {
			in.FailAt(off, "%s", readkit.InvalidText("input", raw))
		}
		c.inputHash = "input-" + readkit.CanonicalHash(raw)
	} else if c.name == "" {
		in.FailAt(obj.Off, "testCases[%d] has neither a name of its own nor an input, so nothing identifies it across runs", index)
	}
	s.CostUSD = obj.Number("tokenCost", "tokenCost", true)
	if t := obj.Number("completionTime", "completionTime", true); t != nil {
		ms := *t * 1000
		s.LatencyMS = &ms
	}
	if obj.Has("inputTokenCount") || obj.Has("outputTokenCount") {
		u := &scorecard.Usage{Model: model,
			InputTokens:  obj.Count("inputTokenCount", "inputTokenCount"),
			OutputTokens: obj.Count("outputTokenCount", "outputTokenCount")}
		if model == "" {
			in.FailAt(obj.Off, "%s has token counts but the run names no model to price them with: log a \"model\" hyperparameter (deepeval's log_hyperparameters), or give each test case its cost", c.label)
		}
		s.Usage = u
	}
	return c
}

// conversationalCase reads one test case of conversationalTestCases: its
// input is the conversation (each turn's role and content), else the
// scenario.
func conversationalCase(obj readkit.Object, index int) testCase {
	c := common(obj, "conversationalTestCases", index)
	in := obj.In
	type turn struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	var turns []turn
	if elems, ok := obj.Array("turns", "turns"); ok {
		for _, e := range elems {
			if t, ok := in.Object(e.Off, e.Value, "a turn"); ok {
				turns = append(turns, turn{t.Str("role", "turns[].role"), t.Str("content", "turns[].content")})
			}
		}
	}
	var text []byte
	if len(turns) > 0 {
		text, _ = json.Marshal(turns)
	} else if raw, _, ok := obj.Member("scenario"); ok {
		text = raw
	}
	if text != nil {
		c.inputHash = "input-" + readkit.CanonicalHash(text)
	} else if c.name == "" {
		in.FailAt(obj.Off, "conversationalTestCases[%d] has neither a name of its own nor turns or a scenario, so nothing identifies it across runs", index)
	}
	return c
}

// settleIDs gives each test case its id and sample number. A name the
// user gave is the id; test cases DeepEval numbered by position get the
// hash of their input instead, so that the same input pairs across runs.
// Test cases that share a name and differ in input (assert_test in a loop
// within one test) get the input's hash appended; test cases with the
// same name and input are repeats of one case: samples 0, 1, 2...
func settleIDs(file string, sc *scorecard.Scorecard, cases []testCase) {
	inputs := map[string]map[string]bool{}
	for _, c := range cases {
		if c.name == "" {
			continue
		}
		if inputs[c.name] == nil {
			inputs[c.name] = map[string]bool{}
		}
		inputs[c.name][c.inputHash] = true
	}
	var shared []string
	for n, h := range inputs {
		if len(h) > 1 {
			shared = append(shared, n)
		}
	}
	sort.Strings(shared)
	if len(shared) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: test cases with different inputs share a name (%s); their ids get the input's hash appended", file, readkit.QuoteList(shared)))
	}
	next := map[string]int{}
	unnamed := 0
	for i := range cases {
		c := &cases[i]
		id := c.name
		switch {
		case id == "":
			id = c.inputHash
			unnamed++
		case len(inputs[id]) > 1:
			id += " (" + c.inputHash + ")"
		}
		c.sample.ID = id
		c.sample.Sample = next[id]
		next[id]++
	}
	if unnamed > 0 {
		what := readkit.Counted(unnamed, "test case has no name of its own (DeepEval numbered it test_case_N by position), so it is", "test cases have no name of their own (DeepEval numbered them test_case_N by position), so each is")
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s identified by the hash of its input", file, what))
	}
}
