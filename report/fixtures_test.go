package report

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/golden"
)

// checkGolden compares got with testdata/<name>, or rewrites it under
// -update (internal/golden).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), string(got))
}

// hostile is a name that tries every trick: a workflow command, a line
// break, URL escapes, a table pipe, code spans, HTML, emphasis, a link,
// bare URLs and a www. address that GitHub would autolink, an e-mail
// address, a mention, bidirectional overrides and isolates, and a list
// marker.
const hostile = "- ::error::pwned%0A|`x`|\n::warning title=a,b::c <script>alert(1)</script> *b* _i_ [l](http://x) @octocat \u202etxt.exe ##[error]legacy $x$" +
	" https://evil.example/login HTTP://EVIL.example www.evil.example (WWW.evil.example) ops@evil.example [pass](https://evil.example) \u2066\u200f\u061c"

// A fixture is a hand-built decision, so the renderers are tested on their
// own, whatever the gate computes.
type fixture struct {
	name  string
	d     *gate.Decision
	names Names
}

func basePolicy() gate.Policy {
	p := gate.DefaultPolicy()
	p.Alpha = 0.05
	p.Cost.Required = true
	p.Segments.BlockOnRegression = true
	return p
}

func fixtures() []fixture {
	nan := math.NaN()
	pass := &gate.Decision{
		Verdict: gate.Pass, ExitCode: 0, Policy: basePolicy(),
		Reasons: []string{
			"Quality: the candidate accepts 86.0% of cases against the baseline's 81.0% (+5.0 pts, 90.0% interval [+2.1, +7.9] pts); p = 0.0021 ≤ α = 0.05, so the gain over the margin +0.0 pts is established (cluster-t).",
			"Cost: the candidate's cost per accepted outcome is 0.446× of the baseline's ($0.005886 → $0.002626, 90.0% interval [0.430×, 0.461×]); p < 0.0001 ≤ α = 0.05, so it is below the limit 1.000× (bootstrap).",
		},
		Cases:   gate.CaseCounts{Paired: 600, Clusters: 289, MaxSamplesPerCase: 1},
		Quality: gate.Quality{Method: "cluster-t", Baseline: 0.81, Candidate: 0.86, Delta: 0.05, CILow: 0.021, CIHigh: 0.079, CILevel: 0.9, PValue: 0.0021, Met: true},
		Cost: gate.Cost{Measured: true, Method: "bootstrap", BaselineCPA: 0.005886, CandidateCPA: 0.002626, Ratio: 0.446, MaxRatio: 1,
			CILow: 0.43, CIHigh: 0.461, CILevel: 0.9, PValue: 0.00001, Met: true, DeltaCILow: 0.431, DeltaCIHigh: 0.462, DeltaPValue: 0.00002,
			Resamples: 10000, Seed: 1, BaselineTotalUSD: 3.18, CandidateTotalUSD: 1.45},
		Latency: gate.Latency{Measured: true, BaselineP50: 2229, BaselineP95: 3946, CandidateP50: 1280, CandidateP95: 1994,
			BaselineP95Low: 3782, BaselineP95High: 4095, CandidateP95Low: 1940, CandidateP95High: 2109,
			Constraints: []gate.Constraint{{Name: "latency.max_p95_ms", Limit: 2500, Value: 1994, Measured: true, Held: true}}},
		Format: gate.Format{Measured: true, BaselineValidRate: 0.98, CandidateValidRate: 0.995,
			Constraints: []gate.Constraint{{Name: "format.min_valid_rate", Limit: 0.98, Value: 0.995, Measured: true, Held: true}}},
		Segments: []gate.Segment{
			{Name: "order-status", Cases: 260, Baseline: 0.919, Candidate: 0.95, Delta: 0.031, PValue: 0.9, PAdjusted: 1, Tested: true},
			{Name: "policy-qa", Cases: 12, Baseline: 0.75, Candidate: 0.8333, Delta: 0.0833, PValue: nan, PAdjusted: nan},
			{Name: "refund-email", Cases: 260, Baseline: 0.885, Candidate: 0.892, Delta: 0.008, PValue: 0.6, PAdjusted: 1, Tested: true},
		},
		Power: gate.Power{Effect: 0.02, Target: 0.9, CasesNeeded: 480, MDE: 0.018},
	}

	fail := &gate.Decision{
		Verdict: gate.Fail, ExitCode: 1, Policy: basePolicy(),
		Reasons: []string{
			"Quality: the candidate accepts 84.0% of cases against the baseline's 82.0% (+2.0 pts, 90.0% interval [+0.4, +3.6] pts); p = 0.0210 ≤ α = 0.05, so the gain over the margin +0.0 pts is established (mcnemar-exact).",
			"Cost: the candidate's cost per accepted outcome is 1.310× of the baseline's ($0.0031 → $0.004061); the whole 90.0% interval [1.220×, 1.400×] lies above the limit 1.000×, so the candidate costs more per accepted outcome (delta).",
			"Segment \"refund-email\" regresses: 90.0% → 78.0% (-12.0 pts) over 100 cases, Holm-adjusted p = 0.0031 ≤ α = 0.05; this blocks the release.",
			"Constraint latency.max_p95_ms: broken, 2710 against the limit 2500.",
		},
		Cases:   gate.CaseCounts{Paired: 400, Clusters: 400, MaxSamplesPerCase: 1, BaselineOnly: 3, CandidateOnly: 1},
		Quality: gate.Quality{Method: "mcnemar-exact", Baseline: 0.82, Candidate: 0.84, Delta: 0.02, CILow: 0.004, CIHigh: 0.036, CILevel: 0.9, PValue: 0.021, Met: true, Discordant: &gate.Discordant{CandidateOnly: 30, BaselineOnly: 22}},
		Cost: gate.Cost{Measured: true, Method: "delta", BaselineCPA: 0.0031, CandidateCPA: 0.004061, Ratio: 1.31, MaxRatio: 1,
			CILow: 1.22, CIHigh: 1.4, CILevel: 0.9, PValue: 1, Missed: true, BaselineTotalUSD: 1.02, CandidateTotalUSD: 1.36},
		Latency: gate.Latency{Measured: true, BaselineP50: 1500, BaselineP95: 2300, CandidateP50: 1700, CandidateP95: 2710,
			BaselineP95Low: 2200, BaselineP95High: 2410, CandidateP95Low: 2600, CandidateP95High: 2800,
			Constraints: []gate.Constraint{{Name: "latency.max_p95_ms", Limit: 2500, Value: 2710, Measured: true, Held: false}}},
		Format: gate.Format{BaselineValidRate: nan, CandidateValidRate: nan,
			Constraints: []gate.Constraint{{Name: "format.min_valid_rate", Limit: 0.98, Value: nan}}},
		Segments: []gate.Segment{
			{Name: "order-status", Cases: 300, Baseline: 0.79, Candidate: 0.86, Delta: 0.07, PValue: 0.99, PAdjusted: 1, Tested: true},
			{Name: "refund-email", Cases: 100, Baseline: 0.9, Candidate: 0.78, Delta: -0.12, PValue: 0.0016, PAdjusted: 0.0031, Tested: true, Regression: true},
		},
		Power:    gate.Power{Effect: 0.02, Target: 0.9, CasesNeeded: 2300, MoreCasesNeeded: 1900, MDE: 0.031},
		Warnings: []string{"3 baseline-only and 1 candidate-only cases were dropped (pairing.allow_unmatched: true)"},
	}

	inconclusive := &gate.Decision{
		Verdict: gate.Inconclusive, ExitCode: 1, Policy: basePolicy(),
		Reasons: []string{
			"Quality: the candidate accepts 71.0% of cases against the baseline's 70.0% (+1.0 pts, 90.0% interval [-4.1, +6.1] pts); p = 0.3800 > α = 0.05, so a gain over the margin +0.0 pts is not established (mcnemar-exact).",
			"Cost: not measured (no cost or priced usage in at least one scorecard), so the candidate cannot be shown to be cheaper per accepted outcome; add cost_usd or token usage with a pricing table, or set cost.required: false.",
			"About 2000 more paired cases (2200 in all) would give 90.0% power to detect a quality gain of +2.0 pts.",
			"Without evidence either way the release is blocked (inconclusive: fail).",
		},
		Cases:   gate.CaseCounts{Paired: 200, Clusters: 200, MaxSamplesPerCase: 1},
		Quality: gate.Quality{Method: "mcnemar-exact", Baseline: 0.70, Candidate: 0.71, Delta: 0.01, CILow: -0.041, CIHigh: 0.061, CILevel: 0.9, PValue: 0.38},
		Cost:    gate.Cost{Method: "not-measured", BaselineCPA: nan, CandidateCPA: nan, Ratio: nan, CILow: nan, CIHigh: nan, PValue: nan},
		Latency: gate.Latency{BaselineP50: nan, BaselineP95: nan, CandidateP50: nan, CandidateP95: nan,
			BaselineP95Low: nan, BaselineP95High: nan, CandidateP95Low: nan, CandidateP95High: nan},
		Format: gate.Format{BaselineValidRate: nan, CandidateValidRate: nan},
		Power:  gate.Power{Effect: 0.02, Target: 0.9, CasesNeeded: 2200, MoreCasesNeeded: 2000, MDE: 0.06},
	}

	econPol := basePolicy()
	econPol.Inconclusive = "warn"
	economics := &gate.Decision{
		Verdict: gate.Pass, ExitCode: 0, Policy: econPol,
		Reasons: append(append([]string{}, pass.Reasons...), "Economics: the threshold rule holds (3 of 4 conditions met, 3 required)."),
		Cases:   pass.Cases, Quality: pass.Quality, Cost: pass.Cost, Latency: pass.Latency, Format: pass.Format, Segments: pass.Segments, Power: pass.Power,
		Economics: &gate.Economics{OneTimeUSD: 4200, MonthlyUSD: 350, SavingPerAcceptedUSD: 0.00326, SavingPerAcceptedConservativeUSD: 0.0029,
			BreakEvenMonths: 2.7, BreakEvenMonthlyVolume: 110000, BreakEvenMonthlyVolumeConservative: 121000, NetValueHorizonUSD: 18000,
			NetValueHorizonConservativeUSD: 15500, AcceptedOutcomesPerMonth: 600000,
			Conditions: []gate.Condition{
				{Name: "volume", Status: "met", Detail: "600000 accepted outcomes a month, break-even at 110000"},
				{Name: "strict_format", Status: "met", Detail: "format.min_valid_rate held (99.5%)"},
				{Name: "latency", Status: "met", Detail: "p95 0.505× the baseline's"},
				{Name: "plateau", Status: "not_measured", Detail: "no --baseline-history given"},
			},
			Met: 3, Required: 3, Enforced: true},
		Checklist: []gate.ChecklistItem{
			{Question: "Are failures labelled?", Answer: "yes", Detail: "96% of failed cases have a failure_class"},
			{Question: "Does the eval mix match production?", Answer: "no", Detail: "total variation distance 0.18 > 0.1"},
			{Question: "Is the baseline still improving?", Answer: "unknown", Detail: "no history"},
		},
		Tiers: []gate.Tier{
			{Name: "small", Role: "baseline", Quality: 0.78, QualityLow: 0.75, QualityHigh: 0.81, CPA: 0.0021, CPALow: 0.002, CPAHigh: 0.0022},
			{Name: "large", Role: "baseline", Quality: 0.91, QualityLow: 0.89, QualityHigh: 0.93, CPA: 0.012, CPALow: 0.0115, CPAHigh: 0.0125, OnFrontier: true},
			{Name: "routed baseline", Role: "routed", Quality: 0.81, QualityLow: 0.79, QualityHigh: 0.83, CPA: 0.005886, CPALow: 0.0056, CPAHigh: 0.0061, OnFrontier: true},
			{Name: "support-ft-mini-v5", Role: "candidate", Quality: 0.86, QualityLow: 0.84, QualityHigh: 0.88, CPA: 0.002626, CPALow: 0.0025, CPAHigh: 0.0028, OnFrontier: true},
		},
		Routed: map[string]string{"refund-email": "large", "order-status": "small", "policy-qa": "large"},
	}
	for i := range 23 {
		economics.Warnings = append(economics.Warnings, "case \"c-"+string(rune('a'+i))+"\" has no latency_ms")
	}

	hostileD := &gate.Decision{
		Verdict: gate.Fail, ExitCode: 1, Policy: basePolicy(),
		Reasons: []string{
			pass.Reasons[0],
			"Segment " + quote(hostile) + " regresses: 90.0% → 60.0% (-30.0 pts) over 40 cases, Holm-adjusted p = 0.0010 ≤ α = 0.05; this blocks the release.",
		},
		Cases: pass.Cases, Quality: pass.Quality, Cost: pass.Cost, Latency: pass.Latency, Power: pass.Power,
		Format: gate.Format{BaselineValidRate: nan, CandidateValidRate: nan},
		Segments: []gate.Segment{
			{Name: hostile, Cases: 40, Baseline: 0.9, Candidate: 0.6, Delta: -0.3, PValue: 0.0005, PAdjusted: 0.001, Tested: true, Regression: true},
			{Name: "<img src=x onerror=alert(1)>", Cases: 40, Baseline: 0.9, Candidate: 0.9, Delta: 0, PValue: 0.5, PAdjusted: 1, Tested: true},
		},
		Economics: &gate.Economics{Conditions: []gate.Condition{{Name: "volume", Status: hostile, Detail: hostile}}, Required: 3},
		Checklist: []gate.ChecklistItem{{Question: hostile, Answer: "unknown", Detail: hostile}},
		Tiers: []gate.Tier{
			{Name: hostile, Role: "baseline", Quality: 0.81, CPA: 0.005886},
			{Name: "```\n</details>", Role: "candidate", Quality: 0.86, CPA: 0.002626},
		},
		Routed:   map[string]string{hostile: hostile},
		Warnings: []string{"case " + quote(hostile) + " is only in the baseline", hostile},
	}
	for _, d := range []*gate.Decision{pass, fail, inconclusive, economics, hostileD} {
		d.Findings = findingsOf(d.Reasons)
		d.Provenance = gate.Provenance{PolicyFile: "gate.yaml", PolicySHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Version: "v1.2.3"}
	}
	hostileD.Provenance.PolicyFile = hostile
	return []fixture{
		{"pass", pass, Names{Baseline: "support-rag-v7", Candidate: "support-ft-nano-v3"}},
		{"fail", fail, Names{Baseline: "support-rag-v7", Candidate: "support-ft-nano-v4"}},
		{"inconclusive", inconclusive, Names{Baseline: "gpt-4.1-mini", Candidate: "ft:gpt-4.1-nano:acme:v1"}},
		{"economics", economics, Names{Baseline: "routed baseline", Candidate: "support-ft-mini-v5"}},
		{"hostile", hostileD, Names{Baseline: hostile, Candidate: "cand|<b>idate</b>`"}},
	}
}

