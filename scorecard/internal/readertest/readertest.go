// Package readertest holds what the tests of the scorecard readers share:
// table tests over fixtures, the bad-input goldens (one bad file, one
// expected message) and their key=value options files.
package readertest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ftgate/ftgate/internal/golden"
	"github.com/ftgate/ftgate/scorecard"
)

// F returns a pointer to x, for the optional numbers of a Sample.
func F(x float64) *float64 { return &x }

// Tokens is the usage of one sample.
func Tokens(model string, in, out, cached int64) *scorecard.Usage {
	return &scorecard.Usage{Model: model, InputTokens: in, OutputTokens: out, CachedInputTokens: cached}
}

// A Case is one table test of a reader: a fixture under testdata, the
// options, and what scorecard.Read must return.
type Case struct {
	Name     string
	File     string // under testdata
	Opts     scorecard.ReadOptions
	Format   string
	System   scorecard.System
	Run      scorecard.Run
	Samples  []scorecard.Sample
	Warnings []string // with "FILE" standing for the base name
}

// RunCases reads each fixture through scorecard.Read, with format
// detection unless the case forces a format, and compares the result.
func RunCases(t *testing.T, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", tc.File)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			base := filepath.Base(path)
			o := tc.Opts
			if o.Format == "" {
				o.Format = "auto"
			}
			sc, err := scorecard.Read(base, data, o)
			if err != nil {
				t.Fatalf("Read(%s): %v", base, err)
			}
			if sc.Format != tc.Format {
				t.Errorf("Format = %q, want %q", sc.Format, tc.Format)
			}
			if diff := cmp.Diff(tc.System, sc.System); diff != "" {
				t.Errorf("System mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.Run, sc.Run); diff != "" {
				t.Errorf("Run mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.Samples, sc.Samples); diff != "" {
				t.Errorf("Samples mismatch (-want +got):\n%s", diff)
			}
			var want []string
			for _, w := range tc.Warnings {
				want = append(want, strings.ReplaceAll(w, "FILE", base))
			}
			if diff := cmp.Diff(want, sc.Warnings); diff != "" {
				t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// RunBadInputs reads every file in dir and compares the error it gives
// with the FILE.want beside it: one bad input, one expected message.
// FILE.opts, when present, holds key=value read options (see ReadOpts).
// Run with -update to rewrite the .want files, then review the diff. It
// fails when dir holds fewer than min bad inputs, so that a moved folder
// cannot make the test pass by testing nothing.
func RunBadInputs(t *testing.T, dir string, min int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if ext := filepath.Ext(path); ext == ".want" || ext == ".opts" {
			continue
		}
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			continue
		}
		n++
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.ToSlash(path)
			_, err = scorecard.Read(name, data, ReadOpts(t, path+".opts"))
			if err != nil && !scorecard.IsInputError(err) {
				t.Errorf("Read(%s) error %v is not an input error", name, err)
			}
			golden.CheckInputError(t, name, err, path+".want")
		})
	}
	if n < min {
		t.Errorf("only %d bad inputs found in %s, want at least %d", n, dir, min)
	}
}

// ReadOpts reads an optional key=value options file: format, scorer,
// metric, provider, prompt, accept-threshold, partial, lenient, id-column
// and accepted-column, one a line; # starts a comment.
func ReadOpts(t *testing.T, path string) scorecard.ReadOptions {
	t.Helper()
	o := scorecard.ReadOptions{Format: "auto"}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return o
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "format":
			o.Format = v
		case "scorer":
			o.Scorer = v
		case "metric":
			o.Metric = v
		case "provider":
			o.Provider = v
		case "prompt":
			o.Prompt = v
		case "accept-threshold":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			o.AcceptThreshold = &x
		case "partial":
			o.PartialAccepted = v == "true"
		case "lenient":
			o.Lenient = v == "true"
		case "id-column":
			o.IDColumn = v
		case "accepted-column":
			o.AcceptedColumn = v
		default:
			t.Fatalf("%s: unknown option %q", path, k)
		}
	}
	return o
}

// FuzzSeeds returns the contents of every file under the given globs, as
// seeds for a fuzz target.
func FuzzSeeds(globs ...string) [][]byte {
	var seeds [][]byte
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() {
				continue
			}
			if data, err := os.ReadFile(f); err == nil {
				seeds = append(seeds, data)
			}
		}
	}
	return seeds
}

// CheckRead is the body of every reader's fuzz target: whatever data is,
// Read in each of the given formats returns a scorecard with samples or
// an input error, and never panics.
func CheckRead(t *testing.T, name string, data []byte, formats ...string) {
	t.Helper()
	for _, format := range formats {
		sc, err := scorecard.Read(name, data, scorecard.ReadOptions{Format: format})
		if err != nil {
			if !scorecard.IsInputError(err) {
				t.Fatalf("format %s: error %T %v is not an input error", format, err, err)
			}
			continue
		}
		if len(sc.Samples) == 0 {
			t.Fatalf("format %s: no samples and no error", format)
		}
		// Pricing never fails on a read scorecard but with an input error.
		if err := scorecard.ApplyPricing(sc, map[string]scorecard.Price{"m": {InputPerMTok: 1, OutputPerMTok: 1}}); err != nil && !scorecard.IsInputError(err) {
			t.Fatalf("format %s: pricing error %v is not an input error", format, err)
		}
	}
}
