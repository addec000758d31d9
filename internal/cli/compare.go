package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// readFlags are the flags that control how scorecards are read. Each
// overrides the policy's importers block (gate.ReaderOptions), which sets
// the same options for every input and per side.
type readFlags struct {
	format, scorer, metric, provider, prompt, idColumn, acceptedColumn string
	acceptThreshold                                                    string
	lenient, partial                                                   optBool
	// The options of one side (compare, power): --baseline-provider,
	// --candidate-prompt and the like; nil for commands without sides.
	sides map[string]*sideFlags
}

// sideFlags are the reader flags of one side.
type sideFlags struct{ provider, prompt *singleString }

func (r *readFlags) register(fs *flagSet) {
	fs.StringVar(&r.format, "format", "", "input format: auto (the default), native, csv, promptfoo, inspect, deepeval, lm-eval or openai-evals")
	fs.Var(&r.lenient, "lenient", "treat unknown fields in native scorecards as warnings, not errors")
	fs.StringVar(&r.scorer, "scorer", "", "Inspect: the scorer to read when a log has several")
	fs.StringVar(&r.metric, "metric", "", "lm-eval: the per-sample metric to read (default: acc, else exact_match)")
	fs.StringVar(&r.provider, "provider", "", "promptfoo: the provider to read when a file has several (its id or label)")
	fs.StringVar(&r.prompt, "prompt", "", "promptfoo: the prompt to read when a file has several (its label, id or index)")
	fs.StringVar(&r.acceptThreshold, "accept-threshold", "", "Inspect: the smallest numeric score counted as accepted (default 1)")
	fs.Var(&r.partial, "partial-accepted", "Inspect: count a partial score (P) as accepted")
	fs.StringVar(&r.idColumn, "id-column", "", "CSV: the column holding the case id (default id)")
	fs.StringVar(&r.acceptedColumn, "accepted-column", "", "CSV: the column holding the accepted flag (default accepted)")
}

// registerSides adds the per-side promptfoo flags, with which one file
// holding both systems (two providers, or one provider and two prompts)
// is both sides of a comparison.
func (r *readFlags) registerSides(fs *flagSet) {
	r.sides = map[string]*sideFlags{}
	for _, side := range []string{"baseline", "candidate"} {
		files := map[string]string{"baseline": "--baseline files", "candidate": "--candidate file"}[side]
		r.sides[side] = &sideFlags{
			provider: stringFlag(fs, side+"-provider", "promptfoo: the provider read from the "+files+" (default --provider)"),
			prompt:   stringFlag(fs, side+"-prompt", "promptfoo: the prompt read from the "+files+" (default --prompt)"),
		}
	}
}

// options returns the read options of side ("baseline", "candidate", or
// "" for a command without sides): the side's flag, else the flag for
// every input, else the policy's option for the side, else its option
// for every input.
func (r *readFlags) options(pol gate.Policy, side string) (scorecard.ReadOptions, error) {
	p := pol.Importers.ReaderOptions
	if side != "" {
		p = pol.Importers.Side(side)
	}
	o := scorecard.ReadOptions{
		Format: firstNonEmpty(r.format, p.Format, "auto"), Scorer: firstNonEmpty(r.scorer, p.Scorer), Metric: firstNonEmpty(r.metric, p.Metric),
		Provider: firstNonEmpty(r.provider, p.Provider), Prompt: firstNonEmpty(r.prompt, p.Prompt),
		IDColumn: firstNonEmpty(r.idColumn, p.IDColumn), AcceptedColumn: firstNonEmpty(r.acceptedColumn, p.AcceptedColumn),
		Lenient: r.lenient.or(p.Lenient), PartialAccepted: r.partial.or(p.PartialAccepted), AcceptThreshold: p.AcceptThreshold,
	}
	if sf := r.sides[side]; sf != nil {
		o.Provider = firstNonEmpty(sf.provider.value, o.Provider)
		o.Prompt = firstNonEmpty(sf.prompt.value, o.Prompt)
	}
	if r.acceptThreshold != "" {
		t, err := strconv.ParseFloat(r.acceptThreshold, 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return o, usagef("--accept-threshold %q is not a finite number", r.acceptThreshold)
		}
		o.AcceptThreshold = &t
	}
	return o, nil
}

