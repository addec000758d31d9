package cli_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ftgate/ftgate/internal/cli"
	"github.com/ftgate/ftgate/internal/visible"
)

// hostile is text that a GitHub runner would execute as workflow commands
// (a line starting with "::", "##[" anywhere), or a terminal act on, if
// ftgate printed it as it is: a newline, a carriage return, the line
// separators U+2028 and U+0085 before a command, C1 and bidi controls,
// escape sequences. Every test below puts it somewhere in an input and
// checks every stream and file that comes out.
const hostile = "k\n::error title=X::forged\r::set-output name=verdict::pass\u2028::add-mask::ftgate\u0085::notice::nel ##[error]forged" +
	"\u009b2J\u202eevil\u2066\x1b[2J\x1b]0;t\x07\t::warning::tab\n  ::error::forged "

// ownCommand is the only workflow command ftgate writes: its annotations,
// on standard output.
var ownCommand = regexp.MustCompile(`^::(error|warning|notice) title=ftgate[^:]*::`)

// A guardedRun is what one command printed and wrote.
type guardedRun struct {
	args           []string
	code           int
	stdout, stderr string
	files          map[string][]byte
}

func (r guardedRun) String() string {
	return fmt.Sprintf("ftgate %q: exit %d\nstdout:\n%s\nstderr:\n%s", r.args, r.code, r.stdout, r.stderr)
}

// shows reports whether the hostile text reached the output (so the check
// is not vacuous).
func (r guardedRun) shows() bool {
	return strings.Contains(r.stdout+r.stderr, "forged")
}

// runGuarded runs ftgate inside a simulated GitHub Actions step whose
// environment files are in dir, and collects every file it wrote there.
func runGuarded(t *testing.T, dir string, env map[string]string, args ...string) guardedRun {
	t.Helper()
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": filepath.Join(dir, "github-output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "github-summary")}
	for k, v := range env {
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }})
	r := guardedRun{args: args, code: code, stdout: stdout.String(), stderr: stderr.String(), files: map[string][]byte{}}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "out-") || strings.HasPrefix(e.Name(), "github-") {
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			r.files[e.Name()] = data
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return r
}

// lines splits text the way the runner does: at \n, \r and \r\n.
func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}

// checkInert fails when the runner would execute any line of r other than
// ftgate's own annotations, when a stream carries a raw control or
// direction character, or when a file holds "##[" or a command line.
func checkInert(t *testing.T, r guardedRun) {
	t.Helper()
	for _, s := range []struct{ name, text string }{{"stdout", r.stdout}, {"stderr", r.stderr}} {
		for _, line := range lines(s.text) {
			own := s.name == "stdout" && ownCommand.MatchString(line) && !strings.Contains(line, "##[")
			if visible.IsCommandLine(line) && !own {
				t.Errorf("%s line %q reads as a workflow command\n%s", s.name, line, r)
			}
		}
		if !utf8.ValidString(s.text) || strings.ContainsFunc(s.text, func(c rune) bool { return c != '\n' && c != '\t' && visible.Unsafe(c) }) {
			t.Errorf("%s holds a raw control, separator or direction character or invalid UTF-8\n%s", s.name, r)
		}
	}
	for name, data := range r.files {
		if bytes.Contains(data, []byte("##[")) {
			t.Errorf("file %s holds ##[\n%s", name, r)
		}
		for _, line := range lines(string(data)) {
			if visible.IsCommandLine(line) {
				t.Errorf("file %s: line %q reads as a workflow command\n%s", name, line, r)
			}
		}
	}
}

