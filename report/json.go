// Package report renders a gate.Decision for people and machines: a
// terminal report, Markdown (the GitHub job summary), the JSON report of
// schema ftgate.report/v1, JUnit XML and an SVG chart. It decides nothing.
package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/visible"
)

// Schema is the JSON report's schema identifier.
const Schema = "ftgate.report/v1"

// Float is a number that is JSON null when it is not finite (JSON has no
// NaN or Infinity), written in the shortest form that reads back exactly.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	if x == 0 {
		return []byte("0"), nil // never "-0"
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// An Input describes one file the decision was made from.
type Input struct {
	Role    string `json:"role"` // baseline, candidate or history
	File    string `json:"file"`
	Format  string `json:"format"`
	System  string `json:"system"`
	Model   string `json:"model,omitempty"`
	Tier    string `json:"tier,omitempty"`
	SHA256  string `json:"sha256"`
	Samples int    `json:"samples"`
}

// JSONReport is the ftgate.report/v1 document. Field names are a contract
// (docs/report.md); add fields, never rename them.
type JSONReport struct {
	Schema   string   `json:"schema"`
	Verdict  string   `json:"verdict"`
	ExitCode int      `json:"exit_code"`
	Reasons  []string `json:"reasons"`
	// Findings are the reasons with the check each is about, what it says
	// for the verdict and whether it blocks the release.
	Findings []jsonFinding `json:"findings"`
	// FtgateVersion, PolicyFile and PolicySHA256 name what decided;
	// PolicyFile and PolicySHA256 are null when the defaults applied.
	FtgateVersion string  `json:"ftgate_version"`
	PolicyFile    *string `json:"policy_file"`
	PolicySHA256  *string `json:"policy_sha256"`
	// PolicyOverrides are the --set overrides applied over the policy
	// file (or the defaults), as given; empty when none.
	PolicyOverrides []string       `json:"policy_overrides"`
	Alpha           Float          `json:"alpha"`
	Policy          gate.Policy    `json:"policy"`
	Inputs          []Input        `json:"inputs"`
	Cases           jsonCases      `json:"cases"`
	Quality         jsonQuality    `json:"quality"`
	Cost            jsonCost       `json:"cost"`
	Latency         jsonLatency    `json:"latency"`
	Format          jsonFormat     `json:"format"`
	Segments        []jsonSegment  `json:"segments"`
	Power           jsonPower      `json:"power"`
	Economics       *jsonEconomics `json:"economics"`
	// Sequential is present in sequential mode (statistics.sequential).
	Sequential *jsonSequential   `json:"sequential,omitempty"`
	Checklist  []jsonChecklist   `json:"checklist"`
	Tiers      []jsonTier        `json:"tiers"`
	Routed     map[string]string `json:"routed,omitempty"`
	// Routes details the routed baseline per workflow (several tiers only).
	Routes []jsonRoute `json:"routes,omitempty"`
	// RoutingCheck is the cross-fitted routing's comparison (several
	// tiers only).
	RoutingCheck *jsonRoutingCheck `json:"routing_check,omitempty"`
	// FailureClasses and FailureTransitions are the checklist's class
	// table and the baseline → candidate transitions (what the tune fixed
	// and what it broke).
	FailureClasses     []jsonFailureClass `json:"failure_classes"`
	FailureTransitions []jsonTransition   `json:"failure_transitions"`
	// CaseChanges lists the cases behind the transitions: every case the
	// candidate broke, fixed or failed with another class.
	CaseChanges []jsonCaseChange `json:"case_changes"`
	Warnings    []string         `json:"warnings"`
	// InputWarnings are the warnings (also in Warnings) that put the
	// comparison itself in doubt: swapped or identical sides.
	InputWarnings []string `json:"input_warnings"`
}

type jsonFinding struct {
	Check    string `json:"check"`
	Status   string `json:"status"`
	Blocking bool   `json:"blocking"`
	Text     string `json:"text"`
}

type jsonCases struct {
	Paired            int `json:"paired"`
	Clusters          int `json:"clusters"`
	BaselineOnly      int `json:"baseline_only"`
	CandidateOnly     int `json:"candidate_only"`
	MaxSamplesPerCase int `json:"max_samples_per_case"`
	CountedAsFailures int `json:"counted_as_failures"`
}

type jsonDiscordant struct {
	CandidateOnly int `json:"candidate_only"`
	BaselineOnly  int `json:"baseline_only"`
}

