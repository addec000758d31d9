package scorecard

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// A Price is what a model charges, in USD per million tokens.
type Price struct {
	InputPerMTok       float64  `yaml:"input_per_mtok" json:"input_per_mtok"`
	OutputPerMTok      float64  `yaml:"output_per_mtok" json:"output_per_mtok"`
	CachedInputPerMTok *float64 `yaml:"cached_input_per_mtok,omitempty" json:"cached_input_per_mtok,omitempty"`
}

// Cost prices one sample's usage. input_tokens counts all input tokens,
// cached ones included (as the OpenAI and Anthropic usage fields do once
// summed); cached tokens are charged at the cached rate, or at the input
// rate when the table gives none.
func (p Price) Cost(u Usage) float64 {
	cached := p.InputPerMTok
	if p.CachedInputPerMTok != nil {
		cached = *p.CachedInputPerMTok
	}
	fresh := u.InputTokens - u.CachedInputTokens
	return (float64(fresh)*p.InputPerMTok + float64(u.CachedInputTokens)*cached + float64(u.OutputTokens)*p.OutputPerMTok) / 1e6
}

// ApplyPricing fills in the cost of every sample that has usage but no
// cost_usd, from the price table (keyed by usage.model). It then insists
// that costs are all present or all absent: an arm with some costs missing
// would make its cost per accepted outcome meaningless. Usage left without
// a price is not an error (the cost is then not measured); UnpricedModels
// says which models it names.
func ApplyPricing(sc *Scorecard, prices map[string]Price) error {
	var errs ErrorList
	missingModels := map[string]int{}
	priced, unpriced := 0, 0
	firstUnpriced := -1
	for i := range sc.Samples {
		s := &sc.Samples[i]
		if s.CostUSD == nil && s.Usage != nil {
			if p, ok := prices[s.Usage.Model]; ok {
				c := p.Cost(*s.Usage)
				if math.IsInf(c, 0) || math.IsNaN(c) {
					errs = append(errs, Errorf(sc.Source, s.Line, "case %q: its %d input and %d output tokens at the prices of %q come to more than a float64 holds; check the token counts and the policy's pricing table",
						s.ID, s.Usage.InputTokens, s.Usage.OutputTokens, s.Usage.Model))
					if len(errs) >= maxErrors {
						return errs
					}
					continue
				}
				s.CostUSD = &c
			} else {
				missingModels[s.Usage.Model]++
			}
		}
		if s.CostUSD != nil {
			priced++
		} else {
			unpriced++
			if firstUnpriced < 0 {
				firstUnpriced = i
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if priced > 0 && unpriced > 0 {
		s := sc.Samples[firstUnpriced]
		msg := fmt.Sprintf("case %q has no cost while %d other samples do (%d of %d samples lack cost_usd and priced usage)", s.ID, priced, unpriced, priced+unpriced)
		if len(missingModels) > 0 {
			msg += "; add these models to the policy's pricing table: " + quotedKeys(missingModels)
		}
		errs = append(errs, Errorf(sc.Source, s.Line, "%s", msg))
	}
	return errs.Err()
}

// UnpricedModels counts, by the model its usage names, the samples that
// have token usage but no cost: the models the pricing table lacks.
func UnpricedModels(sc *Scorecard) map[string]int {
	out := map[string]int{}
	for i := range sc.Samples {
		if s := &sc.Samples[i]; s.CostUSD == nil && s.Usage != nil {
			out[s.Usage.Model]++
		}
	}
	return out
}

// UsageModels lists the models that the samples' usage names, sorted.
func UsageModels(sc *Scorecard) []string {
	seen := map[string]bool{}
	var out []string
	for i := range sc.Samples {
		if u := sc.Samples[i].Usage; u != nil && !seen[u.Model] {
			seen[u.Model] = true
			out = append(out, u.Model)
		}
	}
	sort.Strings(out)
	return out
}

func quotedKeys(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, fmt.Sprintf("%q", k))
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
