package cli

import (
	"fmt"
	"math"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

func runPower(args []string, env Env) error {
	var baseline, candidate, policy string
	var rf readFlags
	fs := newFlagSet("power", env, "ftgate power --baseline FILE [--candidate FILE] [--policy gate.yaml]\n\n"+
		"How many paired cases the quality test needs for the policy's effect (power.effect) at its power\n"+
		"(power.target). With only a baseline, the candidate is assumed to gain exactly the effect with\n"+
		"failures independent of the baseline's; with a candidate, the observed discordance is used.")
	baselineFlag := stringFlag(fs, "baseline", "baseline scorecard")
	candidateFlag := stringFlag(fs, "candidate", "candidate scorecard (optional)")
	policyFlag := stringFlag(fs, "policy", "policy file (YAML)")
	rf.register(fs)
	rf.registerSides(fs)
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	baseline, candidate, policy = baselineFlag.value, candidateFlag.value, policyFlag.value
	if baseline == "" {
		return usagef("power needs --baseline FILE")
	}
	l := &loader{env: env}
	pol := loadPolicy(env, policy, l)
	if err := l.errs.Err(); err != nil {
		return err
	}
	baseOpts, err := rf.options(pol, "baseline")
	if err != nil {
		return err
	}
	candOpts, err := rf.options(pol, "candidate")
	if err != nil {
		return err
	}
	l.opts, l.pol = baseOpts, pol
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
	printPlan(env, plan, pol)
	return nil
}

func printPlan(env Env, p *gate.PowerPlan, pol gate.Policy) {
	w := env.Stdout
	fmt.Fprintf(w, "power of the quality test (%s, one-sided α = %s, target power %s)\n", p.Method, numfmt.Num(pol.Alpha), numfmt.Pct(p.Target))
	fmt.Fprintf(w, "  effect to detect:  %s over the margin %s\n", numfmt.Points(p.Effect), numfmt.Points(p.Margin))
	fmt.Fprintf(w, "  baseline accepts:  %s of %d cases\n", numfmt.Pct(p.Baseline), p.Cases)
	switch p.Method {
	case "cluster-t":
		fmt.Fprintf(w, "  variance per case: %s, design effect %s\n", numfmt.Num(p.Sigma2), numfmt.Num(p.DEff))
	default:
		fmt.Fprintf(w, "  discordant share:  %s\n", numfmt.Num(p.Psi))
	}
	if p.Assumed {
		fmt.Fprintf(w, "  (assumed: the candidate gains exactly the effect, with failures independent of the baseline's;\n   run with --candidate once it exists for the observed discordance)\n")
	}
	if math.IsInf(p.CasesNeeded, 0) || math.IsNaN(p.CasesNeeded) {
		fmt.Fprintf(w, "  cases needed:      no number of cases is enough\n")
	} else {
		fmt.Fprintf(w, "  cases needed:      %d", int(math.Ceil(p.CasesNeeded)))
		if p.MoreCasesNeeded > 0 {
			fmt.Fprintf(w, " (%d more than the %d at hand)", p.MoreCasesNeeded, p.Cases)
		} else {
			fmt.Fprintf(w, " (the %d at hand are enough)", p.Cases)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  detectable now:    a gain of %s with %d cases\n", numfmt.Points(p.MDE), p.Cases)
	if p.CostCasesNeeded > 0 {
		fmt.Fprintf(w, "power of the cost test (delta method, true cost ratio %s against the limit %s)\n", numfmt.Ratio(p.CostRatio), numfmt.Ratio(pol.Cost.MaxRatio))
		fmt.Fprintf(w, "  variance per case: %s (log cost ratio, with the design effect)\n", numfmt.Num(p.CostVariance))
		fmt.Fprintf(w, "  cases needed:      %s", numfmt.Cases(p.CostCasesNeeded))
		if p.CostMoreCasesNeeded > 0 {
			fmt.Fprintf(w, " (%d more than the %d at hand)", p.CostMoreCasesNeeded, p.Cases)
		} else {
			fmt.Fprintf(w, " (the %d at hand are enough)", p.Cases)
		}
		fmt.Fprintln(w)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}