// findingsOf classifies hand-written reasons the way the gate does.
func findingsOf(reasons []string) []gate.Finding {
	var out []gate.Finding
	for _, r := range reasons {
		f := gate.Finding{Check: gate.CheckVerdict, Status: gate.FindingInfo, Text: r}
		for prefix, check := range map[string]string{"Quality:": gate.CheckQuality, "Cost:": gate.CheckCost, "Segment": gate.CheckSegment,
			"Constraint": gate.CheckConstraint, "Economics:": gate.CheckEconomics} {
			if strings.HasPrefix(r, prefix) {
				f.Check = check
			}
		}
		switch {
		case strings.Contains(r, "is established"), strings.Contains(r, "so it is below the limit"), strings.Contains(r, "rule holds"):
			f.Status = gate.FindingPass
		case strings.Contains(r, "blocks the release."), strings.Contains(r, "broken,"), strings.Contains(r, "costs more"), strings.Contains(r, "does not clear"):
			f.Status = gate.FindingFail
		case strings.Contains(r, "not established"), strings.Contains(r, "cannot be shown"):
			f.Status = gate.FindingOpen
		}
		out = append(out, f)
	}
	return out
}

// quote is %q, which the gate uses to quote names in its reasons.
func quote(s string) string { return strconv.Quote(s) }