// jsonString writes s as the inside of a JSON string: quotes, backslashes
// and C0 controls escaped, everything else (C1, separators, bidi, invalid
// bytes) raw, as a hostile writer would.
func jsonString(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// yamlString writes s as a YAML double-quoted scalar.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case visible.Unsafe(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// evalArchive zips members (name → content) into an Inspect .eval file.
func evalArchive(t *testing.T, members [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.Create(m[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, m[1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nativeCases writes a native scorecard: n cases per workflow, the first
// accepted ones of each given by accepted.
func nativeCases(system, role string, ids func(w, i int) string, workflows []string, accepted func(w, i int) bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"scorecard":1,"system":{"name":"%s","role":"%s","model":"m"}}`+"\n", jsonString(system), role)
	for w, wf := range workflows {
		for i := range 40 {
			fmt.Fprintf(&b, `{"id":"%s","workflow":"%s","cluster":"c%d-%d","accepted":%v,"cost_usd":0.001,"latency_ms":100,"failure_class":"%s"}`+"\n",
				jsonString(ids(w, i)), jsonString(wf), w, i/2, accepted(w, i), jsonString(map[bool]string{true: "", false: hostile + "class"}[accepted(w, i)]))
		}
	}
	return []byte(b.String())
}

// TestHostileTextNeverForgesCommands puts the hostile text in every place
// of every input that reaches a message (names, ids, workflows, columns,
// labels, metric, scorer and model names, archive members, policy keys,
// flag values, file names, the GitHub API's answer) and runs every
// command on it. Each case must show the text (so the check bites) and
// leave nothing a runner would execute.
func TestHostileTextNeverForgesCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := func(name string, data []byte) string { return writeFile(t, filepath.Join(dir, name), data) }
	ids := func(w, i int) string { return fmt.Sprintf("case-%d-%d", w, i) }
	hostileIDs := func(w, i int) string {
		if i < 30 {
			return ids(w, i)
		}
		return fmt.Sprintf("%s%d-%d", hostile, w, i)
	}
	wfs := []string{hostile + "wf", "plain"}
	base := in("base.jsonl", nativeCases(hostile+"base", "baseline", ids, wfs, func(w, i int) bool { return i < 38 }))
	cand := in("cand.jsonl", nativeCases(hostile+"cand", "candidate", ids, wfs, func(w, i int) bool { return w == 1 || i < 10 }))
	swapped := in("swapped.jsonl", nativeCases(hostile+"cand", "baseline", ids, wfs, func(w, i int) bool { return w == 1 || i < 10 }))
	odd := in("odd.jsonl", nativeCases(hostile+"odd", "candidate", hostileIDs, wfs, func(w, i int) bool { return true }))
	dupID := in("dup.jsonl", []byte(`{"id":"`+jsonString(hostile)+`","accepted":true}`+"\n"+`{"id":"`+jsonString(hostile)+`","accepted":false}`+"\n"))
	field := in("field.jsonl", []byte(`{"id":"a","accepted":true,"`+jsonString(hostile)+`":1}`+"\n"))
	badValue := in("value.jsonl", []byte(`{"id":"a","accepted":"`+jsonString(hostile)+`"}`+"\n"))
	invalid := in("invalid.jsonl", []byte("{\"id\":\"a\xff\xfe\",\"accepted\":true,\"k\xff"+jsonString(hostile)+"\":1}\n"))
	csvCol := in("cols.csv", []byte("id,accepted,\""+strings.ReplaceAll(hostile, `"`, `""`)+"\"\na,true,1\n"))
	csvVal := in("vals.csv", []byte("id,accepted\na,\""+strings.ReplaceAll(hostile, `"`, `""`)+"\"\n"))
	promptfoo := in("pf.json", []byte(`{"evalId":"e","results":{"version":3,"results":[
  {"success":true,"testIdx":0,"promptIdx":0,"provider":{"id":"`+jsonString(hostile)+`a","label":"`+jsonString(hostile)+`"},"testCase":{"description":"`+jsonString(hostile)+`"}},
  {"success":true,"testIdx":0,"promptIdx":1,"provider":{"id":"`+jsonString(hostile)+`b","label":""},"testCase":{"description":"`+jsonString(hostile)+`"}}
]}}`))
	lmeval := in("samples_"+"task_2026-01-02T03-04-05.123456.jsonl", []byte(`{"doc_id": 0, "doc": {}, "target": 1, "filtered_resps": [], "filter": "none", "metrics": ["`+
		jsonString(hostile)+`"], "`+jsonString(hostile)+`": [1, 1]}`+"\n"))
	inspect := in("inspect.json", []byte(`{"version": 2, "status": "success", "eval": {"model": "`+jsonString(hostile)+`model", "run_id": "r"}, "samples": [
  {"id": "`+jsonString(hostile)+`", "epoch": 1, "scores": {"`+jsonString(hostile)+`": {"value": "C"}, "second": {"value": "`+jsonString(hostile)+`"}},
   "model_usage": {"`+jsonString(hostile)+`": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}}}
]}`))
	header := `{"version": 2, "status": "success", "eval": {"model": "openai/m", "run_id": "r", "task": "t"}}`
	sample := `{"id": 1, "epoch": 1, "scores": {"s": {"value": "C"}}, "model_usage": {"` + jsonString(hostile) + `": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}}}`
	evalMember := in("member.eval", evalArchive(t, [][2]string{{"header.json", header}, {"samples/" + hostile + "_epoch_1.json", "{" + jsonString(hostile)}}))
	evalHeaders := in("headers.eval", evalArchive(t, [][2]string{{"header.json", header}, {hostile + "/header.json", header}, {"samples/1_epoch_1.json", sample}}))
	openai := in("openai.jsonl", []byte(`{"run_id": "r1", "event_id": 0, "sample_id": "`+jsonString(hostile)+`", "type": "match", "data": {"correct": "`+jsonString(hostile)+`"}}`+"\n"))
	policyKey := in("key.yaml", []byte("alpha: 0.05\n"+yamlString(hostile)+": 1\nquality:\n  "+yamlString(hostile+"gain")+": 0.1\n"))
	policyValue := in("value.yaml", []byte("inconclusive: "+yamlString(hostile)+"\n"))
	pricing := in("pricing.yaml", []byte("pricing:\n  "+yamlString(hostile)+": {input_per_mtok: 1, output_per_mtok: 1}\n  "+
		yamlString(hostile+".input_per_mtok")+": 1\n"))
	mix := in("mix.yaml", []byte("checklist: {production_mix: {"+yamlString(hostile)+": 1}}\nsegments: {min_cases: 5}\n"))
	outputs := func() []string {
		return []string{"--json", filepath.Join(dir, "out-r.json"), "--markdown", filepath.Join(dir, "out-r.md"),
			"--junit", filepath.Join(dir, "out-r.xml"), "--plot", filepath.Join(dir, "out-r.svg"), "--html", filepath.Join(dir, "out-r.html")}
	}
	compare := func(b, c string, extra ...string) []string {
		return append(append([]string{"compare", "--baseline", b, "--candidate", c}, outputs()...), extra...)
	}

	// The GitHub API answers the comment with a hostile error message.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"message": "%s"}`, jsonString(hostile))
	}))
	defer api.Close()
	event := in("event.json", []byte(`{"pull_request": {"number": 7}}`))
	commentEnv := map[string]string{"FTGATE_COMMENT": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
		"GITHUB_API_URL": api.URL, "GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "tok"}

	for _, tc := range []struct {
		name  string
		env   map[string]string
		args  []string
		quiet bool // prints no input text: checked for inertness only
	}{
		{"system names, workflows, failure classes in every report", nil, compare(base, cand), false},
		{"the same with the sticky comment refused by the API", commentEnv, compare(base, cand), false},
		{"swapped roles", nil, compare(base, swapped), false},
		{"swapped roles ignored", nil, compare(base, swapped, "--ignore-roles"), false},
		{"unmatched ids", nil, compare(base, odd), false},
		{"unmatched ids allowed", nil, compare(base, odd, "--policy", in("allow.yaml", []byte("pairing: {allow_unmatched: true}\n"))), false},
		{"production mix and segments", nil, compare(base, cand, "--policy", mix), false},
		{"duplicate ids", nil, []string{"validate", dupID}, false},
		{"field name", nil, []string{"validate", field}, false},
		{"field name in compare", nil, compare(field, cand), false},
		{"field value", nil, []string{"validate", badValue}, false},
		{"invalid UTF-8", nil, []string{"validate", invalid}, false},
		{"lenient field name", nil, []string{"validate", "--lenient", field}, false},
		{"CSV column", nil, []string{"validate", csvCol}, false},
		{"CSV column, lenient", nil, []string{"validate", "--lenient", csvCol}, false},
		{"CSV value", nil, []string{"validate", csvVal}, false},
		{"CSV id column flag", nil, []string{"validate", "--id-column", hostile, csvCol}, false},
		{"promptfoo providers", nil, []string{"validate", promptfoo}, false},
		{"promptfoo provider flag", nil, []string{"validate", "--provider", hostile, promptfoo}, false},
		{"promptfoo per-side providers", nil, compare(promptfoo, promptfoo, "--baseline-provider", hostile, "--candidate-provider", hostile+"b"), false},
		{"lm-eval metric", nil, []string{"validate", lmeval}, false},
		{"lm-eval metric flag", nil, []string{"validate", "--metric", hostile, lmeval}, false},
		{"Inspect scores and usage keys", nil, []string{"validate", inspect}, false},
		{"Inspect scorer flag", nil, []string{"validate", "--scorer", hostile, inspect}, false},
		{".eval member name", nil, []string{"validate", evalMember}, false},
		{".eval two headers", nil, []string{"validate", evalHeaders}, false},
		{"OpenAI evals", nil, []string{"validate", openai}, false},
		{"policy keys", nil, []string{"validate", policyKey}, false},
		{"policy keys in compare", nil, compare(base, cand, "--policy", policyKey), false},
		{"policy value", nil, []string{"validate", "--policy", policyValue}, false},
		{"pricing model names", nil, []string{"validate", "--policy", pricing, inspect}, false},
		{"power", nil, []string{"power", "--baseline", base, "--candidate", cand}, true},
		{"power on a bad file", nil, []string{"power", "--baseline", field}, false},
		{"format flag", nil, []string{"validate", "--format", hostile, base}, false},
		{"unknown flag", nil, []string{"compare", "--" + strings.ReplaceAll(hostile, "=", "")}, false},
		{"unknown command", nil, []string{hostile}, false},
		{"missing file", nil, []string{"validate", filepath.Join(dir, hostile)}, false},
		{"missing file in compare", nil, compare(filepath.Join(dir, hostile), cand), false},
		{"init into a missing folder", nil, []string{"init", "--out", filepath.Join(dir, hostile, "gate.yaml")}, false},
		{"merge a bad run", nil, []string{"merge", "--into", filepath.Join(dir, "out-evidence.jsonl"), field}, false},
		{"merge runs of two systems", nil, []string{"merge", "--into", filepath.Join(dir, "out-evidence.jsonl"), base, cand}, false},
	} {
		r := runGuarded(t, dir, tc.env, tc.args...)
		checkInert(t, r)
		if !r.shows() && !tc.quiet {
			t.Errorf("%s: the hostile text does not reach the output, so this case checks nothing\n%s", tc.name, r)
		}
		if r.code == 3 {
			t.Errorf("%s: internal error\n%s", tc.name, r)
		}
	}
}

// TestHostileTextInEveryFixture: every quoted string of every scorecard
// fixture in the repository (keys and values, one at a time) is replaced
// by the hostile text followed by itself; validate and, for files that
// are valid, compare must still leave nothing a runner would execute.
func TestHostileTextInEveryFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs the command line a few thousand times")
	}
	t.Parallel()
	root := filepath.Join("..", "..", "scorecard")
	var fixtures []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/testdata/") || strings.Contains(filepath.ToSlash(p), "/fuzz/") {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() < 256<<10 && slices.Contains([]string{".json", ".jsonl", ".csv", ".eval"}, filepath.Ext(p)) {
			fixtures = append(fixtures, p)
		}
		return nil
	})
	// One example stands for the native format at full size (each takes
	// about a second).
	examples, _ := filepath.Glob(filepath.Join("..", "..", "examples", "segment-regression", "*.jsonl"))
	fixtures = append(fixtures, examples...)
	if len(fixtures) < 20 {
		t.Fatalf("only %d fixtures found", len(fixtures))
	}
	dir := t.TempDir()
	runs, shown := 0, 0
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ext := filepath.Ext(path)
		orig := writeFile(t, filepath.Join(dir, "orig"+ext), data)
		valid := runGuarded(t, dir, nil, "validate", orig).code == 0
		for _, m := range mutate(t, data, ext) {
			file := writeFile(t, filepath.Join(dir, "hostile"+ext), m)
			cmds := [][]string{{"validate", file}}
			if valid {
				cmds = append(cmds, []string{"compare", "--baseline", orig, "--candidate", file, "--ignore-roles", "--json", filepath.Join(dir, "out-r.json"),
					"--markdown", filepath.Join(dir, "out-r.md"), "--junit", filepath.Join(dir, "out-r.xml")})
			}
			for _, args := range cmds {
				r := runGuarded(t, dir, nil, args...)
				checkInert(t, r)
				runs++
				if r.shows() {
					shown++
				}
			}
		}
	}
	t.Logf("%d fixtures, %d runs, the hostile text shown in %d", len(fixtures), runs, shown)
	if shown < runs/10 {
		t.Errorf("the hostile text reached the output in only %d of %d runs", shown, runs)
	}
}

