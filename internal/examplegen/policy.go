package examplegen

import (
	"fmt"
	"strconv"
	"strings"
)

// policyOpts are what differs between the examples' gate.yaml files.
type policyOpts struct {
	intro     string   // comment lines at the top, without "# "
	mix       []Weight // checklist production mix
	economics string   // an economics block, or ""
	// sequential turns on sequential mode; effect, when not 0, is the
	// power.effect the plan (and the sequences' tuning) is sized for.
	sequential bool
	effect     float64
}

// policy renders the scenario's gate.yaml: the shared, commented policy,
// a price table with the scenario's models, and the options.
func (sc *Scenario) policy(o policyOpts) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# ftgate policy for examples/%s (%s).\n", sc.Name, sc.Title)
	for _, line := range strings.Split(o.intro, "\n") {
		p("# %s\n", line)
	}
	p(`
alpha: 0.05                 # level of each one-sided test; PASS needs quality AND cost to pass at it
inconclusive: fail          # fail | warn: "not enough evidence" blocks the release

# Quality = acceptance rate, cases paired by id. auto picks mcnemar-exact (unclustered,
# one sample per case), tango (a non-zero min_gain) or cluster-t (these cases are grouped
# in tickets and chats, so cluster-t, resampling whole clusters).
quality: {method: auto, min_gain: 0.0}

# Cost per accepted outcome = total cost / accepted cases. The candidate's must be
# below max_ratio times the baseline's. auto = paired cluster bootstrap (BCa) of the
# log ratio up to 200,000 clusters, delta method above.
cost: {method: auto, max_ratio: 1.0, required: true}

STATISTICS
pairing: {allow_unmatched: false}               # every case id must be in every scorecard

# No hidden regressions: every workflow with at least min_cases paired cases is tested
# for a drop below -max_drop (Holm-adjusted across workflows).
segments: {min_cases: 30, max_drop: 0.0, block_on_regression: true}

POWER

# Service levels of the candidate: hard constraints whenever the data is there
# (required: true would also block when it is missing).
latency: {max_p95_ms: 2500, max_p95_ratio: 1.2, required: false}
format: {min_valid_rate: 0.98, required: false}

# USD per million tokens, used only for cases that have usage but no cost_usd. Every
# case here has cost_usd: the table documents the list prices behind it
# (cost = uncached input + cached input + output, input_tokens including the cached ones).
pricing:
`)
	seen := map[string]bool{}
	for _, y := range sc.Systems {
		if seen[y.Model] {
			continue
		}
		seen[y.Model] = true
		p("  %s: {input_per_mtok: %s, output_per_mtok: %s, cached_input_per_mtok: %s}\n", yamlKey(y.Model),
			num(y.Price.InputPerMTok), num(y.Price.OutputPerMTok), num(y.Price.CachedInputPerMTok))
	}
	p(`
# Several --baseline tiers: each workflow goes to the cheapest tier within this much
# acceptance of its best tier (the routed baseline the candidate must beat).
routing: {max_quality_loss: 0.01}

# Decision checklist (reported on every run, never blocking): labelled failure classes,
# and how far the eval set's workflow mix is from production's.
checklist: {min_labelled: 0.9, max_mix_distance: 0.1, production_mix: {`)
	for i, w := range o.mix {
		if i > 0 {
			p(", ")
		}
		p("%s: %s", w.Name, num(w.Weight))
	}
	p("}}\n")
	if o.economics != "" {
		p("\n%s", o.economics)
	}
	out := b.String()
	stat := "statistics: {resamples: 10000, seed: 20261128}  # fixed seed: the same report on every run"
	if o.sequential {
		stat = "# Sequential mode: quality and cost are decided by confidence sequences, valid however\n" +
			"# often the gate runs as batches of evidence are merged in (docs/methods.md §12).\n" +
			"statistics: {resamples: 10000, seed: 20261128, sequential: true}"
	}
	pow := `power: {effect: 0.02, target: 0.9}   # "how many more cases" is sized for a 2-point gain`
	if o.effect != 0 {
		pow = fmt.Sprintf(`power: {effect: %s, target: 0.9}   # the plan, and the sequences' tuning, are sized for a %s-point gain`, num(o.effect), strconv.FormatFloat(100*o.effect, 'f', -1, 64))
	}
	return strings.NewReplacer("STATISTICS", stat, "POWER", pow).Replace(out)
}

// num formats a number for YAML with at least one decimal.
func num(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// yamlKey quotes a map key when plain YAML would misread it.
func yamlKey(s string) string {
	if strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") {
		return strconv.Quote(s)
	}
	return s
}