type jsonQuality struct {
	Method     string          `json:"method"`
	Baseline   Float           `json:"baseline"`
	Candidate  Float           `json:"candidate"`
	Delta      Float           `json:"delta"`
	Margin     Float           `json:"margin"`
	CILow      Float           `json:"ci_low"`
	CIHigh     Float           `json:"ci_high"`
	CILevel    Float           `json:"ci_level"`
	PValue     Float           `json:"p_value"`
	Met        bool            `json:"met"`
	Missed     bool            `json:"missed"`
	Resamples  int             `json:"resamples"`
	Resampling string          `json:"resampling"`
	Discordant *jsonDiscordant `json:"discordant,omitempty"`
}

type jsonCost struct {
	Method            string `json:"method"`
	Measured          bool   `json:"measured"`
	NotMeasured       string `json:"not_measured,omitempty"`
	BaselineCPA       Float  `json:"baseline_cpa"`
	CandidateCPA      Float  `json:"candidate_cpa"`
	Ratio             Float  `json:"ratio"`
	MaxRatio          Float  `json:"max_ratio"`
	CILow             Float  `json:"ci_low"`
	CIHigh            Float  `json:"ci_high"`
	CILevel           Float  `json:"ci_level"`
	PValue            Float  `json:"p_value"`
	Met               bool   `json:"met"`
	Missed            bool   `json:"missed"`
	DeltaCILow        Float  `json:"delta_ci_low"`
	DeltaCIHigh       Float  `json:"delta_ci_high"`
	DeltaPValue       Float  `json:"delta_p_value"`
	Resamples         int    `json:"resamples"`
	Resampling        string `json:"resampling"`
	PValueMCError     Float  `json:"p_value_mc_error"`
	Seed              uint64 `json:"seed"`
	BaselineTotalUSD  Float  `json:"baseline_total_usd"`
	CandidateTotalUSD Float  `json:"candidate_total_usd"`
}

type jsonConstraint struct {
	Name     string `json:"name"`
	Limit    Float  `json:"limit"`
	Value    Float  `json:"value"`
	Held     bool   `json:"held"`
	Measured bool   `json:"measured"`
	Required bool   `json:"required"`
}

type jsonLatency struct {
	BaselineP50      Float            `json:"baseline_p50_ms"`
	BaselineP95      Float            `json:"baseline_p95_ms"`
	BaselineP95Low   Float            `json:"baseline_p95_ms_ci_low"`
	BaselineP95High  Float            `json:"baseline_p95_ms_ci_high"`
	CandidateP50     Float            `json:"candidate_p50_ms"`
	CandidateP95     Float            `json:"candidate_p95_ms"`
	CandidateP95Low  Float            `json:"candidate_p95_ms_ci_low"`
	CandidateP95High Float            `json:"candidate_p95_ms_ci_high"`
	IntervalMethod   string           `json:"p95_interval_method"`
	Constraints      []jsonConstraint `json:"constraints"`
}

type jsonFormat struct {
	BaselineValidRate  Float            `json:"baseline_valid_rate"`
	CandidateValidRate Float            `json:"candidate_valid_rate"`
	Constraints        []jsonConstraint `json:"constraints"`
}

type jsonSegment struct {
	Name       string `json:"name"`
	Cases      int    `json:"cases"`
	Baseline   Float  `json:"baseline"`
	Candidate  Float  `json:"candidate"`
	Delta      Float  `json:"delta"`
	PValue     Float  `json:"p_value"`
	PAdjusted  Float  `json:"p_adjusted"`
	Regression bool   `json:"regression"`
	Tested     bool   `json:"tested"`
	NotTested  string `json:"not_tested,omitempty"`
	MDE        Float  `json:"mde"`
	Resamples  int    `json:"resamples"`
}

type jsonPower struct {
	Effect              Float `json:"effect"`
	Target              Float `json:"target"`
	CasesNeeded         Float `json:"cases_needed"`
	MoreCasesNeeded     *int  `json:"more_cases_needed"`
	MDE                 Float `json:"mde"`
	CostRatio           Float `json:"cost_ratio"`
	CostCasesNeeded     Float `json:"cost_cases_needed"`
	CostMoreCasesNeeded *int  `json:"cost_more_cases_needed"`
	CostVariance        Float `json:"cost_variance"`
}

// moreCases is the number of cases needed beyond those at hand, or nil
// (null) when no number of cases is enough or none is known: the same
// null as cases_needed, never a 0 that would read as "enough".
func moreCases(needed float64, more int) *int {
	if math.IsNaN(needed) || math.IsInf(needed, 0) {
		return nil
	}
	return &more
}

type jsonCondition struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

