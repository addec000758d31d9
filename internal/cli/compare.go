package cli

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// compareFlags are the flags of 'ftgate compare'.
type compareFlags struct {
	baselines, history          []string
	candidate                   string
	policy                      policyFlags
	json, markdown, junit, plot string
	html                        string
	baselineName, candidateName string
	quiet                       optBool
	details                     optBool
	ignoreRoles                 optBool
	read                        readFlags
}

// policyFlags are the flags that choose the policy: a file and overrides.
type policyFlags struct {
	file string
	sets []string
}

func (p *policyFlags) register(cmd *cobra.Command) {
	f := in(cmd, groupPolicy)
	f.StringVar(&p.file, "policy", "policy `FILE` (YAML); the documented defaults without it")
	f.ListVar(&p.sets, "set", "override one policy key, checked like the file (repeatable): `KEY=VALUE`, such as quality.min_gain=0.02")
	mustComplete(cmd, "set", completeSet)
}

// overrides lists the --set arguments, as the reports name them.
func (p *policyFlags) overrides() []string {
	var out []string
	for _, kv := range p.sets {
		if o, err := gate.ParseOverride(kv); err == nil {
			out = append(out, o.Source)
		}
	}
	return out
}

// load reads the policy the flags name, with the --set overrides and
// then extra ones (such as power's --effect) applied.
func (p *policyFlags) load(l *loader, extra ...gate.Override) gate.Policy {
	var sets []gate.Override
	for _, kv := range p.sets {
		o, err := gate.ParseOverride(kv)
		if err != nil {
			l.fail(err)
			continue
		}
		sets = append(sets, o)
	}
	if len(l.errs) > 0 {
		return gate.DefaultPolicy()
	}
	return l.policy(p.file, append(sets, extra...))
}

func newCompare(a *app) *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:     "compare --baseline FILE [--baseline FILE ...] --candidate FILE [flags]",
		Short:   "Gate a fine-tuned candidate against its baseline: PASS, FAIL or INCONCLUSIVE",
		GroupID: groupIDGate,
		Long: `Compare pairs the baseline's and the candidate's scorecards case by case and decides: the
candidate passes when it is better on quality (acceptance rate) and on cost per accepted outcome,
with evidence, breaks no constraint and hides no regression in any workflow. Several --baseline
files are model tiers, gated as the routed baseline.`,
		Example: `  ftgate compare --baseline base.jsonl --candidate tuned.jsonl --policy gate.yaml
  ftgate compare --baseline small.jsonl --baseline large.jsonl --candidate tuned.jsonl --markdown summary.md
  ftgate compare --baseline base.json --candidate tuned.json --set cost.required=false --json - | jq .verdict
  ftgate compare --baseline results.json --baseline-provider base --candidate results.json --candidate-provider tuned`,
		Args: noArgs,
		RunE: a.run(func(cmd *cobra.Command, _ []string) error {
			code, err := a.compare(&f)
			a.code = code
			return err
		}),
	}
	i := in(cmd, groupInputs)
	i.ListVar(&f.baselines, "baseline", "baseline scorecard `FILE` (repeat for several model tiers; - for standard input)")
	i.StringVar(&f.candidate, "candidate", "the fine-tuned candidate's scorecard `FILE`")
	i.ListVar(&f.history, "baseline-history", "an earlier baseline scorecard `FILE`, oldest first (repeat), for the plateau condition")
	i.StringVar(&f.baselineName, "baseline-name", "the baseline's `NAME` in the reports (default: from its scorecard)")
	i.StringVar(&f.candidateName, "candidate-name", "the candidate's `NAME` in the reports (default: from its scorecard)")
	i.BoolVar(&f.ignoreRoles, "ignore-roles", "compare the files as given when a scorecard's header names the other side (warned in every report); without it that stops the run")
	required(cmd, "baseline", "candidate")
	f.policy.register(cmd)
	r := in(cmd, groupReports)
	r.StringVar(&f.json, "json", "write the JSON report (schema ftgate.report/v1) to `FILE`; - for standard output (the terminal report then goes to standard error)")
	r.StringVar(&f.markdown, "markdown", "write the Markdown summary to `FILE`")
	r.StringVar(&f.junit, "junit", "write JUnit XML (one test case per check) to `FILE`")
	r.StringVar(&f.plot, "plot", "write an SVG chart of cost per accepted outcome against quality to `FILE`")
	r.StringVar(&f.html, "html", "write the HTML report (one self-contained page: charts, flipped cases) to `FILE`")
	o := in(cmd, groupOutput)
	o.BoolVar(&f.quiet, "quiet", "print only the verdict line, warnings about the inputs and what blocks the release")
	o.BoolVar(&f.details, "details", "print every table: the tests behind each number, spend, latency, tiers, economics, the checklist, failure classes and transitions")
	f.read.register(cmd)
	f.read.registerSides(cmd)
	return cmd
}

