package gate

import "github.com/ftgate/ftgate/scorecard"

// economicsConfigured reports whether the policy asks for the economics.
func economicsConfigured(pol Policy) bool {
	return pol.Economics.Enforce || pol.Economics.AcceptedOutcomesPerMonth != nil || pol.Economics.RequestsPerMonth != nil
}

// economics is completed with the economics work; until then it reports
// nothing.
func economics(d *Decision, p *scorecard.Paired, in Input, base, cand arm, pol Policy) *Economics {
	return nil
}

func checklist(d *Decision, p *scorecard.Paired, base, cand arm, pol Policy) []ChecklistItem {
	return nil
}

func routeBaseline(d *Decision, p *scorecard.Paired, in Input, pol Policy) (arm, error) {
	return armOf(p, in.Baselines[0]), nil
}