// maxMutations bounds the strings replaced per fixture.
const maxMutations = 40

var quoted = regexp.MustCompile(`"([^"\\\n]{1,80})"`)

// mutate returns copies of data, each with one distinct string (a JSON
// string, a CSV cell, or an .eval member's name or string) prefixed with
// the hostile text everywhere it occurs.
func mutate(t *testing.T, data []byte, ext string) [][]byte {
	t.Helper()
	var out [][]byte
	switch ext {
	case ".csv":
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			return nil
		}
		seen := map[string]bool{}
		for _, row := range rows {
			for _, cell := range row {
				if seen[cell] || len(seen) == maxMutations {
					continue
				}
				seen[cell] = true
				var b bytes.Buffer
				w := csv.NewWriter(&b)
				for _, r := range rows {
					r2 := slices.Clone(r)
					for i := range r2 {
						if r2[i] == cell {
							r2[i] = hostile + cell
						}
					}
					w.Write(r2)
				}
				w.Flush()
				out = append(out, b.Bytes())
			}
		}
	case ".eval":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil
		}
		var members [][2]string
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil // a compression this test cannot rewrite
			}
			content, _ := io.ReadAll(rc)
			rc.Close()
			members = append(members, [2]string{f.Name, string(content)})
		}
		for i := range members {
			renamed := slices.Clone(members)
			dir, base := filepath.Split(renamed[i][0])
			renamed[i][0] = dir + hostile + base
			out = append(out, evalArchive(t, renamed))
		}
		var all strings.Builder
		for _, m := range members {
			all.WriteString(m[1])
		}
		for _, s := range distinctQuoted(all.String()) {
			changed := slices.Clone(members)
			for i := range changed {
				changed[i][1] = strings.ReplaceAll(changed[i][1], `"`+s+`"`, `"`+jsonString(hostile+s)+`"`)
			}
			out = append(out, evalArchive(t, changed))
		}
	default:
		for _, s := range distinctQuoted(string(data)) {
			out = append(out, bytes.ReplaceAll(data, []byte(`"`+s+`"`), []byte(`"`+jsonString(hostile+s)+`"`)))
		}
	}
	return out
}