type jsonEconomics struct {
	OneTimeUSD                         Float           `json:"one_time_usd"`
	MonthlyUSD                         Float           `json:"monthly_usd"`
	RetrainMonthlyUSD                  Float           `json:"retrain_monthly_usd"`
	HorizonMonths                      Float           `json:"horizon_months"`
	VolumeBasis                        string          `json:"volume_basis"`
	AcceptedOutcomesPerMonth           Float           `json:"accepted_outcomes_per_month"`
	RequestsPerMonth                   Float           `json:"requests_per_month"`
	SavingPerAcceptedUSD               Float           `json:"saving_per_accepted_usd"`
	SavingPerAcceptedConservativeUSD   Float           `json:"saving_per_accepted_conservative_usd"`
	SavingPerRequestUSD                Float           `json:"saving_per_request_usd"`
	SavingPerRequestConservativeUSD    Float           `json:"saving_per_request_conservative_usd"`
	MonthlySavingUSD                   Float           `json:"monthly_saving_usd"`
	MonthlySavingConservativeUSD       Float           `json:"monthly_saving_conservative_usd"`
	BreakEvenMonths                    Float           `json:"break_even_months"`
	BreakEvenMonthsConservative        Float           `json:"break_even_months_conservative"`
	BreakEvenNever                     bool            `json:"break_even_never"`
	BreakEvenMonthlyVolume             Float           `json:"break_even_monthly_volume"`
	BreakEvenMonthlyVolumeConservative Float           `json:"break_even_monthly_volume_conservative"`
	NetValueHorizonUSD                 Float           `json:"net_value_horizon_usd"`
	NetValueHorizonConservativeUSD     Float           `json:"net_value_horizon_conservative_usd"`
	Conditions                         []jsonCondition `json:"conditions"`
	Met                                int             `json:"met"`
	Required                           int             `json:"required"`
	Enforced                           bool            `json:"enforced"`
	Blocks                             bool            `json:"blocks"`
}

type jsonRoute struct {
	Workflow       string `json:"workflow"`
	Cases          int    `json:"cases"`
	Tier           string `json:"tier"`
	Acceptance     Float  `json:"acceptance"`
	CPA            Float  `json:"cpa"`
	BestTier       string `json:"best_tier"`
	BestAcceptance Float  `json:"best_acceptance"`
}

type jsonRoutingCheck struct {
	Folds              int   `json:"folds"`
	Acceptance         Float `json:"acceptance"`
	CrossFitAcceptance Float `json:"cross_fit_acceptance"`
	CPA                Float `json:"cpa"`
	CrossFitCPA        Float `json:"cross_fit_cpa"`
	Changed            int   `json:"changed_choices"`
}

type jsonFailureClass struct {
	Class     string `json:"class"`
	Baseline  int    `json:"baseline"`
	Candidate int    `json:"candidate"`
}

type jsonTransition struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Cases Float  `json:"cases"`
}

type jsonCaseChange struct {
	ID            string          `json:"id"`
	Workflow      string          `json:"workflow"`
	Change        string          `json:"change"`
	Baseline      jsonCaseOutcome `json:"baseline"`
	Candidate     jsonCaseOutcome `json:"candidate"`
	CostChangeUSD Float           `json:"cost_change_usd"`
}

type jsonCaseOutcome struct {
	Outcome        string   `json:"outcome"`
	Samples        int      `json:"samples"`
	Accepted       int      `json:"accepted"`
	FailureClasses []string `json:"failure_classes"`
	CostUSD        Float    `json:"cost_usd"`
}

func caseOutcome(o gate.CaseOutcome) jsonCaseOutcome {
	return jsonCaseOutcome{Outcome: o.Label(), Samples: o.Samples, Accepted: o.Accepted,
		FailureClasses: append([]string{}, o.Classes...), CostUSD: Float(o.CostUSD)}
}

type jsonChecklist struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Detail   string `json:"detail"`
}

type jsonTier struct {
	Name          string `json:"name"`
	Role          string `json:"role"`
	Quality       Float  `json:"quality"`
	QualityCILow  Float  `json:"quality_ci_low"`
	QualityCIHigh Float  `json:"quality_ci_high"`
	CPA           Float  `json:"cpa"`
	CPACILow      Float  `json:"cpa_ci_low"`
	CPACIHigh     Float  `json:"cpa_ci_high"`
	OnFrontier    bool   `json:"on_frontier"`
}

func constraints(ks []gate.Constraint) []jsonConstraint {
	out := make([]jsonConstraint, 0, len(ks))
	for _, k := range ks {
		out = append(out, jsonConstraint{Name: k.Name, Limit: Float(k.Limit), Value: Float(k.Value), Held: k.Held, Measured: k.Measured, Required: k.Required})
	}
	return out
}

