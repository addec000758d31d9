package gate

import "context"

// A Verdict is the outcome of the gate.
type Verdict string

// The three verdicts.
const (
	Pass         Verdict = "pass"
	Fail         Verdict = "fail"
	Inconclusive Verdict = "inconclusive"
)

// Exit codes of the command line, named here because the policy decides
// which one an inconclusive verdict gets.
const (
	ExitPass     = 0
	ExitNotPass  = 1
	ExitBadInput = 2
	ExitInternal = 3
)

// A Decision is everything the gate concluded, with the evidence. Values
// that are undefined (a cost per accepted outcome with no accepted
// outcome) are NaN or ±Inf here; renderers decide how to show them.
type Decision struct {
	Verdict  Verdict
	ExitCode int
	// Reasons are sentences, in the order the checks ran.
	Reasons []string
	// Findings are the same sentences with the check each is about and
	// what it says for the verdict, so a report can put the blocking
	// ones first.
	Findings []Finding
	Warnings []string
	// InputWarnings are the warnings that put the comparison itself in
	// doubt (the sides look swapped, both sides have the same content).
	// They are also in Warnings; reports show them before everything
	// else. The gate leaves them to its caller, which knows the inputs.
	InputWarnings []string
	Policy        Policy

	Cases     CaseCounts
	Quality   Quality
	Cost      Cost
	Latency   Latency
	Format    Format
	Segments  []Segment
	Power     Power
	Economics *Economics
	// Sequential holds the evidence of sequential mode (nil otherwise).
	Sequential *Sequential
	Checklist  []ChecklistItem
	Tiers      []Tier
	// Routed maps each workflow to the baseline tier that serves it, when
	// several baseline tiers were given.
	Routed map[string]string
	// Routes details the routed baseline, one row per workflow in name
	// order (empty with a single baseline).
	Routes []Route
	// RoutingCheck measures how much choosing the routed baseline's tiers
	// on the evaluated cases flatters it (nil with a single baseline).
	RoutingCheck *RoutingCheck
	// FailureClasses counts the not-accepted samples of each arm by
	// failure class (checklist point 1).
	FailureClasses []FailureClassCount
	// FailureTransitions counts, case by case, how the baseline's outcome
	// (accepted or a failure class) turned into the candidate's: what the
	// tune fixed and what it broke.
	FailureTransitions []Transition
	// TransitionTotals adds the transitions up by kind (fixed, broke,
	// changed class, same class).
	TransitionTotals TransitionTotals
	// CaseChanges lists, case by case, what the candidate broke, fixed or
	// failed differently (the cases behind FailureTransitions): broken
	// cases first, then fixed, then changed class.
	CaseChanges []CaseChange
	// Provenance names the policy file and the ftgate version.
	Provenance Provenance
	// ctx is the context of the DecideContext call, which stops the
	// bootstraps; nil (never cancelled) in a Decision built by hand.
	ctx context.Context
	// res is the decision's bootstrap (resampling.go).
	res *resampling
}

// A Finding is one reason for the verdict.
type Finding struct {
	// Check is CheckQuality, CheckCost, CheckSegment, CheckConstraint,
	// CheckEconomics or CheckVerdict (advice on the verdict as a whole).
	Check string
	// Status is FindingPass (the check holds), FindingFail (evidence
	// against the candidate: it blocks), FindingOpen (not established
	// either way: it blocks unless inconclusive: warn) or FindingInfo (a
	// note that decides nothing).
	Status string
	Text   string
}

// Checks and statuses of a Finding.
const (
	CheckQuality    = "quality"
	CheckCost       = "cost"
	CheckSegment    = "segment"
	CheckConstraint = "constraint"
	CheckEconomics  = "economics"
	CheckVerdict    = "verdict"

	FindingPass = "pass"
	FindingFail = "fail"
	FindingOpen = "open"
	FindingInfo = "info"
)

