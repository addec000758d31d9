package formats_test

import (
	"os"
	"path/filepath"
	"slices"
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
