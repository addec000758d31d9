package formats_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ftgate/ftgate/scorecard"
	_ "github.com/ftgate/ftgate/scorecard/formats"
)

// TestDetectionOrder checks that every reader is registered, in the order
// the package lists them.
func TestDetectionOrder(t *testing.T) {
	want := []string{"inspect", "deepeval", "promptfoo", "openai-evals", "lm-eval", "native", "csv"}
	if diff := cmp.Diff(want, scorecard.DetectionOrder()); diff != "" {
		t.Errorf("detection order (-want +got):\n%s", diff)
	}
	sorted := slices.Sorted(slices.Values(want))
	if diff := cmp.Diff(sorted, scorecard.Formats()); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
}

// TestSniffersLeaveNativeAndCSV checks that no tool's reader claims a
// native scorecard or a CSV file that carries some of its keys, and that
// each reader's fixtures are detected as that reader's format.
func TestSniffersLeaveNativeAndCSV(t *testing.T) {
	t.Parallel()
	others := map[string]string{
		"native JSONL":          "{\"id\": \"a\", \"accepted\": true, \"filter\": \"x\", \"doc_id\": 1}\n{\"id\": \"b\", \"accepted\": false}\n",
		"native JSONL header":   "{\"scorecard\": 1, \"system\": {\"name\": \"s\"}, \"run_id\": \"r\", \"event_id\": 1, \"type\": \"x\"}\n{\"id\": \"a\", \"accepted\": true}\n",
		"native JSON":           "{\"scorecard\": 1, \"eval\": {}, \"status\": \"success\", \"cases\": [{\"id\": \"a\", \"accepted\": true}]}",
		"native case first":     "{\"id\": \"a\", \"accepted\": true, \"success\": true, \"testIdx\": 0}\n",
		"native with testRun":   "{\"scorecard\": 1, \"testRunData\": {\"testCases\": []}, \"cases\": [{\"id\": \"a\", \"accepted\": true}]}",
		"CSV":                   "id,accepted,doc_id\na,true,1\n",
		"CSV with JSON-ish col": "id,accepted,spec\na,true,{}\n",
	}
	for name, text := range others {
		got, err := scorecard.Detect(name, []byte(text))
		if err != nil || (got != "native" && got != "csv") {
			t.Errorf("%s detected as %q (%v), want native or csv", name, got, err)
		}
	}
	want := map[string]string{
		"promptfoo":   "promptfoo",
		"inspect":     "inspect",
		"deepeval":    "deepeval",
		"lmeval":      "lm-eval",
		"openaievals": "openai-evals",
	}
	for dir, format := range want {
		files, err := filepath.Glob(filepath.Join("..", dir, "testdata", "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures in %s: %v", dir, err)
		}
		for _, file := range files {
			if st, err := os.Stat(file); err != nil || st.IsDir() {
				continue
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := scorecard.Detect(file, data)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			if got != format {
				t.Errorf("%s detected as %q, want %q", file, got, format)
			}
		}
	}
}

// FuzzRead feeds arbitrary bytes to format detection with every reader
// registered: whatever the input, Read returns a scorecard or an input
// error and never panics. Each reader has its own target too.
// Run longer with: go test -run '^$' -fuzz FuzzRead -parallel 1 ./scorecard/formats
func FuzzRead(f *testing.F) {
	for _, g := range []string{"*", filepath.Join("bad", "*")} {
		files, _ := filepath.Glob(filepath.Join("..", "*", "testdata", g))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scorecard.Read("f.json", data, scorecard.ReadOptions{})
		if err != nil {
			if !scorecard.IsInputError(err) {
				t.Fatalf("error %T %v is not an input error", err, err)
			}
			return
		}
		if len(sc.Samples) == 0 {
			t.Fatal("read succeeded with no samples")
		}
	})
}