// Blocking reports whether the finding stands in the way of a release
// under this decision: evidence against the candidate, or a check not
// established when the inconclusive verdict blocks.
func (d *Decision) Blocking(f Finding) bool {
	return f.Status == FindingFail || (f.Status == FindingOpen && d.ExitCode != ExitPass)
}

// CaseCounts describes what was paired. BaselineOnly counts the cases a
// baseline has and the candidate lacks, CandidateOnly those the candidate
// has and a baseline lacks (dropped); CountedAsFailures is how many of the
// BaselineOnly cases were kept as candidate failures (pairing.unmatched:
// candidate-fails), the rest being dropped.
type CaseCounts struct {
	Paired, Clusters, BaselineOnly, CandidateOnly, MaxSamplesPerCase int
	CountedAsFailures                                                int
}

// Quality is the acceptance-rate comparison (methods.md §2).
type Quality struct {
	Method              string
	Baseline, Candidate float64
	Delta, Margin       float64
	CILow, CIHigh       float64
	CILevel             float64
	PValue              float64
	Met, Missed         bool
	// Discordant counts, for the McNemar and Tango paths only.
	Discordant *Discordant
	// Resamples is the number of weight vectors the cluster-t path's wild
	// bootstrap used (6^G when it enumerated all of them), 0 when it drew
	// none: on the single-sample paths, above 200 000 clusters, and with
	// fewer than two clusters or a zero standard error. Resampling says
	// how the number was chosen (ResamplingAdaptive or ResamplingFixed;
	// "" when Resamples is 0).
	Resamples  int
	Resampling string
}

// Discordant counts the cases on which exactly one arm was accepted.
type Discordant struct {
	CandidateOnly, BaselineOnly int
}

// Cost is the cost-per-accepted-outcome comparison (methods.md §3).
type Cost struct {
	// Measured is false when an arm has no cost data (NotMeasured says
	// why): no cost or priced usage, or only zero costs without
	// cost.zero_is_real.
	Measured    bool
	NotMeasured string
	// Remedy, when cost is not measured, says what would measure it
	// (empty: the general advice).
	Remedy string
	// Undefined says why the ratio is undefined (NaN), when it is.
	Undefined                 string
	Method                    string
	BaselineCPA, CandidateCPA float64
	Ratio, MaxRatio           float64
	CILow, CIHigh             float64
	CILevel                   float64
	PValue                    float64
	Met, Missed               bool
	DeltaCILow, DeltaCIHigh   float64
	DeltaPValue               float64
	// Resamples is the number of bootstrap draws made (0 without the
	// bootstrap), Resampling how it was chosen (ResamplingAdaptive or
	// ResamplingFixed), and MCError the Monte Carlo standard error of the
	// bootstrap p-value.
	Resamples         int
	Resampling        string
	MCError           float64
	Seed              uint64
	BaselineTotalUSD  float64
	CandidateTotalUSD float64
}

// Latency summarises end-to-end latency (methods.md §7).
type Latency struct {
	Measured                          bool
	BaselineP50, BaselineP95          float64
	CandidateP50, CandidateP95        float64
	BaselineP95Low, BaselineP95High   float64
	CandidateP95Low, CandidateP95High float64
	// IntervalMethod names how the p95 intervals were computed:
	// IntervalBootstrap, or IntervalWoodruff under the large-G rule
	// (docs/methods.md §7); empty without latency.
	IntervalMethod string
	Constraints    []Constraint
}

// The latency intervals' methods (Latency.IntervalMethod).
const (
	IntervalBootstrap = "bootstrap"
	IntervalWoodruff  = "woodruff"
)

// Format summarises schema validity (methods.md §7).
type Format struct {
	Measured                            bool
	BaselineValidRate                   float64
	CandidateValidRate                  float64
	BaselineValidLow, BaselineValidHigh float64
	BaselineValidN                      int
	Constraints                         []Constraint
}

// A Constraint is one service-level limit on the candidate.
type Constraint struct {
	Name     string
	Limit    float64
	Value    float64
	Measured bool
	Held     bool
	Required bool
}