// optBool is a boolean flag that knows whether it was given, so that
// --lenient=false overrides a policy's lenient: true.
type optBool struct{ value, set bool }

func (b *optBool) String() string   { return strconv.FormatBool(b.value) }
func (b *optBool) IsBoolFlag() bool { return true }
func (b *optBool) Set(v string) error {
	x, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false, found %q", v)
	}
	b.value, b.set = x, true
	return nil
}

// or returns the flag's value when it was given, else the policy's (false
// when the policy leaves it unset).
func (b optBool) or(policy *bool) bool {
	if b.set || policy == nil {
		return b.value
	}
	return *policy
}

// loader reads files for one command, collecting every problem.
type loader struct {
	env  Env
	opts scorecard.ReadOptions
	pol  gate.Policy
	errs scorecard.ErrorList
	// stdinUsed guards against reading standard input twice.
	stdinUsed bool
	// announce says on standard error which format was detected.
	announce bool
	// policySHA256 is the hex SHA-256 of the policy file read last.
	policySHA256 string
	// schemaCheck also checks every policy against its JSON Schema.
	schemaCheck bool
}

func (l *loader) read(name string) []byte {
	if name == "-" {
		if l.stdinUsed {
			l.errs = append(l.errs, usagef("standard input (-) can be read only once"))
			return nil
		}
		l.stdinUsed = true
		data, err := io.ReadAll(io.LimitReader(l.env.Stdin, scorecard.MaxInputBytes+1))
		if err != nil {
			l.errs = append(l.errs, fmt.Errorf("-: reading standard input: %w", err))
			return nil
		}
		return l.sized(name, data)
	}
	if st, err := os.Stat(name); err == nil {
		switch {
		case st.IsDir():
			l.errs = append(l.errs, fmt.Errorf("%s: cannot read: is a directory", name))
			return nil
		case st.Mode().IsRegular() && st.Size() > scorecard.MaxInputBytes:
			l.errs = append(l.errs, fmt.Errorf("%s: larger than %d GiB: not read", name, scorecard.MaxInputBytes>>30))
			return nil
		case !st.Mode().IsRegular():
			// A pipe or device: read at most one byte past the limit.
			f, err := os.Open(name)
			if err != nil {
				l.errs = append(l.errs, fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
				return nil
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, scorecard.MaxInputBytes+1))
			if err != nil {
				l.errs = append(l.errs, fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
				return nil
			}
			return l.sized(name, data)
		}
	}
	data, err := l.env.ReadFile(name)
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
		return nil
	}
	return l.sized(name, data)
}

// sized refuses input larger than scorecard.MaxInputBytes.
func (l *loader) sized(name string, data []byte) []byte {
	if int64(len(data)) > scorecard.MaxInputBytes {
		l.errs = append(l.errs, fmt.Errorf("%s: larger than %d GiB: not read", name, scorecard.MaxInputBytes>>30))
		return nil
	}
	return data
}

// scorecard reads, validates and prices one scorecard; nil on error.
func (l *loader) scorecard(name string) *scorecard.Scorecard {
	data := l.read(name)
	if data == nil {
		return nil
	}
	sc, err := scorecard.Read(name, data, l.opts)
	if err != nil {
		l.errs = append(l.errs, err)
		return nil
	}
	if l.announce && (l.opts.Format == "" || l.opts.Format == "auto") && sc.Format != "native" {
		fmt.Fprintf(l.env.Stderr, "ftgate: %s: read as %s (detected from its content; --format forces one)\n", name, sc.Format)
	}
	if err := scorecard.ApplyPricing(sc, l.pol.Pricing); err != nil {
		l.errs = append(l.errs, err)
		return nil
	}
	return sc
}

func loadPolicy(env Env, path string, l *loader) gate.Policy {
	if path == "" {
		return gate.DefaultPolicy()
	}
	data := l.read(path)
	if data == nil {
		return gate.DefaultPolicy()
	}
	sum := sha256.Sum256(data)
	l.policySHA256 = hex.EncodeToString(sum[:])
	pol, err := gate.ParsePolicy(path, data)
	if err == nil && l.schemaCheck {
		err = checkPolicySchema(path, data)
	}
	if err != nil {
		l.errs = append(l.errs, err)
		return gate.DefaultPolicy()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		fmt.Fprintf(env.Stderr, "ftgate: warning: %s is empty: the default policy applies\n", path)
	}
	return pol
}

