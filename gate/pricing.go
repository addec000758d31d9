package gate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// notePricing explains a cost left unmeasured by the pricing table. When
// token usage is there but its models have no price, the reason names
// them (with each side) and gives the --set options that price them,
// instead of asking for usage the scorecards already carry. A
// price entry that prices no model of the scorecards is a warning, with
// the usage model it was most likely meant for ("gpt-4o-mini" for
// "openai/gpt-4o-mini").
func notePricing(d *Decision, p *scorecard.Paired, in Input, pol Policy) {
	type unpriced struct {
		model, side string
		samples     int
	}
	var missing []unpriced
	used := map[string]bool{}
	var models []string
	for a, sc := range p.Arms {
		side := "candidate"
		if a != in.Candidate {
			side = "baseline"
			if len(in.Baselines) > 1 {
				side = "baseline tier " + sc.System.Name
			}
		}
		for _, m := range scorecard.UsageModels(sc) {
			if !used[m] {
				used[m] = true
				models = append(models, m)
			}
		}
		counts := scorecard.UnpricedModels(sc)
		keys := make([]string, 0, len(counts))
		for m := range counts {
			keys = append(keys, m)
		}
		sort.Strings(keys)
		for _, m := range keys {
			missing = append(missing, unpriced{m, side, counts[m]})
		}
	}
	sort.Strings(models)

	// Price entries that match no usage model, when the scorecards carry
	// usage the table was meant for.
	var unusedKeys []string
	if len(models) > 0 {
		for k := range pol.Pricing {
			if !used[k] {
				unusedKeys = append(unusedKeys, k)
			}
		}
		sort.Strings(unusedKeys)
	}
	for _, k := range unusedKeys {
		msg := fmt.Sprintf("pricing.%s prices no model of the scorecards' token usage", k)
		if m := closestModel(k, models); m != "" {
			msg += fmt.Sprintf("; did you mean %q? (the usage names the model with its provider: give the price under that name)", m)
		} else {
			msg += fmt.Sprintf(" (the usage names %s)", quoteAll(models, 5))
		}
		d.Warnings = append(d.Warnings, msg)
	}

	if d.Cost.Measured || len(missing) == 0 {
		return
	}
	var names, sets []string
	seen := map[string]bool{}
	for _, u := range missing {
		names = append(names, fmt.Sprintf("%q (%s, %s)", u.model, u.side, numfmt.Counted(u.samples, "sample", "samples")))
		if !seen[u.model] {
			seen[u.model] = true
			sets = append(sets, fmt.Sprintf("--set 'pricing.%s={input_per_mtok: IN, output_per_mtok: OUT}'", u.model))
		}
	}
	d.Cost.NotMeasured = "no price for the token usage of " + andList(names)
	d.Cost.Remedy = "price the models under pricing: in the policy, or with " + strings.Join(sets, " ") +
		" (IN and OUT in USD per million input and output tokens)"
}

// andList joins items as prose: "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// closestModel returns the usage model a price key most likely means: the
// one whose name is the key with a provider prefix ("openai/gpt-4o-mini"
// for "gpt-4o-mini"), or without one, or a near spelling; "" when none.
func closestModel(key string, models []string) string {
	for _, m := range models {
		if strings.HasSuffix(m, "/"+key) || strings.HasSuffix(key, "/"+m) {
			return m
		}
	}
	return scorecard.Suggest(key, models)
}

// quoteAll quotes up to n names, with "…" for the rest.
func quoteAll(names []string, n int) string {
	if len(names) > n {
		return quoteList(names[:n]) + ", …"
	}
	return quoteList(names)
}

// quoteList writes names quoted and separated by commas, as messages
// name them.
func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