// A Segment is the regression check of one workflow (methods.md §5).
type Segment struct {
	Name                string
	Cases               int
	Baseline, Candidate float64
	Delta               float64
	PValue, PAdjusted   float64
	Regression          bool
	Tested              bool
	// NotTested says why an untested segment was not tested.
	NotTested string
	// CILow and CIHigh are the two-sided interval of Delta at CILevel,
	// the level at which Holm's procedure tested the segment: 1 − 2α/j
	// for the step that tested it with j hypotheses left, or the level of
	// the step where the procedure stopped for a segment after it. The
	// upper end lies below −max_drop exactly when the segment regresses
	// (for the clustered t; for McNemar's exact test the interval is
	// Tango's, an approximation). These are not simultaneous intervals.
	// NaN when the segment is not tested or its test has no interval.
	CILow, CIHigh, CILevel float64
	// MDE is the smallest drop in acceptance (a positive difference of
	// proportions, segments.max_drop included) that the segment's test
	// detects with the policy's target power at Holm's strictest level α/k
	// (k tested segments): what "no regression" can vouch for. NaN when the segment is not
	// tested or its differences do not vary; +Inf when no drop is detectable.
	MDE float64
	// Resamples is the number of weight vectors the segment's wild
	// bootstrap used, as Quality.Resamples (0 on the single-sample paths).
	Resamples int
}

// Power is the sample-size advice (methods.md §6) for the quality test and
// the cost test. Case counts are whole cases (rounded up); +Inf when no
// number of cases is enough.
type Power struct {
	// Effect is the true quality difference planned for, Target the power
	// wanted of each test.
	Effect, Target float64
	// CasesNeeded is the paired cases the quality test needs, and
	// MoreCasesNeeded how many beyond those at hand.
	CasesNeeded     float64
	MoreCasesNeeded int
	// MDE is the smallest quality effect the cases at hand detect.
	MDE float64
	// CostRatio is the true cost ratio the cost plan assumes
	// (power.cost_ratio), CostCasesNeeded the paired cases the delta
	// method needs to show a ratio below cost.max_ratio with Target power
	// (NaN when cost has no variance to plan from), CostMoreCasesNeeded
	// how many beyond those at hand, and CostVariance the per-case
	// variance of the log ratio's influence values times the design
	// effect that the plan used.
	CostRatio           float64
	CostCasesNeeded     float64
	CostMoreCasesNeeded int
	CostVariance        float64
	// Curve is the power of the quality test against Effect as a function
	// of the number of paired cases, by the same formula and variance as
	// CasesNeeded, from 0 to a quarter beyond the larger of the cases at
	// hand and CasesNeeded; both counts are among its points. Empty when
	// Effect is not above the margin.
	Curve []PowerPoint
}

// A PowerPoint is the power of the quality test with Cases paired cases.
type PowerPoint struct {
	Cases int
	Power float64
}

