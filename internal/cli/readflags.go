package cli

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
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
type sideFlags struct{ provider, prompt string }

// register defines the reader flags of cmd: every flag that says how a
// scorecard is read is defined here, and only here.
func (r *readFlags) register(cmd *cobra.Command) {
	f := in(cmd, groupReading)
	f.StringVar(&r.format, "format", "input `FORMAT`: auto (the default), native, csv, promptfoo, inspect, deepeval, lm-eval or openai-evals")
	f.BoolVar(&r.lenient, "lenient", "treat unknown fields of native scorecards and unknown CSV columns as warnings, not errors")
	f.StringVar(&r.scorer, "scorer", "Inspect: the `SCORER` to read when a log has several")
	f.StringVar(&r.metric, "metric", "lm-eval: the per-sample `METRIC` to read (default: acc, else exact_match)")
	f.StringVar(&r.provider, "provider", "promptfoo: the `PROVIDER` to read when a file has several (its id or label)")
	f.StringVar(&r.prompt, "prompt", "promptfoo: the `PROMPT` to read when a file has several (its label, id or index)")
	f.StringVar(&r.acceptThreshold, "accept-threshold", "Inspect and CSV: the smallest numeric `SCORE` counted as accepted (default 1)")
	f.BoolVar(&r.partial, "partial-accepted", "Inspect: count a partial score (P) as accepted")
	f.StringVar(&r.idColumn, "id-column", "CSV: the `COLUMN` holding the case id (default id)")
	f.StringVar(&r.acceptedColumn, "accepted-column", "CSV: the `COLUMN` holding the accepted flag (default accepted)")
	mustComplete(cmd, "format", completeFormats)
}

// registerSides adds the per-side promptfoo flags, with which one file
// holding both systems (two providers, or one provider and two prompts)
// is both sides of a comparison.
func (r *readFlags) registerSides(cmd *cobra.Command) {
	f := in(cmd, groupReading)
	r.sides = map[string]*sideFlags{}
	for _, side := range []string{"baseline", "candidate"} {
		files := map[string]string{"baseline": "--baseline files", "candidate": "--candidate file"}[side]
		sf := &sideFlags{}
		f.StringVar(&sf.provider, side+"-provider", "promptfoo: the `PROVIDER` read from the "+files+" (default --provider)")
		f.StringVar(&sf.prompt, side+"-prompt", "promptfoo: the `PROMPT` read from the "+files+" (default --prompt)")
		r.sides[side] = sf
	}
}

// options returns the read options of side ("baseline", "candidate", or
// "" for a command without sides), under the policy l read: the side's
// flag, else the flag for every input, else the policy's option for the
// side, else its option for every input. The options say where a
// provider or prompt came from, for messages.
func (r *readFlags) options(l *loader, side string) (scorecard.ReadOptions, error) {
	pol := l.pol
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
	// Where the provider and the prompt come from, in the order above.
	from := func(what, sideFlag, flag, sidePolicy, policy string) string {
		switch {
		case sideFlag != "":
			return "--" + side + "-" + what
		case flag != "":
			return "--" + what
		case sidePolicy != "":
			return l.policySource("importers." + side + "." + what)
		case policy != "":
			return l.policySource("importers." + what)
		}
		return ""
	}
	sideOpts := gate.ReaderOptions{}
	switch side {
	case "baseline":
		sideOpts = pol.Importers.Baseline
	case "candidate":
		sideOpts = pol.Importers.Candidate
	}
	var sf sideFlags
	if s := r.sides[side]; s != nil {
		sf = *s
	}
	o.Provider = firstNonEmpty(sf.provider, o.Provider)
	o.Prompt = firstNonEmpty(sf.prompt, o.Prompt)
	o.ProviderFrom = from("provider", sf.provider, r.provider, sideOpts.Provider, pol.Importers.Provider)
	o.PromptFrom = from("prompt", sf.prompt, r.prompt, sideOpts.Prompt, pol.Importers.Prompt)
	if r.format != "" && r.format != "auto" && !slices.Contains(scorecard.Formats(), r.format) {
		msg := fmt.Sprintf("--format %q: unknown format (want auto or one of %s)", r.format, strings.Join(scorecard.Formats(), ", "))
		if s := scorecard.Suggest(r.format, scorecard.Formats()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return o, usagef("%s", msg)
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

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
