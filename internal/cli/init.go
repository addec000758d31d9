package cli

import (
	_ "embed"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// PolicySchemaURL is where editors find the policy's JSON Schema (the
// yaml-language-server line at the top of every policy that init writes).
const PolicySchemaURL = "https://raw.githubusercontent.com/ftgate/ftgate/main/schema/gate.schema.json"

//go:embed starter.yaml
var starterTemplate string

var starter = template.Must(template.New("starter.yaml").Parse(starterTemplate))

// starterFacts fill the starter policy's template; the zero value (with
// the schema URL) is the plain starter.
type starterFacts struct {
	SchemaURL string
	// DocsURL is where the comments' references point (gate.DocsURL).
	DocsURL string
	// From names the scorecards and Workflows lists the workflows seen,
	// each written by yamlKey.
	From, Workflows string
	// NoCost: the scorecards carry no cost.
	NoCost bool
	// Models lists the models seen, quoted for YAML keys, when the
	// scorecards carry no cost (the pricing skeleton).
	Models []string
	// Mix is the eval set's workflow mix as a YAML flow mapping.
	Mix string
	// Power holds comment lines on the observed rates, and Effect the
	// power block's effect.
	Power  []string
	Effect string
}

// StarterPolicy returns the commented policy that 'ftgate init' writes: it
// decides on quality and cost only, every other block commented out.
func StarterPolicy() []byte { return renderStarter(starterFacts{}) }

func renderStarter(f starterFacts) []byte {
	f.SchemaURL = PolicySchemaURL
	f.DocsURL = gate.DocsURL
	var b strings.Builder
	if err := starter.Execute(&b, f); err != nil {
		panic(err) // the template is fixed and tested
	}
	return []byte(b.String())
}

// starterFrom fills the starter policy from real scorecards: the
// baseline's (and the candidate's, when given) workflows, models, workflow
// mix and acceptance rates.
func starterFrom(base, cand *scorecard.Scorecard) ([]byte, error) {
	pol := gate.DefaultPolicy()
	f := starterFacts{From: yamlKey(base.Source), Effect: strconv.FormatFloat(pol.EffectivePowerEffect(), 'f', -1, 64)}
	cards := []*scorecard.Scorecard{base}
	if cand != nil {
		f.From += " and " + yamlKey(cand.Source)
		cards = append(cards, cand)
	}
	models := map[string]bool{}
	hasCost := true
	for _, sc := range cards {
		fields := sc.PresentFields()
		hasCost = hasCost && fields.Cost
		for i := range sc.Samples {
			if u := sc.Samples[i].Usage; u != nil && u.Model != "" {
				models[u.Model] = true
			}
		}
		if sc.System.Model != "" && !fields.Usage {
			models[sc.System.Model] = true
		}
	}
	if !hasCost {
		f.NoCost = true
		for _, m := range slices.Sorted(maps.Keys(models)) {
			f.Models = append(f.Models, yamlKey(m))
		}
	}
	// The eval set's workflow mix, over the baseline's cases.
	cases := map[string]string{}
	for i := range base.Samples {
		s := &base.Samples[i]
		cases[s.ID] = s.Workflow
	}
	count := map[string]int{}
	for _, w := range cases {
		if w != "" {
			count[w]++
		}
	}
	if len(count) > 0 {
		names := slices.Sorted(maps.Keys(count))
		var parts, quoted []string
		for _, w := range names {
			quoted = append(quoted, yamlKey(w))
			share := math.Round(1000*float64(count[w])/float64(len(cases))) / 1000
			parts = append(parts, yamlKey(w)+": "+strconv.FormatFloat(share, 'f', -1, 64))
		}
		f.Workflows = strings.Join(quoted, ", ")
		f.Mix = "{" + strings.Join(parts, ", ") + "}"
	}
	lines, err := observedPower(base, cand, pol)
	if err != nil {
		return nil, err
	}
	f.Power = lines
	return renderStarter(f), nil
}

// observedPower describes the observed acceptance and what the default
// power block asks of the eval set, as comment lines.
func observedPower(base, cand *scorecard.Scorecard, pol gate.Policy) ([]string, error) {
	var plan *gate.PowerPlan
	var err error
	candRate := math.NaN()
	if cand == nil {
		plan, err = gate.PlanPowerFromBaseline(base, pol)
	} else {
		var p *scorecard.Paired
		p, err = scorecard.Pair([]*scorecard.Scorecard{base, cand}, scorecard.PairOptions{AllowUnmatched: true})
		if err == nil {
			plan, err = gate.PlanPower(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
			sum := 0.0
			for i := range p.Cases {
				sum += p.Cases[i].Arms[1].Accepted
			}
			candRate = sum / float64(len(p.Cases))
		}
	}
	if err != nil {
		return nil, err
	}
	var lines []string
	obs := fmt.Sprintf("Observed: the baseline accepts %s of %s cases", numfmt.Pct(plan.Baseline), numfmt.Int(plan.Cases))
	if cand != nil {
		obs = fmt.Sprintf("Observed: the baseline accepts %s and the candidate %s of %s paired cases", numfmt.Pct(plan.Baseline), numfmt.Pct(candRate), numfmt.Int(plan.Cases))
	}
	lines = append(lines, obs+".")
	lines = append(lines, fmt.Sprintf("A gain of %s is detected with %s power at about %s paired cases (%s test);",
		numfmt.Points(plan.Effect), numfmt.Pct(plan.Target), numfmt.Cases(plan.CasesNeeded), plan.Method))
	lines = append(lines, fmt.Sprintf("with %s cases the smallest detectable gain is %s.", numfmt.Int(plan.Cases), numfmt.Points(plan.MDE)))
	return lines, nil
}

// plainName matches the names that YAML reads back as the same string
// when written plain, anywhere in a line: a letter or digit, then letters,
// digits, '_', '.' or '/', then also '-', with a letter or '_' in it.
var plainName = regexp.MustCompile(`^[A-Za-z0-9_./][A-Za-z0-9_./-]*$`)

// yamlKey writes a name taken from a scorecard (a workflow, a model, a
// file name) for the starter policy, in a mapping or in a comment: plain
// when it is an ordinary name, otherwise a double-quoted YAML scalar in
// which line breaks (including NEL and U+2028/2029), every other control
// character and the bidi controls are escapes and "##[" is broken up. So
// no name can end a comment, start a key, or hide text in an editor.
func yamlKey(s string) string {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf":
		return strconv.Quote(s)
	}
	if plainName.MatchString(s) && strings.ContainsAny(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz_") {
		return s
	}
	// strconv.Quote escapes what Go does not print (C0, DEL, C1, the
	// line and paragraph separators, format characters such as the bidi
	// controls) with \x, \u and \U, which YAML's double quotes read the
	// same; "\x23" is YAML's '#'.
	return strings.ReplaceAll(strconv.Quote(s), "##[", `#\x23[`)
}

func newInit(a *app) *cobra.Command {
	var out string
	var from []string
	var force optBool
	cmd := &cobra.Command{
		Use:     "init [--from BASELINE [--from CANDIDATE]] [--out gate.yaml] [--force]",
		Short:   "Write a commented starter policy",
		GroupID: groupIDSetup,
		Long: `Init writes a commented starter policy, to standard output without --out: it decides on quality
and cost only, every other block commented out with its meaning. With --from it is filled in from
real scorecards (the baseline, then optionally the candidate): the workflows seen, a commented
price table for the models seen when the scorecards carry no cost, the eval set's workflow mix as a
starting production mix, and the observed acceptance rates behind the power block.`,
		Example: `  ftgate init --out gate.yaml
  ftgate init --from baseline.jsonl --from candidate.jsonl --out gate.yaml
  ftgate init | less`,
		Args: noArgs,
		RunE: a.run(func(cmd *cobra.Command, _ []string) error { return a.init(out, force.value, from) }),
	}
	in(cmd, groupInputs).ListVar(&from, "from", "fill the policy in from scorecard `FILE`: the baseline, then (again) the candidate")
	o := in(cmd, groupOutput)
	o.StringVar(&out, "out", "write the policy to `FILE` instead of standard output")
	o.BoolVar(&force, "force", "overwrite an existing --out file")
	return cmd
}

func (a *app) init(out string, force bool, from []string) error {
	policy := StarterPolicy()
	if len(from) > 0 {
		var err error
		if policy, err = a.fromScorecards(from); err != nil {
			return err
		}
	}
	if out == "" || toStdout(out) {
		_, err := a.env.Stdout.Write(policy)
		return err
	}
	target, info, err := resolveOutput(out)
	if err != nil {
		return usagef("--out %s: %v", out, err)
	}
	if info != nil && !force {
		return usagef("%s already exists; use --force to overwrite it", out)
	}
	if err := replaceAll(a, []staged{{name: out, target: target, data: policy}}); err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stderr, "wrote %s; check it with 'ftgate validate %s'\n", out, out)
	return nil
}

// fromScorecards fills the starter policy from one or two scorecards
// (the baseline, then the candidate), read as compare reads them.
func (a *app) fromScorecards(from []string) ([]byte, error) {
	if len(from) > 2 {
		return nil, usagef("init takes --from at most twice (the baseline, then the candidate), got %d", len(from))
	}
	l := newLoader(a)
	l.opts = scorecard.ReadOptions{Format: "auto"}
	var cards []*scorecard.Scorecard
	for _, f := range from {
		cards = append(cards, l.scorecard(f))
	}
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	var cand *scorecard.Scorecard
	if len(cards) == 2 {
		cand = cards[1]
	}
	return starterFrom(cards[0], cand)
}