// Economics is the break-even analysis and threshold rule (economics.md,
// docs/economics.md). Money is in USD, volumes are per month; a value that
// cannot be computed (no volume in the policy, no cost data) is NaN, and
// "never" (no saving) is +Inf.
type Economics struct {
	// OneTimeUSD is F: curation, annotation QC, training runs × cycles and
	// deployment.
	OneTimeUSD float64
	// MonthlyUSD is M: hosting, monitoring, maintenance and the retrain
	// cost amortised over its cadence.
	MonthlyUSD float64
	// RetrainMonthlyUSD is the retrain part of MonthlyUSD.
	RetrainMonthlyUSD float64
	HorizonMonths     float64
	// VolumeBasis is "accepted_outcomes" when the policy gives
	// accepted_outcomes_per_month, "requests" when it gives
	// requests_per_month, "" when it gives neither. Break-even volumes
	// are in this unit (accepted outcomes without a volume).
	VolumeBasis string
	// AcceptedOutcomesPerMonth is N (with requests, requests × the
	// baseline acceptance, for information); RequestsPerMonth is the
	// policy's request volume (NaN without one).
	AcceptedOutcomesPerMonth float64
	RequestsPerMonth         float64
	// SavingPerAcceptedUSD is s = CPA_B − CPA_C; the conservative value is
	// CPA_B·(1 − ρ_upper) with ρ_upper the cost interval's upper end.
	SavingPerAcceptedUSD             float64
	SavingPerAcceptedConservativeUSD float64
	// SavingPerRequestUSD is c̄_B − c̄_C, the mean cost per request saved;
	// the conservative value is c̄_B·(1 − κ_upper) with κ the per-request
	// cost ratio. Computed only on the requests basis (NaN otherwise).
	SavingPerRequestUSD             float64
	SavingPerRequestConservativeUSD float64
	// MonthlySavingUSD is S = volume × saving per unit − M.
	MonthlySavingUSD             float64
	MonthlySavingConservativeUSD float64
	// BreakEvenMonths is F/S (+Inf when S ≤ 0).
	BreakEvenMonths             float64
	BreakEvenMonthsConservative float64
	// BreakEvenMonthlyVolume is (F/H + M)/saving per unit, in the unit of
	// VolumeBasis (+Inf when there is no saving).
	BreakEvenMonthlyVolume             float64
	BreakEvenMonthlyVolumeConservative float64
	// NetValueHorizonUSD is H·S − F.
	NetValueHorizonUSD             float64
	NetValueHorizonConservativeUSD float64
	Conditions                     []Condition
	Met                            int
	Required                       int
	Enforced                       bool
	Blocks                         bool
}

// A Condition is one of the four threshold conditions.
type Condition struct {
	Name   string // volume, strict_format, latency or plateau
	Status string // met, not_met or not_measured
	Detail string
}

// A Route is the routed baseline's choice for one workflow: the cheapest
// tier (by cost per accepted outcome) among those whose acceptance on the
// workflow is within routing.max_quality_loss of the best tier's.
type Route struct {
	Workflow       string
	Cases          int
	Tier           string
	Acceptance     float64
	CPA            float64
	BestTier       string
	BestAcceptance float64
}

// A RoutingCheck compares the routed baseline, whose tiers were chosen on
// the cases it is evaluated on, with the same rule cross-fitted: each fold
// of clusters routed by the choice made on the other folds. The
// differences are the optimism of the in-sample choice.
type RoutingCheck struct {
	Folds int
	// Acceptance and CPA are the routed baseline's; CrossFitAcceptance and
	// CrossFitCPA the cross-fitted routing's on the same cases.
	Acceptance, CrossFitAcceptance float64
	CPA, CrossFitCPA               float64
	// Changed counts the (fold, workflow) choices that differ from the
	// in-sample route.
	Changed int
}

// A FailureClassCount is one row of the failure-class table: how many
// not-accepted samples of each arm carry the class (Unlabelled for none).
type FailureClassCount struct {
	Class               string
	Baseline, Candidate int
}

// A Transition counts the cases whose baseline outcome From (Accepted or
// a failure class) became the candidate outcome To. With several samples
// per case the counts are expected counts (each case spreads one unit over
// the pairs of its samples' outcomes), so they may be fractional.
type Transition struct {
	From, To string
	Cases    float64
}

// Outcome labels of the failure-class tables.
const (
	Accepted   = "accepted"
	Unlabelled = "(unlabelled)"
)

// A ChecklistItem is one question of the decision checklist.
type ChecklistItem struct {
	Question string
	Answer   string // yes, no or unknown
	Detail   string
}

// A Tier is one baseline tier (or the routed baseline, or the candidate)
// placed on the cost/quality plane.
type Tier struct {
	Name                    string
	Quality                 float64
	QualityLow, QualityHigh float64
	CPA, CPALow, CPAHigh    float64
	OnFrontier              bool
	Role                    string // baseline, routed or candidate
}