// NewJSONReport maps a decision onto the report schema.
func NewJSONReport(d *gate.Decision, inputs []Input) *JSONReport {
	r := &JSONReport{
		Schema:   Schema,
		Verdict:  string(d.Verdict),
		ExitCode: d.ExitCode,
		Reasons:  append([]string{}, d.Reasons...),
		Alpha:    Float(d.Policy.Alpha),
		Policy:   d.Policy,
		Inputs:   append([]Input{}, inputs...),
		Warnings: append([]string{}, d.Warnings...),
		Routed:   d.Routed,

		InputWarnings: append([]string{}, d.InputWarnings...),

		FtgateVersion:   d.Provenance.Version,
		PolicyOverrides: append([]string{}, d.Provenance.Overrides...),
	}
	if d.Provenance.PolicyFile != "" {
		file, sum := d.Provenance.PolicyFile, d.Provenance.PolicySHA256
		r.PolicyFile, r.PolicySHA256 = &file, &sum
	}
	r.Findings = make([]jsonFinding, 0, len(d.Findings))
	for _, f := range d.Findings {
		r.Findings = append(r.Findings, jsonFinding{f.Check, f.Status, d.Blocking(f), f.Text})
	}
	c := d.Cases
	r.Cases = jsonCases{c.Paired, c.Clusters, c.BaselineOnly, c.CandidateOnly, c.MaxSamplesPerCase, c.CountedAsFailures}
	q := d.Quality
	r.Quality = jsonQuality{Method: q.Method, Baseline: Float(q.Baseline), Candidate: Float(q.Candidate), Delta: Float(q.Delta),
		Margin: Float(q.Margin), CILow: Float(q.CILow), CIHigh: Float(q.CIHigh), CILevel: Float(q.CILevel), PValue: Float(q.PValue),
		Met: q.Met, Missed: q.Missed, Resamples: q.Resamples, Resampling: q.Resampling}
	if q.Discordant != nil {
		r.Quality.Discordant = &jsonDiscordant{q.Discordant.CandidateOnly, q.Discordant.BaselineOnly}
	}
	k := d.Cost
	r.Cost = jsonCost{Method: k.Method, Measured: k.Measured, NotMeasured: k.NotMeasured, BaselineCPA: Float(k.BaselineCPA), CandidateCPA: Float(k.CandidateCPA),
		Ratio: Float(k.Ratio), MaxRatio: Float(k.MaxRatio), CILow: Float(k.CILow), CIHigh: Float(k.CIHigh), CILevel: Float(k.CILevel),
		PValue: Float(k.PValue), Met: k.Met, Missed: k.Missed, DeltaCILow: Float(k.DeltaCILow), DeltaCIHigh: Float(k.DeltaCIHigh),
		DeltaPValue: Float(k.DeltaPValue), Resamples: k.Resamples, Resampling: k.Resampling, PValueMCError: Float(k.MCError), Seed: k.Seed,
		BaselineTotalUSD: Float(k.BaselineTotalUSD), CandidateTotalUSD: Float(k.CandidateTotalUSD)}
	l := d.Latency
	r.Latency = jsonLatency{Float(l.BaselineP50), Float(l.BaselineP95), Float(l.BaselineP95Low), Float(l.BaselineP95High),
		Float(l.CandidateP50), Float(l.CandidateP95), Float(l.CandidateP95Low), Float(l.CandidateP95High), l.IntervalMethod, constraints(l.Constraints)}
	f := d.Format
	r.Format = jsonFormat{Float(f.BaselineValidRate), Float(f.CandidateValidRate), constraints(f.Constraints)}
	r.Segments = make([]jsonSegment, 0, len(d.Segments))
	for _, s := range d.Segments {
		r.Segments = append(r.Segments, jsonSegment{s.Name, s.Cases, Float(s.Baseline), Float(s.Candidate), Float(s.Delta),
			Float(s.PValue), Float(s.PAdjusted), s.Regression, s.Tested, s.NotTested, Float(s.MDE), s.Resamples})
	}
	r.Sequential = newJSONSequential(d.Sequential)
	p := d.Power
	r.Power = jsonPower{Float(p.Effect), Float(p.Target), Float(p.CasesNeeded), moreCases(p.CasesNeeded, p.MoreCasesNeeded), Float(p.MDE),
		Float(p.CostRatio), Float(p.CostCasesNeeded), moreCases(p.CostCasesNeeded, p.CostMoreCasesNeeded), Float(p.CostVariance)}
	if e := d.Economics; e != nil {
		je := &jsonEconomics{
			OneTimeUSD: Float(e.OneTimeUSD), MonthlyUSD: Float(e.MonthlyUSD), RetrainMonthlyUSD: Float(e.RetrainMonthlyUSD),
			HorizonMonths: Float(e.HorizonMonths), VolumeBasis: e.VolumeBasis,
			AcceptedOutcomesPerMonth: Float(e.AcceptedOutcomesPerMonth), RequestsPerMonth: Float(e.RequestsPerMonth),
			SavingPerAcceptedUSD: Float(e.SavingPerAcceptedUSD), SavingPerAcceptedConservativeUSD: Float(e.SavingPerAcceptedConservativeUSD),
			SavingPerRequestUSD: Float(e.SavingPerRequestUSD), SavingPerRequestConservativeUSD: Float(e.SavingPerRequestConservativeUSD),
			MonthlySavingUSD: Float(e.MonthlySavingUSD), MonthlySavingConservativeUSD: Float(e.MonthlySavingConservativeUSD),
			BreakEvenMonths: Float(e.BreakEvenMonths), BreakEvenMonthsConservative: Float(e.BreakEvenMonthsConservative),
			BreakEvenNever:         math.IsInf(e.BreakEvenMonths, 1) || math.IsInf(e.BreakEvenMonthlyVolume, 1),
			BreakEvenMonthlyVolume: Float(e.BreakEvenMonthlyVolume), BreakEvenMonthlyVolumeConservative: Float(e.BreakEvenMonthlyVolumeConservative),
			NetValueHorizonUSD: Float(e.NetValueHorizonUSD), NetValueHorizonConservativeUSD: Float(e.NetValueHorizonConservativeUSD),
			Conditions: make([]jsonCondition, 0, len(e.Conditions)), Met: e.Met, Required: e.Required, Enforced: e.Enforced, Blocks: e.Blocks,
		}
		for _, c := range e.Conditions {
			je.Conditions = append(je.Conditions, jsonCondition{c.Name, c.Status, c.Detail})
		}
		r.Economics = je
	}
	for _, rt := range d.Routes {
		r.Routes = append(r.Routes, jsonRoute{rt.Workflow, rt.Cases, rt.Tier, Float(rt.Acceptance), Float(rt.CPA), rt.BestTier, Float(rt.BestAcceptance)})
	}
	if rc := d.RoutingCheck; rc != nil {
		r.RoutingCheck = &jsonRoutingCheck{rc.Folds, Float(rc.Acceptance), Float(rc.CrossFitAcceptance), Float(rc.CPA), Float(rc.CrossFitCPA), rc.Changed}
	}
	r.FailureClasses = make([]jsonFailureClass, 0, len(d.FailureClasses))
	for _, c := range d.FailureClasses {
		r.FailureClasses = append(r.FailureClasses, jsonFailureClass{c.Class, c.Baseline, c.Candidate})
	}
	r.FailureTransitions = make([]jsonTransition, 0, len(d.FailureTransitions))
	for _, t := range d.FailureTransitions {
		r.FailureTransitions = append(r.FailureTransitions, jsonTransition{t.From, t.To, Float(t.Cases)})
	}
	r.CaseChanges = make([]jsonCaseChange, 0, len(d.CaseChanges))
	for _, c := range d.CaseChanges {
		r.CaseChanges = append(r.CaseChanges, jsonCaseChange{ID: c.ID, Workflow: c.Workflow, Change: c.Change,
			Baseline: caseOutcome(c.Baseline), Candidate: caseOutcome(c.Candidate), CostChangeUSD: Float(c.CostChangeUSD)})
	}
	r.Checklist = make([]jsonChecklist, 0, len(d.Checklist))
	for _, c := range d.Checklist {
		r.Checklist = append(r.Checklist, jsonChecklist{c.Question, c.Answer, c.Detail})
	}
	r.Tiers = make([]jsonTier, 0, len(d.Tiers))
	for _, t := range d.Tiers {
		r.Tiers = append(r.Tiers, jsonTier{t.Name, t.Role, Float(t.Quality), Float(t.QualityLow), Float(t.QualityHigh),
			Float(t.CPA), Float(t.CPALow), Float(t.CPAHigh), t.OnFrontier})
	}
	return r
}

// JSON returns the report as indented JSON with a final newline. The same
// decision always gives the same bytes. Strings are escaped by
// visible.JSON as well, so that the document prints unchanged through
// ftgate's output guard: no "##[", no raw control or direction marks.
func JSON(d *gate.Decision, inputs []Input) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(NewJSONReport(d, inputs)); err != nil {
		return nil, err
	}
	return visible.JSON(buf.Bytes()), nil
}