type compareFlags struct {
	baselines, history          stringList
	candidate, policy           string
	json, markdown, junit, plot string
	html                        string
	read                        readFlags
}

// outputs lists the report files asked for, by flag.
func (f *compareFlags) outputs() [][2]string {
	var out [][2]string
	for _, o := range [][2]string{{"--json", f.json}, {"--markdown", f.markdown}, {"--junit", f.junit}, {"--plot", f.plot}, {"--html", f.html}} {
		if o[1] != "" {
			out = append(out, o)
		}
	}
	return out
}

// checkPaths refuses empty input names, "-" as an output, and an output
// that would overwrite an input.
func (f *compareFlags) checkPaths() error {
	inputs := map[string]string{}
	for _, in := range [][2]string{{"--candidate", f.candidate}, {"--policy", f.policy}} {
		if in[1] != "" {
			inputs[filepath.Clean(in[1])] = in[0]
		}
	}
	for _, list := range []struct {
		flag  string
		files []string
	}{{"--baseline", f.baselines}, {"--baseline-history", f.history}} {
		for _, name := range list.files {
			if name == "" {
				return usagef("%s was given an empty file name", list.flag)
			}
			inputs[filepath.Clean(name)] = list.flag
		}
	}
	seen := map[string]string{}
	for _, o := range f.outputs() {
		if in := sameAsInput(o[1], inputs); in != "" {
			return usagef("%s %s would overwrite the %s input", o[0], o[1], in)
		}
		switch {
		case o[1] == "-":
			return usagef("%s -: reports are written to files (the terminal report already goes to standard output)", o[0])
		case inputs[filepath.Clean(o[1])] != "":
			return usagef("%s %s would overwrite the %s input", o[0], o[1], inputs[filepath.Clean(o[1])])
		case seen[filepath.Clean(o[1])] != "":
			return usagef("%s and %s name the same file %s", seen[filepath.Clean(o[1])], o[0], o[1])
		}
		seen[filepath.Clean(o[1])] = o[0]
	}
	return nil
}