// compare runs 'ftgate compare' and returns the verdict's exit code.
func (a *app) compare(f *compareFlags) (int, error) {
	env := a.env
	if f.quiet.value && f.details.value {
		return 0, usagef("--quiet and --details ask for opposite reports (the verdict and what blocks it, or every table): give one")
	}
	outs, err := checkOutputs(f)
	if err != nil {
		return 0, err
	}
	l := newLoader(a)
	pol := f.policy.load(l)
	if err := l.errs.Err(); err != nil {
		return 0, err
	}
	// Each side is read with its own options (one promptfoo file often
	// holds both systems: --baseline-provider and --candidate-provider, or
	// --baseline-prompt and --candidate-prompt, pick them apart).
	baseOpts, err := f.read.options(l, "baseline")
	if err != nil {
		return 0, err
	}
	candOpts, err := f.read.options(l, "candidate")
	if err != nil {
		return 0, err
	}
	// One file on both sides holds both systems: its reader asks for a
	// selection per side.
	both := slices.Contains(f.baselines, f.candidate)
	baseOpts.BothSides, candOpts.BothSides = both, both
	prog := startProgress(a.stderr, a.status, progressDelay)
	defer prog.end()
	l.announce = !f.quiet.value
	var files, readSides []string
	var opts []scorecard.ReadOptions
	for _, b := range f.baselines {
		files, opts, readSides = append(files, b), append(opts, baseOpts), append(readSides, "baseline")
	}
	files, opts, readSides = append(files, f.candidate), append(opts, candOpts), append(readSides, "candidate")
	for _, h := range f.history {
		files, opts, readSides = append(files, h), append(opts, baseOpts), append(readSides, "baseline history")
	}
	prog.set("reading %d scorecards", len(files))
	cards := l.scorecards(files, opts, readSides)
	arms, history := cards[:len(f.baselines)+1], cards[len(f.baselines)+1:]
	if len(history) == 0 {
		history = nil
	}
	if err := l.errs.Err(); err != nil {
		return 0, err
	}
	l.announceFormats()
	// An earlier baseline that is the candidate's own file makes the
	// plateau condition compare the candidate with itself.
	for _, h := range f.history {
		if sameFile(h, f.candidate) {
			c := arms[len(arms)-1]
			c.Warnings = append(c.Warnings, fmt.Sprintf("--baseline-history %s is the candidate's scorecard: the plateau condition counts the candidate as an earlier baseline; give the earlier baselines' scorecards", h))
		}
	}
	sides, err := checkSides(arms, f.ignoreRoles.or(&pol.Pairing.IgnoreRoles))
	if err != nil {
		return 0, err
	}
	// The names given on the command line replace the scorecards' in
	// every report (several baselines keep theirs: --baseline-name names
	// the routed baseline).
	if f.baselineName != "" && len(f.baselines) == 1 {
		arms[0].System.Name = f.baselineName
	}
	if f.candidateName != "" {
		arms[len(arms)-1].System.Name = f.candidateName
	}
	prog.set("pairing the cases")
	po := gate.PairOptions(pol, len(arms)-1)
	po.Context = a.ctx
	paired, err := scorecard.Pair(arms, po)
	if err != nil {
		return 0, err
	}
	prog.set("deciding on %s paired cases", numfmt.Int(len(paired.Cases)))
	in := gate.Input{Paired: paired, Candidate: len(arms) - 1, History: history,
		Provenance: gate.Provenance{PolicyFile: f.policy.file, PolicySHA256: l.policySHA256, Version: version(), Overrides: f.policy.overrides()},
		Progress: func(draws int) {
			prog.set("bootstrap: %s draws over %s clusters", numfmt.Int(draws), numfmt.Int(len(paired.Clusters)))
		}}
	for i := range f.baselines {
		in.Baselines = append(in.Baselines, i)
	}
	dec, err := gate.DecideContext(a.ctx, in, pol)
	if err != nil {
		return 0, err
	}
	// The decision holds no sample: let the scorecards' go before the
	// reports are rendered (most of a large run's memory).
	inputs := reportInputs(arms, history)
	in, paired = gate.Input{}, nil
	for _, sc := range cards {
		if sc != nil {
			sc.Samples = nil
		}
	}
	applyFailOn(env, dec)
	// Warnings about the inputs themselves come first: every report
	// shows the first warnings in view.
	dec.InputWarnings = sides
	warnings := append(append([]string{}, sides...), armWarnings(arms)...)
	dec.Warnings = append(warnings, dec.Warnings...)

	names := report.Names{Baseline: arms[0].System.Name, Candidate: arms[len(arms)-1].System.Name}
	if len(f.baselines) > 1 {
		names.Baseline = report.RoutedName
	}
	names.Baseline = firstNonEmpty(f.baselineName, names.Baseline)
	// With the JSON report on standard output, everything else goes to
	// standard error, the annotations included.
	terminal, commands, color := a.env.Stdout, a.stdout, a.color
	if f.json == "-" {
		terminal, commands, color = a.env.Stderr, a.stderr, a.colorStderr
	}
	var text bytes.Buffer
	if err := report.TextWith(&text, dec, names, report.TextOptions{Color: color, Quiet: f.quiet.value, Details: f.details.value, JSONPath: f.json}); err != nil {
		return 0, &internalError{err}
	}
	if err := a.ctx.Err(); err != nil {
		return 0, errInterrupted
	}
	// Report files first: if one cannot be written, the run is an error
	// (exit 2) and prints no verdict.
	prog.set("writing the reports")
	if err := writeReports(a, outs, dec, inputs, names); err != nil {
		return 0, err
	}
	prog.end()
	if _, err := terminal.Write(text.Bytes()); err != nil {
		return 0, fmt.Errorf("writing the report: %w", err)
	}
	if err := publishActions(a, commands, dec, names, f.json); err != nil {
		fmt.Fprintf(env.Stderr, "ftgate: warning: %v\n", err)
	}
	if a.ctx.Err() != nil {
		// The reports are written; the interrupt came while publishing.
		return 0, errInterruptedPublishing
	}
	return dec.ExitCode, nil
}

// armWarnings lists the readers' warnings of every arm, each once. When
// one file is read for several sides (a promptfoo file holding both
// systems), its warnings name the side they are about, "FILE (baseline):
// ...", and a warning the same for every side names them all.
func armWarnings(arms []*scorecard.Scorecard) []string {
	reads := map[string]int{}
	for _, sc := range arms {
		reads[sc.Source]++
	}
	var out []string
	sidesOf := map[string][]string{}
	for a, sc := range arms {
		for _, w := range sc.Warnings {
			if _, seen := sidesOf[w]; !seen {
				out = append(out, w)
			}
			if s := sideOf(a, len(arms)); !slices.Contains(sidesOf[w], s) {
				sidesOf[w] = append(sidesOf[w], s)
			}
		}
	}
	for i, w := range out {
		for _, sc := range arms {
			if rest, ok := strings.CutPrefix(w, sc.Source+": "); ok && reads[sc.Source] > 1 {
				out[i] = fmt.Sprintf("%s (%s): %s", sc.Source, strings.Join(sidesOf[w], " and "), rest)
				break
			}
		}
	}
	return out
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
