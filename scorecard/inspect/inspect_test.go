package inspect

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
	"github.com/google/go-cmp/cmp"
)

func TestImportInspect(t *testing.T) {
	const mini = "openai/gpt-4.1-mini"
	const haiku = "anthropic/claude-haiku-4-5"
	logSystem := scorecard.System{Name: mini, Model: mini}
	logRun := scorecard.Run{ID: "run-42", Dataset: "support-evals"}
	// log.json read with a scorer: epochs become samples, string and
	// integer ids, an errored sample, a sample that hit a token limit (not
	// accepted though scored C), cache reads readkit.Counted into input tokens, and
	// a grader model whose tokens are left out.
	logSamples := func(partial, judge bool) []scorecard.Sample {
		s := []scorecard.Sample{
			{ID: "1", Sample: 0, Workflow: "faq", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1500),
				Usage: readertest.Tokens(mini, 100, 20, 0), Line: 15},
			{ID: "1", Sample: 1, Workflow: "faq", Accepted: false, Score: readertest.F(0), LatencyMS: readertest.F(1250),
				Usage: readertest.Tokens(mini, 100, 25, 0), Line: 22},
			{ID: "doc-b", Sample: 0, Workflow: "billing", Accepted: partial, Score: readertest.F(0.5), LatencyMS: readertest.F(750),
				Usage: readertest.Tokens(mini, 250, 10, 200), Line: 29},
			{ID: "3", Sample: 0, Accepted: false, LatencyMS: readertest.F(500), Error: "RuntimeError: the tool crashed",
				Usage: readertest.Tokens(mini, 30, 0, 0), Line: 36},
			{ID: "4", Sample: 0, Accepted: false, Score: readertest.F(1), LatencyMS: readertest.F(9000), FailureClass: "token_limit",
				Usage: readertest.Tokens(mini, 400, 600, 0), Line: 44},
			{ID: "5", Sample: 0, Workflow: "billing", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(2000),
				Usage: readertest.Tokens(mini, 80, 12, 0), Line: 51},
		}
		if judge {
			s[1].Score = readertest.F(0.4)
			s[2].Accepted = false
		}
		return s
	}
	logWarnings := []string{
		`FILE: token usage of "openai/gpt-4o" is not readkit.Counted: only the evaluated model "openai/gpt-4.1-mini" is priced`,
		"FILE: inspect input has no cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (computed from token usage at the policy's prices)",
	}
	numericSamples := func(threshold float64) []scorecard.Sample {
		return []scorecard.Sample{
			{ID: "inv-1", Accepted: 1 >= threshold, Score: readertest.F(1), CostUSD: readertest.F(0.0015), LatencyMS: readertest.F(3200), Line: 6},
			{ID: "inv-2", Accepted: 0.8 >= threshold, Score: readertest.F(0.8), CostUSD: readertest.F(0.0014), LatencyMS: readertest.F(2800), Line: 9},
			{ID: "inv-3", Accepted: 0.95 >= threshold, Score: readertest.F(0.95), CostUSD: readertest.F(0.0013), LatencyMS: readertest.F(2500), Line: 12},
		}
	}
	numericWarnings := []string{
		"FILE: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured)",
	}
	readertest.RunCases(t, []readertest.Case{
		{
			Name: "match scorer", File: "log.json", Opts: scorecard.ReadOptions{Scorer: "match"},
			Format: "inspect", System: logSystem, Run: logRun,
			Samples: logSamples(false, false), Warnings: logWarnings,
		},
		{
			Name: "match scorer, partial accepted", File: "log.json", Opts: scorecard.ReadOptions{Scorer: "match", PartialAccepted: true},
			Format: "inspect", System: logSystem, Run: logRun,
			Samples: logSamples(true, false), Warnings: logWarnings,
		},
		{
			// A numeric and boolean scorer: 1, 1.0 and true are accepted,
			// 0.4 and 0.5 are below the default threshold of 1.
			Name: "judge scorer", File: "log.json", Opts: scorecard.ReadOptions{Scorer: "judge"},
			Format: "inspect", System: logSystem, Run: logRun,
			Samples: logSamples(false, true), Warnings: logWarnings,
		},
		{
			Name: "numeric, default threshold", File: "numeric.json",
			Format: "inspect", System: scorecard.System{Name: haiku, Model: haiku}, Run: scorecard.Run{ID: "run-num", Dataset: "extract"},
			Samples: numericSamples(1), Warnings: numericWarnings,
		},
		{
			Name: "numeric, threshold 0.9", File: "numeric.json", Opts: scorecard.ReadOptions{AcceptThreshold: readertest.F(0.9)},
			Format: "inspect", System: scorecard.System{Name: haiku, Model: haiku}, Run: scorecard.Run{ID: "run-num", Dataset: "extract"},
			Samples: numericSamples(0.9), Warnings: numericWarnings,
		},
		{
			Name: "cancelled run", File: "cancelled.json",
			Format: "inspect", System: logSystem, Run: scorecard.Run{ID: "run-c", Dataset: "support_qa"},
			Samples: []scorecard.Sample{
				{ID: "1", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1000), Line: 7},
				{ID: "2", Accepted: false, Score: readertest.F(0), LatencyMS: readertest.F(1000), Line: 8},
			},
			Warnings: []string{
				`FILE: the Inspect run ended with status "cancelled": KeyboardInterrupt; its samples may be incomplete`,
				`FILE: 1 sample has no "match" score and no error, so left out: "3"`,
				"FILE: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured)",
			},
		},
	})
}

