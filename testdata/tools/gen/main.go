// Command gen writes the end-to-end fixtures under testdata/tools: for
// each eval tool whose current output ftgate reads, a baseline and a
// candidate in that tool's format and a gate.yaml whose importers block
// sets the reader options. The CLI and Action tests gate each pair.
//
//	go run ./testdata/tools/gen
//
// The outcomes come from a seeded generator, so the files are the same on
// every run (the .eval archives too, for one version of the zstd encoder).
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"
)

// cases is how many cases each scenario has: enough for the gate's tests
// to decide.
const cases = 60

var root = filepath.Join("testdata", "tools")

func main() {
	rng := rand.New(rand.NewPCG(2026, 5))
	// Each case's outcome on each side: the candidate fixes most of the
	// baseline's failures and breaks few of its successes.
	base := make([]bool, cases)
	cand := make([]bool, cases)
	for i := range base {
		base[i] = rng.Float64() < 0.7
		cand[i] = base[i] && rng.Float64() < 0.97 || !base[i] && rng.Float64() < 0.8
	}
	inspectScenario(base, cand)
	deepevalScenario(base, cand)
	promptABScenario(base, cand)
	providersScenario(base, cand)
}

func write(dir, name string, data []byte) {
	path := filepath.Join(root, dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func mustJSON(v any, indent bool) []byte {
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// question is the text of case i.
func question(i int) string {
	topics := []string{"a refund", "a late parcel", "a broken item", "a gift card", "an address change", "a missing invoice"}
	return fmt.Sprintf("Customer %d asks about %s.", i+1, topics[i%len(topics)])
}

// inspectScenario writes two current Inspect logs (every member
// Zstandard-compressed) scored by two scorers; the policy picks one.
func inspectScenario(base, cand []bool) {
	for _, side := range []struct {
		file, model string
		ok          []bool
		in, out     int64
	}{{"baseline.eval", "openai/gpt-4.1", base, 400, 120}, {"candidate.eval", "openai/ft:gpt-4.1-mini:acme:support:x1", cand, 380, 90}} {
		members := map[string]any{}
		eval := map[string]any{"run_id": "run-" + side.file, "task": "support_qa", "model": side.model,
			"dataset": map[string]any{"name": "support-questions", "samples": cases}, "created": "2026-05-30T09:00:00+00:00"}
		members["_journal/start.json"] = map[string]any{"version": 2, "eval": eval}
		members["header.json"] = map[string]any{"version": 2, "status": "success", "eval": eval,
			"results": map[string]any{"total_samples": cases, "completed_samples": cases}}
		var summaries []any
		for i, ok := range side.ok {
			match, judge := "I", 0.2
			if ok {
				match, judge = "C", 0.9
			}
			s := map[string]any{"id": i + 1, "epoch": 1, "input": question(i), "target": "the policy",
				"scores":      map[string]any{"match": map[string]any{"value": match}, "judge": map[string]any{"value": judge}},
				"metadata":    map[string]any{"workflow": []string{"refunds", "shipping"}[i%2]},
				"model_usage": map[string]any{side.model: map[string]any{"input_tokens": side.in + int64(i), "output_tokens": side.out, "total_tokens": side.in + int64(i) + side.out}},
				"total_time":  1.5 + float64(i%7)/10}
			members[fmt.Sprintf("samples/%d_epoch_1.json", i+1)] = s
			summaries = append(summaries, map[string]any{"id": i + 1, "epoch": 1, "scores": s["scores"]})
		}
		members["summaries.json"] = summaries
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		zw.RegisterCompressor(zstd.ZipMethodWinZip, zstd.ZipCompressor(zstd.WithEncoderConcurrency(1)))
		names := []string{"_journal/start.json"}
		for i := range side.ok {
			names = append(names, fmt.Sprintf("samples/%d_epoch_1.json", i+1))
		}
		names = append(names, "summaries.json", "header.json")
		for _, n := range names {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zstd.ZipMethodWinZip, Modified: time.Date(2026, 5, 30, 9, 0, 0, 0, time.UTC)})
			if err != nil {
				log.Fatal(err)
			}
			w.Write(mustJSON(members[n], false))
		}
		if err := zw.Close(); err != nil {
			log.Fatal(err)
		}
		write("inspect-zstd", side.file, b.Bytes())
	}
	write("inspect-zstd", "gate.yaml", []byte(`# Two Inspect logs written by inspect_ai 0.3.206 or later (zstd members).
# Both carry two scorers; the importers block picks one for both sides.
importers:
  scorer: match
pricing:
  openai/gpt-4.1: {input_per_mtok: 2.0, output_per_mtok: 8.0}
  openai/ft:gpt-4.1-mini:acme:support:x1: {input_per_mtok: 0.8, output_per_mtok: 3.2}
`))
}

// deepevalScenario writes two DeepEval test runs, as deepeval test run
// leaves them in .deepeval/.latest_test_run.json.
func deepevalScenario(base, cand []bool) {
	for _, side := range []struct {
		file, model string
		ok          []bool
		cost, time  float64
	}{{"baseline.json", "gpt-4.1", base, 0.0021, 2.4}, {"candidate.json", "ft:gpt-4.1-mini:acme:support:x1", cand, 0.0007, 1.1}} {
		var tcs []any
		for i, ok := range side.ok {
			score := 0.4
			if ok {
				score = 0.85
			}
			name := fmt.Sprintf("test_support[case-%02d]", i+1)
			if i%5 == 4 {
				name = fmt.Sprintf("test_case_%d", i) // unnamed: identified by the input
			}
			tcs = append(tcs, map[string]any{"name": name, "input": question(i), "actualOutput": "An answer.",
				"success": ok, "tokenCost": side.cost, "completionTime": side.time + float64(i%4)/10,
				"metricsData": []any{map[string]any{"name": "Answer Relevancy", "threshold": 0.7, "success": ok, "score": score,
					"evaluationModel": "gpt-4o-mini", "evaluationCost": 0.0004}},
				"runDuration": 3.2, "evaluationCost": 0.0004, "order": i})
		}
		run := map[string]any{"testFile": "tests/test_support.py", "testCases": tcs, "conversationalTestCases": []any{},
			"hyperparameters": map[string]any{"model": side.model}, "runDuration": 200.0, "evaluationCost": 0.024}
		write("deepeval", side.file, mustJSON(map[string]any{"testRunData": run}, false))
	}
	write("deepeval", "gate.yaml", []byte(`# Two DeepEval test runs (.deepeval/.latest_test_run.json of each).
importers:
  format: deepeval
`))
}

func promptID(label string) string {
	sum := sha256.Sum256([]byte(label))
	return hex.EncodeToString(sum[:])
}

// promptfooRow is one result row of promptfoo's JSON output.
func promptfooRow(test, promptIdx int, provider map[string]any, label string, ok bool, cost float64, tokens [2]int64, latency int) map[string]any {
	score, reason := 0, 1
	if ok {
		score, reason = 1, 0
	}
	vars := map[string]any{"question": question(test)}
	return map[string]any{
		"id": fmt.Sprintf("row-%d-%d", test, promptIdx), "testIdx": test, "promptIdx": promptIdx, "promptId": promptID(label),
		"prompt": map[string]any{"raw": label, "label": label}, "provider": provider, "vars": vars,
		"testCase": map[string]any{"description": fmt.Sprintf("case %02d", test+1), "vars": vars},
		"response": map[string]any{"output": "An answer."}, "success": ok, "score": score, "failureReason": reason,
		"latencyMs": latency, "cost": cost,
		"tokenUsage": map[string]any{"prompt": tokens[0], "completion": tokens[1], "total": tokens[0] + tokens[1], "numRequests": 1},
		"gradingResult": map[string]any{"pass": ok, "score": score, "reason": "",
			"componentResults": []any{map[string]any{"pass": ok, "score": score, "assertion": map[string]any{"type": "llm-rubric", "metric": "helpful"}}}},
	}
}

// promptfooDoc writes the document in promptfoo's order of keys.
func promptfooDoc(evalID, description string, rows []any) []byte {
	type results struct {
		Version   int            `json:"version"`
		Timestamp string         `json:"timestamp"`
		Results   []any          `json:"results"`
		Stats     map[string]any `json:"stats"`
	}
	type doc struct {
		EvalID  string         `json:"evalId"`
		Results results        `json:"results"`
		Config  map[string]any `json:"config"`
	}
	return mustJSON(doc{evalID, results{3, "2026-05-30T09:00:00.000Z", rows, map[string]any{}}, map[string]any{"description": description}}, false)
}

// promptABScenario writes one promptfoo file in which one provider ran two
// prompts: prompt v1 (the baseline) and prompt v2 (the candidate).
func promptABScenario(base, cand []bool) {
	const v1 = "Answer the customer: {{question}}"
	const v2 = "You are the support desk. Check the policy first, then answer: {{question}}"
	provider := map[string]any{"id": "openai:chat:gpt-4.1-mini"}
	var rows []any
	for i := range base {
		rows = append(rows, promptfooRow(i, 0, provider, v1, base[i], 0.0009, [2]int64{300, 120}, 900))
		rows = append(rows, promptfooRow(i, 1, provider, v2, cand[i], 0.0006, [2]int64{260, 70}, 700))
	}
	write("promptfoo-prompts", "results.json", promptfooDoc("eval-prompt-ab", "support desk: prompt v1 against v2", rows))
	write("promptfoo-prompts", "gate.yaml", []byte(`# One promptfoo file, one provider, two prompts: each side is a prompt,
# by its index (0 is the first), label or promptfoo's id for it.
importers:
  baseline: {prompt: "0"}
  candidate: {prompt: "1"}
`))
}

// providersScenario writes one promptfoo file in which two providers (a
// base model and a fine-tune, each labelled) each ran two prompts.
func providersScenario(base, cand []bool) {
	const concise = "concise: {{question}}"
	const detailed = "detailed: explain the policy, then answer {{question}}"
	baseP := map[string]any{"id": "openai:chat:gpt-4.1", "label": "base"}
	tuned := map[string]any{"id": "openai:chat:ft:gpt-4.1-mini:acme:support:x1", "label": "tuned"}
	var rows []any
	idx := 0
	for _, p := range []struct {
		provider map[string]any
		ok       []bool
		cost     float64
	}{{baseP, base, 0.002}, {tuned, cand, 0.0008}} {
		for k, label := range []string{concise, detailed} {
			for i := range p.ok {
				ok := p.ok[i]
				if k == 1 {
					ok = !ok && i%3 == 0 || ok
				}
				rows = append(rows, promptfooRow(i, idx, p.provider, label, ok, p.cost*float64(k+1), [2]int64{200, 80}, 800))
			}
			idx++
		}
	}
	write("promptfoo-providers", "results.json", promptfooDoc("eval-providers", "base and fine-tuned model, two prompts each", rows))
	write("promptfoo-providers", "gate.yaml", []byte(`# One promptfoo file, two providers by two prompts: the baseline is the
# base model, the candidate the fine-tune (the Action's baseline-provider
# and candidate-provider inputs, or the importers block, say which), both
# with the concise prompt.
importers:
  prompt: "concise: {{question}}"
  baseline: {provider: base}
  candidate: {provider: tuned}
`))
}
