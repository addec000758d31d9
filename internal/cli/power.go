package cli

import (
	"fmt"
	"math"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

func newPower(a *app) *cobra.Command {
	var baseline, candidate, effect, rate string
	var policy policyFlags
	var rf readFlags
	cmd := &cobra.Command{
		Use:     "power [--baseline FILE [--candidate FILE] | --baseline-rate RATE] [flags]",
		Short:   "How many paired cases the quality test needs",
		GroupID: groupIDGate,
		Long: `Power says how many paired cases the quality test needs to detect the policy's effect
(power.effect, or --effect) with its power (power.target). With only a baseline scorecard, the
candidate is assumed to gain exactly the effect with failures independent of the baseline's; with a
candidate, the observed discordance is used. Before any scorecard exists, --baseline-rate plans from
an assumed acceptance rate (independent cases).`,
		Example: `  ftgate power --baseline-rate 0.8 --effect 0.03
  ftgate power --baseline base.jsonl --policy gate.yaml
  ftgate power --baseline base.jsonl --candidate tuned.jsonl --effect 0.02`,
		Args: noArgs,
		RunE: a.run(func(cmd *cobra.Command, _ []string) error {
			return a.power(baseline, candidate, effect, rate, &policy, &rf)
		}),
	}
	i := in(cmd, groupInputs)
	i.StringVar(&baseline, "baseline", "baseline scorecard `FILE`")
	i.StringVar(&candidate, "candidate", "candidate scorecard `FILE` (optional: the observed discordance instead of an assumed one)")
	p := in(cmd, groupPlan)
	p.StringVar(&effect, "effect", "the quality `GAIN` to detect, as a share (0.03 is 3 points): overrides power.effect")
	p.StringVar(&rate, "baseline-rate", "plan without a scorecard: the baseline's assumed acceptance `RATE` (0.8 is 80%)")
	cmd.MarkFlagsMutuallyExclusive("baseline", "baseline-rate")
	cmd.MarkFlagsOneRequired("baseline", "baseline-rate")
	policy.register(cmd)
	rf.register(cmd)
	rf.registerSides(cmd)
	return cmd
}

func (a *app) power(baseline, candidate, effect, rate string, policy *policyFlags, rf *readFlags) error {
	if candidate != "" && baseline == "" {
		return usagef("power: --candidate needs --baseline")
	}
	l := newLoader(a)
	var extra []gate.Override
	if effect != "" {
		extra = append(extra, gate.Override{Key: "power.effect", Value: effect, Source: "--effect " + effect})
	}
	pol := policy.load(l, extra...)
	if err := l.errs.Err(); err != nil {
		return err
	}
	if rate != "" {
		r, err := strconv.ParseFloat(rate, 64)
		if err != nil || math.IsNaN(r) || r < 0 || r > 1 {
			return usagef("--baseline-rate %q is not a share between 0 and 1 (0.8 is 80%%)", rate)
		}
		// A candidate that gains the effect over this baseline would
		// accept more than every case: no plan exists, so the question is
		// a mistake, not a warning.
		if e := pol.EffectivePowerEffect(); r+e > 1+1e-12 {
			src := "power.effect"
			if effect != "" {
				src = "--effect"
			}
			return usagef("--baseline-rate %s with an effect of %s (%s): the candidate would accept %s of cases, which no candidate can; give a rate of at most %s or a smaller effect",
				rate, numfmt.Points(e), src, numfmt.Pct(r+e), strconv.FormatFloat(1-e, 'f', -1, 64))
		}
		plan, err := gate.PlanPowerFromRate(r, pol)
		if err != nil {
			return err
		}
		printPlan(a.env, plan, pol)
		return nil
	}
	baseOpts, err := rf.options(l, "baseline")
	if err != nil {
		return err
	}
	candOpts, err := rf.options(l, "candidate")
	if err != nil {
		return err
	}
	both := baseline == candidate
	baseOpts.BothSides, candOpts.BothSides = both, both
	l.opts = baseOpts
	b := l.scorecard(baseline)
	var c *scorecard.Scorecard
	if candidate != "" {
		l.opts = candOpts
		c = l.scorecard(candidate)
	}
	if err := l.errs.Err(); err != nil {
		return err
	}
	var plan *gate.PowerPlan
	if c == nil {
		plan, err = gate.PlanPowerFromBaseline(b, pol)
	} else {
		var p *scorecard.Paired
		p, err = scorecard.Pair([]*scorecard.Scorecard{b, c}, gate.PairOptions(pol, 1))
		if err != nil {
			return err
		}
		plan, err = gate.PlanPower(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	}
	if err != nil {
		return err
	}
	printPlan(a.env, plan, pol)
	return nil
}

// casesNeeded says how many cases a test needs (need, more beyond the n at
// hand): "no number of cases is enough" when none is, never a count of
// cases at hand that would read as enough.
func casesNeeded(need float64, more, n int) string {
	switch {
	case math.IsInf(need, 0) || math.IsNaN(need):
		return "no number of cases is enough"
	case n == 0:
		return numfmt.Cases(need)
	case more > 0:
		return fmt.Sprintf("%s (%s more than the %s at hand)", numfmt.Cases(need), numfmt.Int(more), numfmt.Int(n))
	}
	return fmt.Sprintf("%s (the %s at hand are enough)", numfmt.Cases(need), numfmt.Int(n))
}

func printPlan(env Env, p *gate.PowerPlan, pol gate.Policy) {
	w := env.Stdout
	fmt.Fprintf(w, "power of the quality test (%s, one-sided α = %s, target power %s)\n", p.Method, numfmt.Num(pol.Alpha), numfmt.Pct(p.Target))
	// The warnings first: one may say that a policy value was replaced.
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
	fmt.Fprintf(w, "  effect to detect:  %s over the margin %s\n", numfmt.Points(p.Effect), numfmt.Points(p.Margin))
	if p.Cases > 0 {
		fmt.Fprintf(w, "  baseline accepts:  %s of %s\n", numfmt.Pct(p.Baseline), numfmt.Counted(p.Cases, "case", "cases"))
	} else {
		fmt.Fprintf(w, "  baseline accepts:  %s (assumed)\n", numfmt.Pct(p.Baseline))
	}
	switch p.Method {
	case "cluster-t":
		fmt.Fprintf(w, "  variance per case: %s, design effect %s\n", numfmt.Num(p.Sigma2), numfmt.Num(p.DEff))
	default:
		psi := numfmt.Num(p.Psi)
		if p.Psi < 0 || math.IsNaN(p.Psi) {
			psi = "none (no candidate can gain the effect over this baseline)"
		}
		fmt.Fprintf(w, "  discordant share:  %s\n", psi)
	}
	if p.Assumed {
		fmt.Fprintf(w, "  (assumed: the candidate gains exactly the effect, with failures independent of the baseline's;\n   run with --candidate once it exists for the observed discordance)\n")
	}
	fmt.Fprintf(w, "  cases needed:      %s\n", casesNeeded(p.CasesNeeded, p.MoreCasesNeeded, p.Cases))
	if p.Cases > 0 {
		fmt.Fprintf(w, "  detectable now:    a gain of %s with %s\n", numfmt.Points(p.MDE), numfmt.Counted(p.Cases, "case", "cases"))
	}
	if p.CostCasesNeeded > 0 {
		fmt.Fprintf(w, "power of the cost test (delta method, true cost ratio %s against the limit %s)\n", numfmt.Ratio(p.CostRatio), numfmt.Ratio(pol.Cost.MaxRatio))
		fmt.Fprintf(w, "  variance per case: %s (log cost ratio, with the design effect)\n", numfmt.Num(p.CostVariance))
		fmt.Fprintf(w, "  cases needed:      %s\n", casesNeeded(p.CostCasesNeeded, p.CostMoreCasesNeeded, p.Cases))
	}
	if s := p.Sequential; s != nil {
		fmt.Fprintf(w, "sequential test (statistics.sequential), looking after every %s\n", numfmt.Counted(s.LookEvery, "case", "cases"))
		fmt.Fprintf(w, "  expected cases:    about %s paired cases to a decision at the effect\n", numfmt.Cases(s.ExpectedCases))
		fmt.Fprintf(w, "  cases for power:   %s (the fixed-sample test, looked at once: %s)\n", numfmt.Cases(s.CasesForPower), numfmt.Cases(p.CasesNeeded))
	}
}