// makeZip builds a zip archive from member names and contents, in order.
func makeZip(t *testing.T, members ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(members); i += 2 {
		w, err := zw.Create(members[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(members[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const evalHeader = `{"version": 2, "status": "success",
 "eval": {"run_id": "zip-run", "task": "popularity", "dataset": {"name": "popularity"}, "model": "openai/gpt-4o-mini"},
 "results": {"total_samples": 3}}`

func TestImportInspectArchive(t *testing.T) {
	const model = "openai/gpt-4o-mini"
	sample := func(id string, epoch int, value string, extra string) string {
		return `{"id": ` + id + `, "epoch": ` + string(rune('0'+epoch)) + `, "scores": {"match": {"value": ` + value + `}}` + extra + `}`
	}
	usage := `, "model_usage": {"openai/gpt-4o-mini": {"input_tokens": 60, "output_tokens": 2, "total_tokens": 62}}`
	tests := []struct {
		name     string
		data     []byte
		opts     scorecard.ReadOptions
		want     []scorecard.Sample
		warnings []string
	}{
		{
			// Members in no useful order (as Inspect writes them): the
			// samples come out sorted by id, integers first, then epoch.
			name: "header and samples",
			data: makeZip(t,
				"_journal/start.json", `{"version": 2, "eval": {"model": "openai/gpt-4o-mini"}}`,
				"samples/10_epoch_1.json", sample("10", 1, `"C"`, usage+`, "total_time": 0.5`),
				"samples/b_epoch_2.json", sample(`"b"`, 2, `"I"`, usage),
				"samples/2_epoch_1.json", sample("2", 1, `"I"`, usage+`, "error": {"message": "boom"}`),
				"samples/b_epoch_1.json", sample(`"b"`, 1, `"C"`, usage),
				"summaries.json", `[]`,
				"reductions.json", `[]`,
				"header.json", evalHeader,
			),
			want: []scorecard.Sample{
				{ID: "2", Accepted: false, Score: readertest.F(0), Error: "boom", Usage: readertest.Tokens(model, 60, 2, 0)},
				{ID: "10", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(500), Usage: readertest.Tokens(model, 60, 2, 0)},
				{ID: "b", Sample: 0, Accepted: true, Score: readertest.F(1), Usage: readertest.Tokens(model, 60, 2, 0)},
				{ID: "b", Sample: 1, Accepted: false, Score: readertest.F(0), Usage: readertest.Tokens(model, 60, 2, 0)},
			},
			warnings: []string{
				"log.eval: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost (computed from token usage at the policy's prices)",
			},
		},
		{
			// A run still in progress has no header.json yet: the eval
			// comes from the journal, and the status is "started".
			name: "journal only",
			data: makeZip(t,
				"_journal/start.json", `{"version": 2, "eval": {"run_id": "zip-run", "task": "popularity", "model": "openai/gpt-4o-mini"}}`,
				"samples/1_epoch_1.json", sample("1", 1, `"C"`, `, "total_time": 1`),
			),
			want: []scorecard.Sample{{ID: "1", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1000)}},
			warnings: []string{
				`log.eval: the Inspect run ended with status "started"; its samples may be incomplete`,
				"log.eval: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured)",
			},
		},
		{
			name: "summaries when there are no sample members",
			data: makeZip(t,
				"header.json", evalHeader,
				"summaries.json", `[`+sample("1", 1, `"C"`, `, "limit": "time"`)+`, `+sample("2", 1, `1.0`, "")+`]`,
			),
			want: []scorecard.Sample{
				{ID: "1", Accepted: false, Score: readertest.F(1), FailureClass: "time_limit"},
				{ID: "2", Accepted: true, Score: readertest.F(1)},
			},
			warnings: []string{
				"log.eval: the archive has no samples/ members; reading the sample summaries instead",
				"log.eval: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured); latency (the latency constraint is not measured)",
			},
		},
		{
			// An archive cut off while running keeps its summaries in the
			// journal, one member per flush, and has no summaries.json.
			name: "journal summaries when there is nothing else",
			data: makeZip(t,
				"header.json", evalHeader,
				"_journal/summaries/2.json", `[`+sample("2", 1, `"I"`, "")+`]`,
				"_journal/summaries/1.json", `[`+sample("1", 1, `"C"`, "")+`, `+sample("1", 2, `"C"`, "")+`]`,
			),
			want: []scorecard.Sample{
				{ID: "1", Accepted: true, Score: readertest.F(1)},
				{ID: "1", Sample: 1, Accepted: true, Score: readertest.F(1)},
				{ID: "2", Accepted: false, Score: readertest.F(0)},
			},
			warnings: []string{
				"log.eval: the archive has no samples/ members; reading the sample summaries instead",
				"log.eval: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured); latency (the latency constraint is not measured)",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc, err := scorecard.Read("log.eval", tc.data, scorecard.ReadOptions{Format: "auto"})
			if err != nil {
				t.Fatal(err)
			}
			if sc.Format != "inspect" {
				t.Errorf("Format = %q, want inspect", sc.Format)
			}
			if diff := cmp.Diff(tc.want, sc.Samples); diff != "" {
				t.Errorf("Samples mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.warnings, sc.Warnings); diff != "" {
				t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
			}
			if sc.System.Name != model {
				t.Errorf("System.Name = %q, want %q", sc.System.Name, model)
			}
		})
	}
}

func TestImportInspectArchiveErrors(t *testing.T) {
	good := `{"id": 1, "epoch": 1, "scores": {"match": {"value": "C"}}}`
	zipped := makeZip(t, "header.json", evalHeader, "samples/1_epoch_1.json", good)
	tests := []struct {
		name string
		data []byte
		opts scorecard.ReadOptions
		want string
	}{
		{
			name: "truncated archive",
			data: zipped[:len(zipped)-30],
			want: "log.eval: not a readable .eval archive: zip: not a valid zip file",
		},
		{
			name: "malformed sample member",
			data: makeZip(t, "header.json", evalHeader,
				"samples/1_epoch_1.json", good,
				"samples/2_epoch_1.json", "{\"id\": 2,\n \"epoch\": 1,\n \"scores\": {\"match\": {\"value\": C}}}"),
			want: "log.eval: samples/2_epoch_1.json:3:32: malformed JSON: invalid character 'C' looking for beginning of value",
		},
		{
			name: "bad score in a member",
			data: makeZip(t, "header.json", evalHeader,
				"samples/1_epoch_1.json", `{"id": 1, "epoch": 1, "scores": {"match": {"value": "maybe"}}}`),
			want: `log.eval: samples/1_epoch_1.json:1:53: sample "1": scorer "match" gives "maybe", which is not a value ftgate reads as accepted (C, I, P, N, yes, no, true, false or a number)`,
		},
		{
			name: "malformed header",
			data: makeZip(t, "header.json", `{"status": "success", "eval": [1]}`, "samples/1_epoch_1.json", good),
			want: "log.eval: header.json:1:31: eval must be a JSON object, found an array",
		},
		{
			name: "two header members",
			data: makeZip(t, "header.json", evalHeader, "samples/1_epoch_1.json", good, "header.json", `{"status": "success", "eval": {"model": "other"}}`),
			want: `log.eval: the .eval archive has two members named "header.json"; Inspect writes each once, so the archive was altered after it was written`,
		},
		{
			name: "no header",
			data: makeZip(t, "samples/1_epoch_1.json", good),
			want: "log.eval: the .eval archive has neither header.json nor _journal/start.json: is it an Inspect log?",
		},
		{
			name: "no samples",
			data: makeZip(t, "header.json", evalHeader, "reductions.json", "[]"),
			want: `log.eval: the .eval archive holds no samples (run status "success")`,
		},
		{
			name: "unknown scorer",
			data: zipped,
			opts: scorecard.ReadOptions{Scorer: "mach"},
			want: `log.eval: no scorer "mach" in this file (it has "match"); did you mean "match"?`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := tc.opts
			o.Format = "inspect"
			_, err := scorecard.Read("log.eval", tc.data, o)
			if err == nil {
				t.Fatal("Read succeeded, want an error")
			}
			if !scorecard.IsInputError(err) {
				t.Errorf("error %T is not an input error", err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A small archive of highly compressible members (a zip bomb) is refused
// once what it decompresses to exceeds the budget, before it is all read.
func TestImportInspectArchiveBudget(t *testing.T) {
	// Not parallel: it lowers the package's limits.
	ratio, minBytes, maxBytes, maxMembers := archiveRatio, archiveMinBytes, archiveMaxBytes, archiveMaxMembers
	t.Cleanup(func() {
		archiveRatio, archiveMinBytes, archiveMaxBytes, archiveMaxMembers = ratio, minBytes, maxBytes, maxMembers
	})
	sample := func(id int) string {
		// 256 KiB of white space compresses to almost nothing.
		return `{"id": ` + strconv.Itoa(id) + `, "epoch": 1, "scores": {"match": {"value": "C"}}}` + strings.Repeat(" ", 256<<10)
	}
	members := []string{"header.json", evalHeader}
	for i := 1; i <= 8; i++ {
		members = append(members, "samples/"+strconv.Itoa(i)+"_epoch_1.json", sample(i))
	}
	bomb := makeZip(t, members...)
	if len(bomb) > 64<<10 {
		t.Fatalf("test archive is %d bytes; want a small one", len(bomb))
	}

	// The real limits read it: 2 MiB is well under the 64 MiB floor.
	if sc, err := scorecard.Read("log.eval", bomb, scorecard.ReadOptions{}); err != nil || len(sc.Samples) != 8 {
		t.Fatalf("with the default budget: %v", err)
	}

	// A budget of 1 MiB: the fourth sample no longer fits.
	archiveRatio, archiveMinBytes, archiveMaxBytes = 200, 1<<20, 1<<30
	if got := archiveLimit(int64(len(bomb))); got != 1<<20 {
		t.Fatalf("archiveLimit(%d) = %d, want the 1 MiB floor", len(bomb), got)
	}
	_, err := scorecard.Read("log.eval", bomb, scorecard.ReadOptions{})
	want := fmt.Sprintf("log.eval: samples/4_epoch_1.json: the archive's members decompress to more than 1 MiB, the most ftgate reads from a %s archive (200 times its size, at least 1 MiB, at most 1 GiB); refusing it as a possible zip bomb", readkit.ByteSize(int64(len(bomb))))
	if err == nil || err.Error() != want || !scorecard.IsInputError(err) {
		t.Errorf("error = %v\nwant %s", err, want)
	}

	// The ratio and the ceiling: 10 times a 100 KiB archive is 1000 KiB,
	// capped at 512 KiB.
	archiveRatio, archiveMinBytes, archiveMaxBytes = 10, 0, 512<<10
	if got := archiveLimit(100 << 10); got != 512<<10 {
		t.Errorf("archiveLimit(100 KiB) = %d, want the 512 KiB ceiling", got)
	}
	archiveMaxBytes = 1 << 30
	if got := archiveLimit(100 << 10); got != 1000<<10 {
		t.Errorf("archiveLimit(100 KiB) = %d, want 10 times", got)
	}

	// Too many members.
	archiveRatio, archiveMinBytes, archiveMaxBytes, archiveMaxMembers = ratio, minBytes, maxBytes, 5
	_, err = scorecard.Read("log.eval", bomb, scorecard.ReadOptions{})
	if want := "log.eval: the .eval archive has 9 members, more than the 5 ftgate reads"; err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// A log whose samples all failed before they were scored (an error or a
// limit, no score) is read: every sample is kept and not accepted, and no
// one is told to rescore what never ran.
func TestImportInspectErroredOnly(t *testing.T) {
	const model = "anthropic/claude-haiku-4-5"
	readertest.RunCases(t, []readertest.Case{{
		Name: "errored", File: "errored.json", Format: "inspect",
		System: scorecard.System{Name: model, Model: model}, Run: scorecard.Run{ID: "run-err", Dataset: "triage"},
		Samples: []scorecard.Sample{
			{ID: "t-1", Accepted: false, LatencyMS: readertest.F(200), Error: "APIConnectionError: connection refused", Line: 7},
			{ID: "t-2", Accepted: false, LatencyMS: readertest.F(300), Error: "APIConnectionError: connection refused", Line: 8},
			{ID: "t-3", Accepted: false, LatencyMS: readertest.F(60000), FailureClass: "time_limit", Line: 9},
		},
		Warnings: []string{
			`FILE: the Inspect run ended with status "error": the model provider was unreachable; its samples may be incomplete`,
			"FILE: no sample has a score: all 3 ended with an error or a limit, so none is accepted",
			"FILE: inspect input has no workflow (no per-workflow segments); cluster (cases are treated as independent); schema_valid (the format constraint is not measured); cost or token usage (the cost check is not measured)",
		},
	}})
}