func runCompare(ctx context.Context, args []string, env Env) (int, error) {
	var f compareFlags
	fs := newFlagSet("compare", env, "ftgate compare --baseline FILE [--baseline FILE ...] --candidate FILE [--policy gate.yaml] [flags]")
	fs.Var(&f.baselines, "baseline", "baseline scorecard (repeat for several model tiers; - for standard input)")
	candidate := stringFlag(fs, "candidate", "fine-tuned candidate scorecard")
	policy := stringFlag(fs, "policy", "policy file (YAML); the documented defaults without it")
	fs.Var(&f.history, "baseline-history", "earlier baseline scorecard, oldest first (repeat), for the plateau condition")
	jsonOut := stringFlag(fs, "json", "write the JSON report (schema ftgate.report/v1) to this file")
	markdown := stringFlag(fs, "markdown", "write the Markdown summary to this file")
	junit := stringFlag(fs, "junit", "write JUnit XML (one test case per check) to this file")
	plot := stringFlag(fs, "plot", "write an SVG chart of cost per accepted outcome against quality to this file")
	html := stringFlag(fs, "html", "write the HTML report (one self-contained page: charts, flipped cases) to this file")
	f.read.register(fs)
	f.read.registerSides(fs)
	if err := parseFlags(fs, args, false); err != nil {
		return 0, err
	}
	f.candidate, f.policy, f.json, f.markdown, f.junit, f.plot = candidate.value, policy.value, jsonOut.value, markdown.value, junit.value, plot.value
	f.html = html.value
	if err := f.checkPaths(); err != nil {
		return 0, err
	}
	if len(f.baselines) == 0 {
		return 0, usagef("compare needs at least one --baseline FILE")
	}
	if f.candidate == "" {
		return 0, usagef("compare needs --candidate FILE")
	}

	l := &loader{env: env}
	pol := loadPolicy(env, f.policy, l)
	if err := l.errs.Err(); err != nil {
		return 0, err
	}
	// Each side is read with its own options (one promptfoo file often
	// holds both systems: --baseline-provider and --candidate-provider, or
	// --baseline-prompt and --candidate-prompt, pick them apart).
	baseOpts, err := f.read.options(pol, "baseline")
	if err != nil {
		return 0, err
	}
	candOpts, err := f.read.options(pol, "candidate")
	if err != nil {
		return 0, err
	}
	l.opts, l.pol, l.announce = baseOpts, pol, true
	var arms []*scorecard.Scorecard
	for _, b := range f.baselines {
		arms = append(arms, l.scorecard(b))
	}
	l.opts = candOpts
	arms = append(arms, l.scorecard(f.candidate))
	l.opts = baseOpts
	var history []*scorecard.Scorecard
	for _, h := range f.history {
		history = append(history, l.scorecard(h))
	}
	if err := l.errs.Err(); err != nil {
		return 0, err
	}
	sides, err := checkSides(arms)
	if err != nil {
		return 0, err
	}
	paired, err := scorecard.Pair(arms, gate.PairOptions(pol, len(arms)-1))
	if err != nil {
		return 0, err
	}
	in := gate.Input{Paired: paired, Candidate: len(arms) - 1, History: history,
		Provenance: gate.Provenance{PolicyFile: f.policy, PolicySHA256: l.policySHA256, Version: version()}}
	for i := range f.baselines {
		in.Baselines = append(in.Baselines, i)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	dec, err := gate.Decide(in, pol)
	if err != nil {
		return 0, err
	}
	applyFailOn(env, dec)
	// Warnings about the inputs themselves come first: every report
	// shows the first warnings in view.
	dec.InputWarnings = sides
	warnings := append([]string{}, sides...)
	for _, sc := range arms {
		warnings = append(warnings, sc.Warnings...)
	}
	dec.Warnings = append(warnings, dec.Warnings...)

	inputs := reportInputs(arms, history)
	names := report.Names{Baseline: arms[0].System.Name, Candidate: arms[len(arms)-1].System.Name}
	if len(f.baselines) > 1 {
		names.Baseline = report.RoutedName
	}
	var text bytes.Buffer
	if err := report.TextWith(&text, dec, names, report.TextOptions{Color: env.color}); err != nil {
		return 0, err
	}
	// Report files first: if one cannot be written, the run is an error
	// (exit 2) and prints no verdict.
	if err := writeReports(env, dec, inputs, names, f); err != nil {
		return 0, err
	}
	if _, err := env.Stdout.Write(text.Bytes()); err != nil {
		return 0, fmt.Errorf("writing the report: %w", err)
	}
	if err := publishActions(ctx, env, dec, names, f); err != nil {
		fmt.Fprintf(env.Stderr, "ftgate: warning: %v\n", err)
	}
	return dec.ExitCode, nil
}

func reportInputs(arms, history []*scorecard.Scorecard) []report.Input {
	var in []report.Input
	add := func(role string, sc *scorecard.Scorecard) {
		in = append(in, report.Input{Role: role, File: sc.Source, Format: sc.Format, System: sc.System.Name,
			Model: sc.System.Model, Tier: sc.System.Tier, SHA256: sc.SHA256, Samples: len(sc.Samples)})
	}
	for i, sc := range arms {
		role := "baseline"
		if i == len(arms)-1 {
			role = "candidate"
		}
		add(role, sc)
	}
	for _, sc := range history {
		add("history", sc)
	}
	return in
}

// sameAsInput returns the flag of the input that the existing file out is
// (by absolute path, or as the same file through a link), or "".
func sameAsInput(out string, inputs map[string]string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		return ""
	}
	outInfo, statErr := os.Stat(out)
	for in, flag := range inputs {
		if in == "-" {
			continue
		}
		if inAbs, err := filepath.Abs(in); err == nil && inAbs == abs {
			return flag
		}
		if statErr != nil {
			continue
		}
		if inInfo, err := os.Stat(in); err == nil && os.SameFile(inInfo, outInfo) {
			return flag
		}
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