func distinctQuoted(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range quoted.FindAllStringSubmatch(s, -1) {
		if !seen[m[1]] && len(out) < maxMutations {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// TestHostileNamesInPolicies: every key of the starter policy and of the
// examples' policies, replaced by the hostile text, gives a clean error.
func TestHostileNamesInPolicies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	policies, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "gate.yaml"))
	texts := [][]byte{cli.StarterPolicy()}
	for _, p := range policies {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, data)
	}
	key := regexp.MustCompile(`(?m)^(\s*)("[^"\n]+"|[A-Za-z_][\w.-]*):`)
	runs, shown := 0, 0
	for _, text := range texts {
		for _, loc := range key.FindAllSubmatchIndex(text, -1) {
			changed := slices.Concat(text[:loc[4]], []byte(yamlString(hostile+string(text[loc[4]:loc[5]]))), text[loc[5]:])
			file := writeFile(t, filepath.Join(dir, "gate.yaml"), changed)
			r := runGuarded(t, dir, nil, "validate", "--policy", file)
			checkInert(t, r)
			runs++
			if r.shows() {
				shown++
			}
		}
	}
	// Keys under pricing and production_mix are names of the user's
	// choosing, so some policies stay valid.
	if runs < 20 || shown < runs/2 {
		t.Errorf("%d keys tried, the hostile text shown for %d", runs, shown)
	}
}
