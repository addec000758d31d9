package report

import (
	"fmt"
	"math"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
)

// economicsNotMeasured is what every report says when the policy prices
// no hidden costs and gives no volume: the same words whatever else (tiers,
// history) the run has.
const economicsNotMeasured = "Not measured: the policy gives no hidden costs of fine-tuning and no monthly volume " +
	"(economics.costs, and economics.accepted_outcomes_per_month or requests_per_month), so there is no break-even."

// economicsPriced reports whether the decision's economics has anything
// to break even on: hidden costs or a volume.
func economicsPriced(e *gate.Economics) bool {
	return e != nil && (e.OneTimeUSD != 0 || e.MonthlyUSD != 0 || e.VolumeBasis != "")
}

// economicsRows returns the break-even table as label, value and
// conservative value, or nil when the economics is not priced. Every
// renderer shows these rows, in this order.
func economicsRows(d *gate.Decision) [][3]string {
	e := d.Economics
	if !economicsPriced(e) {
		return nil
	}
	unit := "accepted outcomes"
	if e.VolumeBasis == gate.BasisRequests {
		unit = "requests"
	}
	rows := [][3]string{
		{"one-time costs", numfmt.USD(e.OneTimeUSD), ""},
		{"recurring costs per month", numfmt.USD(e.MonthlyUSD), ""},
	}
	if e.RetrainMonthlyUSD > 0 {
		rows = append(rows, [3]string{"  of which retraining", numfmt.USD(e.RetrainMonthlyUSD), ""})
	}
	switch e.VolumeBasis {
	case gate.BasisRequests:
		rows = append(rows, [3]string{"requests per month", numfmt.Count(e.RequestsPerMonth), ""},
			[3]string{"  accepted outcomes at the baseline's acceptance", numfmt.Count(e.AcceptedOutcomesPerMonth), ""})
	case gate.BasisAcceptedOutcomes:
		rows = append(rows, [3]string{"accepted outcomes per month", numfmt.Count(e.AcceptedOutcomesPerMonth), ""})
	default:
		rows = append(rows, [3]string{"volume per month", "not given", ""})
	}
	rows = append(rows, [3]string{"saving per accepted outcome", money(e.SavingPerAcceptedUSD), money(e.SavingPerAcceptedConservativeUSD)})
	if e.VolumeBasis == gate.BasisRequests {
		rows = append(rows, [3]string{"saving per request", money(e.SavingPerRequestUSD), money(e.SavingPerRequestConservativeUSD)})
	}
	if e.VolumeBasis != "" {
		rows = append(rows, [3]string{"net saving per month", money(e.MonthlySavingUSD), money(e.MonthlySavingConservativeUSD)},
			[3]string{"break-even after", numfmt.Months(e.BreakEvenMonths), numfmt.Months(e.BreakEvenMonthsConservative)})
	}
	rows = append(rows, [3]string{"break-even volume (" + unit + " per month)", numfmt.Volume(e.BreakEvenMonthlyVolume), numfmt.Volume(e.BreakEvenMonthlyVolumeConservative)})
	if e.VolumeBasis != "" {
		rows = append(rows, [3]string{"net value over " + numfmt.Num(e.HorizonMonths) + " months", money(e.NetValueHorizonUSD), money(e.NetValueHorizonConservativeUSD)})
	}
	return rows
}

// money formats dollars, "unknown" when undefined.
func money(x float64) string {
	if math.IsNaN(x) {
		return "unknown"
	}
	return numfmt.USD(x)
}

// thresholdSentence states the threshold rule's count.
func thresholdSentence(e *gate.Economics) string {
	mode := "advice only"
	if e.Enforced {
		mode = "enforced"
	}
	return fmt.Sprintf("Threshold rule: %d of %d conditions met, %d required (%s).", e.Met, max(4, len(e.Conditions)), e.Required, mode)
}