// TestUnknownFormat checks that a file no reader recognises is refused
// with the list of every format, and that --format suggests a near miss.
func TestUnknownFormat(t *testing.T) {
	t.Parallel()
	_, err := scorecard.Read("notes.txt", []byte("just some notes\n"), scorecard.ReadOptions{})
	want := "notes.txt:1: cannot tell the format of this file; name it with --format (one of csv, deepeval, inspect, lm-eval, native, openai-evals, promptfoo)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	_, err = scorecard.Read("x.json", []byte("{}"), scorecard.ReadOptions{Format: "prompfoo"})
	want = `unknown format "prompfoo" (want auto or one of csv, deepeval, inspect, lm-eval, native, openai-evals, promptfoo); did you mean "promptfoo"?`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// A reader forced with --format on a file that another reader recognises
// says what the file looks like and what the forced format expects,
// rather than the symptom its own parser finds.
func TestForcedFormatNamesWhatTheFileIs(t *testing.T) {
	t.Parallel()
	native := filepath.Join("..", "..", "examples", "pass", "baseline.jsonl")
	for _, tc := range []struct{ file, format, want string }{
		{filepath.Join("..", "inspect", "testdata", "zstd.eval"), "promptfoo",
			"this looks like an Inspect AI log (detected from its content); --format promptfoo expects a promptfoo output file (the JSON or JSONL of promptfoo eval -o): give --format inspect, or leave --format out"},
		{native, "inspect",
			"this looks like a native scorecard (detected from its content); --format inspect expects an Inspect AI log (an .eval archive, or its JSON): give --format native, or leave --format out"},
		{native, "csv",
			"this looks like a native scorecard (detected from its content); --format csv expects a CSV scorecard (a header line, then one row per case): give --format native, or leave --format out"},
		{filepath.Join("..", "promptfoo", "testdata", "basic.json"), "lm-eval",
			"this looks like a promptfoo output file (detected from its content); --format lm-eval expects an lm-evaluation-harness samples file (samples_TASK_*.jsonl of --log_samples): give --format promptfoo, or leave --format out"},
		{filepath.Join("..", "lmeval", "testdata", "samples_gsm8k_2026-01-02T03-04-05.678901.jsonl"), "native",
			"this looks like an lm-evaluation-harness samples file (detected from its content); --format native expects a native scorecard (JSON or JSONL with an id and accepted per case): give --format lm-eval, or leave --format out"},
	} {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = scorecard.Read(tc.file, data, scorecard.ReadOptions{Format: tc.format})
		if err == nil || err.Error() != tc.file+": "+tc.want {
			t.Errorf("--format %s on %s:\n got %v\nwant %s: %s", tc.format, tc.file, err, tc.file, tc.want)
		}
	}
	// A file the forced reader itself recognises keeps its own message.
	data := []byte(`{"scorecard": 1, "cases": [{"id": "a"}]}`)
	if _, err := scorecard.Read("x.json", data, scorecard.ReadOptions{Format: "native"}); err == nil || strings.Contains(err.Error(), "looks like") {
		t.Errorf("native on a broken native file: %v", err)
	}
}

// An lm-eval samples file renamed by hand loses the task its ids take
// from the harness's file name: the message says so and what to do.
func TestUnmatchedRenamedLMEvalFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "lmeval", "testdata", "samples_arc_easy_2026-01-02T03-04-05.678901.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var arms []*scorecard.Scorecard
	for _, name := range []string{"samples_arc_easy_2026-01-02T03-04-05.678901.jsonl", "candidate.jsonl"} {
		sc, err := scorecard.Read(name, data, scorecard.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		arms = append(arms, sc)
	}
	_, err = scorecard.Pair(arms, scorecard.PairOptions{CountMissing: true, Candidate: 1})
	for _, want := range []string{
		`candidate.jsonl: the scorecards have no case id in common: the baseline's ids look like "arc_easy:0", "arc_easy:1", "arc_easy:2"; the candidate's ids look like "0", "1", "2"; `,
		`the baseline's ids carry the prefix "arc_easy:" that the candidate's lack: write the ids the same way on both sides; an lm-eval samples file whose documents do not name their task takes it from the harness's file name, samples_<task>_<timestamp>.jsonl: give candidate.jsonl that name back`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v\nwant it to contain %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "allow_unmatched") {
		t.Errorf("no overlap, yet allow_unmatched is offered: %v", err)
	}
}
