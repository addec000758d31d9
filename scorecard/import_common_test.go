package scorecard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Helpers shared by the importer tests.

func fp(x float64) *float64 { return &x }

func tokens(model string, in, out, cached int64) *Usage {
	return &Usage{Model: model, InputTokens: in, OutputTokens: out, CachedInputTokens: cached}
}

// importCase is one importer table test: a fixture under testdata/import,
// the options, and what Read must return.
type importCase struct {
	name     string
	file     string // under testdata/import
	opts     ReadOptions
	format   string
	system   System
	run      Run
	samples  []Sample
	warnings []string // with "FILE" standing for the base name
}

// runImportCases reads each fixture through the public Read with format
// detection, and compares the result.
func runImportCases(t *testing.T, cases []importCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "import", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			base := filepath.Base(path)
			o := tc.opts
			if o.Format == "" {
				o.Format = "auto"
			}
			sc, err := Read(base, data, o)
			if err != nil {
				t.Fatalf("Read(%s): %v", base, err)
			}
			if sc.Format != tc.format {
				t.Errorf("Format = %q, want %q", sc.Format, tc.format)
			}
			if diff := cmp.Diff(tc.system, sc.System); diff != "" {
				t.Errorf("System mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.run, sc.Run); diff != "" {
				t.Errorf("Run mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.samples, sc.Samples); diff != "" {
				t.Errorf("Samples mismatch (-want +got):\n%s", diff)
			}
			var want []string
			for _, w := range tc.warnings {
				want = append(want, strings.ReplaceAll(w, "FILE", base))
			}
			if diff := cmp.Diff(want, sc.Warnings); diff != "" {
				t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestImportSniffersLeaveNativeAndCSV checks that no importer claims a
// native scorecard or a CSV file, and that each importer fixture is
// detected as its own format.
func TestImportSniffersLeaveNativeAndCSV(t *testing.T) {
	others := map[string]string{
		"native JSONL":          "{\"id\": \"a\", \"accepted\": true, \"filter\": \"x\", \"doc_id\": 1}\n{\"id\": \"b\", \"accepted\": false}\n",
		"native JSONL header":   "{\"scorecard\": 1, \"system\": {\"name\": \"s\"}, \"run_id\": \"r\", \"event_id\": 1, \"type\": \"x\"}\n{\"id\": \"a\", \"accepted\": true}\n",
		"native JSON":           "{\"scorecard\": 1, \"eval\": {}, \"status\": \"success\", \"cases\": [{\"id\": \"a\", \"accepted\": true}]}",
		"native case first":     "{\"id\": \"a\", \"accepted\": true, \"success\": true, \"testIdx\": 0}\n",
		"CSV":                   "id,accepted,doc_id\na,true,1\n",
		"CSV with JSON-ish col": "id,accepted,spec\na,true,{}\n",
	}
	for name, text := range others {
		for _, f := range formats {
			if f.name == "native" || f.name == "csv" {
				continue
			}
			if f.sniff([]byte(text)) {
				t.Errorf("%s sniffer claims the %s input", f.name, name)
			}
		}
	}
	want := map[string]string{
		"promptfoo":   "promptfoo",
		"inspect":     "inspect",
		"lmeval":      "lm-eval",
		"openaievals": "openai-evals",
	}
	for dir, format := range want {
		files, err := filepath.Glob(filepath.Join("testdata", "import", dir, "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures in %s: %v", dir, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := pickFormat(file, data, "auto")
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			if f.name != format {
				t.Errorf("%s detected as %q, want %q", file, f.name, format)
			}
		}
	}
}
