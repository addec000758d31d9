package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"gopkg.in/yaml.v3"
)

// MaxPolicyBytes bounds the size of a policy file: a policy is a page of
// settings, and the YAML decoder's cost grows faster than linearly with
// the number of keys.
const MaxPolicyBytes = 1 << 20

// The bounds of statistics.resamples: below the minimum the bootstrap's
// own error is visible in the p-values; above the maximum a run at the
// bootstrap's largest cluster count takes hours instead of minutes.
const (
	MinResamples = 1000
	MaxResamples = 100_000
)

// MinPowerEffect is the smallest gain over the margin the power analysis
// plans for (0.1 points of acceptance): the cases needed grow with the
// inverse square of the effect, and below it no eval set is large enough.
const MinPowerEffect = 0.001

// MaxPricePerMTok bounds a price in the pricing table, in USD per million
// tokens: far above any model's list price, it catches a misplaced
// decimal point and keeps every priced cost a finite number.
const MaxPricePerMTok = 1e6

// DefaultSeed seeds the bootstrap when the policy names no seed.
const DefaultSeed = 20261128

// A Policy is everything a team decides before looking at results: the
// error rate, the margins, the constraints and the economics. The zero
// value is not useful; start from DefaultPolicy or ParsePolicy.
type Policy struct {
	Alpha        float64                    `yaml:"alpha" json:"alpha"`
	Inconclusive string                     `yaml:"inconclusive" json:"inconclusive"`
	Quality      QualityPolicy              `yaml:"quality" json:"quality"`
	Cost         CostPolicy                 `yaml:"cost" json:"cost"`
	Statistics   StatisticsPolicy           `yaml:"statistics" json:"statistics"`
	Pairing      PairingPolicy              `yaml:"pairing" json:"pairing"`
	Segments     SegmentsPolicy             `yaml:"segments" json:"segments"`
	Power        PowerPolicy                `yaml:"power" json:"power"`
	Latency      LatencyPolicy              `yaml:"latency" json:"latency"`
	Format       FormatPolicy               `yaml:"format" json:"format"`
	Pricing      map[string]scorecard.Price `yaml:"pricing" json:"pricing"`
	Routing      RoutingPolicy              `yaml:"routing" json:"routing"`
	Checklist    ChecklistPolicy            `yaml:"checklist" json:"checklist"`
	Economics    EconomicsPolicy            `yaml:"economics" json:"economics"`
	Importers    ImportersPolicy            `yaml:"importers" json:"importers"`
	// Warnings are problems with advisory settings (power.*) that
	// ParsePolicy replaced by their defaults: they never block the gate,
	// and Decide reports them with its own warnings.
	Warnings []string `yaml:"-" json:"-"`
}

// QualityPolicy configures the acceptance-rate test.
type QualityPolicy struct {
	// Method is auto, mcnemar-exact, tango or cluster-t.
	Method string `yaml:"method" json:"method"`
	// MinGain is the margin m: the candidate must beat the baseline by
	// more than m (negative m tests non-inferiority).
	MinGain float64 `yaml:"min_gain" json:"min_gain"`
}

// CostPolicy configures the cost-per-accepted-outcome test.
type CostPolicy struct {
	// Method is auto, bootstrap or delta.
	Method string `yaml:"method" json:"method"`
	// MaxRatio is r: the candidate's CPA over the baseline's must be
	// below r.
	MaxRatio float64 `yaml:"max_ratio" json:"max_ratio"`
	// Required: without cost data the gate cannot pass. When false, a
	// run without costs is decided on quality alone.
	Required bool `yaml:"required" json:"required"`
	// ZeroIsReal: an arm whose every cost is 0 really costs nothing. By
	// default such an arm counts as having no cost data (a harness that
	// writes cost_usd: 0 has usually not measured it).
	ZeroIsReal bool `yaml:"zero_is_real" json:"zero_is_real"`
}

// StatisticsPolicy configures resampling.
type StatisticsPolicy struct {
	// Resamples, when set (positive), is the fixed number of bootstrap
	// draws. Unset (0), resampling is adaptive: draws are made 2 000 at a
	// time until their Monte Carlo error cannot change the decision, at
	// most MaxResamples (docs/methods.md §3).
	Resamples    int    `yaml:"resamples" json:"resamples"`
	MaxResamples int    `yaml:"max_resamples" json:"max_resamples"`
	Seed         uint64 `yaml:"seed" json:"seed"`
	// Sequential decides quality and cost by confidence sequences, valid
	// however often the gate is evaluated as evidence accumulates
	// (docs/methods.md §12).
	Sequential bool `yaml:"sequential" json:"sequential"`
}

// PairingPolicy configures how scorecards are matched.
type PairingPolicy struct {
	// AllowUnmatched accepts scorecards that do not cover the same cases;
	// Unmatched says what happens to the cases one side lacks.
	AllowUnmatched bool `yaml:"allow_unmatched" json:"allow_unmatched"`
	// Unmatched is "candidate-fails" (a case missing from the candidate
	// counts as a candidate failure at the candidate's highest per-case
	// cost; one missing from a baseline is dropped) or "drop" (both are
	// dropped, with a warning: a harness that lost the rows of its
	// failures then looks better than it is).
	Unmatched string `yaml:"unmatched" json:"unmatched"`
	// IgnoreRoles compares scorecards whose header names the other side
	// (system.role) as they are given, with a warning in every report.
	// Without it such a comparison is refused: a gate given its inputs the
	// wrong way round would pass the older system.
	IgnoreRoles bool `yaml:"ignore_roles" json:"ignore_roles"`
}

// PairOptions returns the pairing options of the policy for scorecards
// whose arm candidate is the candidate (scorecard.Pair).
func PairOptions(pol Policy, candidate int) scorecard.PairOptions {
	return scorecard.PairOptions{AllowUnmatched: pol.Pairing.AllowUnmatched, CountMissing: pol.Pairing.Unmatched != "drop", Candidate: candidate}
}

// SegmentsPolicy configures the per-workflow regression checks.
type SegmentsPolicy struct {
	MinCases          int     `yaml:"min_cases" json:"min_cases"`
	MaxDrop           float64 `yaml:"max_drop" json:"max_drop"`
	BlockOnRegression bool    `yaml:"block_on_regression" json:"block_on_regression"`
}

// PowerPolicy configures the sample-size advice. Its settings are advisory:
// an invalid value is replaced by its default with a warning.
type PowerPolicy struct {
	// Effect is the true quality difference Δ = p_C − p_B to plan for, in
	// (min_gain, 1]; nil means 0 for a non-inferiority margin
	// (min_gain < 0) and min_gain + 0.02 otherwise
	// (EffectivePowerEffect).
	Effect *float64 `yaml:"effect" json:"effect"`
	Target float64  `yaml:"target" json:"target"`
	// CostRatio is the true cost ratio ρ to plan the cost test for, in
	// (0, cost.max_ratio); nil means 0.9·max_ratio (EffectiveCostRatio).
	CostRatio *float64 `yaml:"cost_ratio" json:"cost_ratio"`
}

// LatencyPolicy holds the latency constraints on the candidate.
type LatencyPolicy struct {
	MaxP95Ms    *float64 `yaml:"max_p95_ms" json:"max_p95_ms"`
	MaxP95Ratio *float64 `yaml:"max_p95_ratio" json:"max_p95_ratio"`
	Required    bool     `yaml:"required" json:"required"`
}

// FormatPolicy holds the schema-validity constraint on the candidate.
type FormatPolicy struct {
	MinValidRate *float64 `yaml:"min_valid_rate" json:"min_valid_rate"`
	Required     bool     `yaml:"required" json:"required"`
}

// RoutingPolicy configures the routed baseline over several tiers.
type RoutingPolicy struct {
	MaxQualityLoss float64 `yaml:"max_quality_loss" json:"max_quality_loss"`
}

// ChecklistPolicy configures the decision checklist.
type ChecklistPolicy struct {
	MinLabelled    float64            `yaml:"min_labelled" json:"min_labelled"`
	ProductionMix  map[string]float64 `yaml:"production_mix" json:"production_mix"`
	MaxMixDistance float64            `yaml:"max_mix_distance" json:"max_mix_distance"`
}

// EconomicsPolicy holds the hidden costs of fine-tuning and the volume
// that must amortise them.
type EconomicsPolicy struct {
	Enforce                  bool          `yaml:"enforce" json:"enforce"`
	Require                  int           `yaml:"require" json:"require"`
	HorizonMonths            float64       `yaml:"horizon_months" json:"horizon_months"`
	AcceptedOutcomesPerMonth *float64      `yaml:"accepted_outcomes_per_month" json:"accepted_outcomes_per_month"`
	RequestsPerMonth         *float64      `yaml:"requests_per_month" json:"requests_per_month"`
	Costs                    HiddenCosts   `yaml:"costs" json:"costs"`
	Plateau                  PlateauPolicy `yaml:"plateau" json:"plateau"`
}

// HiddenCosts are the costs of owning a fine-tune, in USD.
type HiddenCosts struct {
	DataCuration       float64  `yaml:"data_curation" json:"data_curation"`
	AnnotationQC       float64  `yaml:"annotation_qc" json:"annotation_qc"`
	TrainingRun        float64  `yaml:"training_run" json:"training_run"`
	TrainingCycles     float64  `yaml:"training_cycles" json:"training_cycles"`
	DeploymentSetup    float64  `yaml:"deployment_setup" json:"deployment_setup"`
	HostingMonthly     float64  `yaml:"hosting_monthly" json:"hosting_monthly"`
	MonitoringMonthly  float64  `yaml:"monitoring_monthly" json:"monitoring_monthly"`
	MaintenanceMonthly float64  `yaml:"maintenance_monthly" json:"maintenance_monthly"`
	RetrainEveryMonths float64  `yaml:"retrain_every_months" json:"retrain_every_months"`
	RetrainCost        *float64 `yaml:"retrain_cost" json:"retrain_cost"`
}

// PlateauPolicy configures the plateau condition.
type PlateauPolicy struct {
	MinRuns int     `yaml:"min_runs" json:"min_runs"`
	Window  int     `yaml:"window" json:"window"`
	MinGain float64 `yaml:"min_gain" json:"min_gain"`
}

// ImportersPolicy configures how eval-tool outputs are read: options for
// every input, and under baseline and candidate the options of one side,
// which override them. The command-line flags override both (see
// docs/formats.md).
type ImportersPolicy struct {
	ReaderOptions `yaml:",inline"`
	// Baseline applies to the --baseline and --baseline-history files.
	Baseline ReaderOptions `yaml:"baseline" json:"baseline"`
	// Candidate applies to the --candidate file.
	Candidate ReaderOptions `yaml:"candidate" json:"candidate"`
}

// ReaderOptions are the reader options a policy can set, each the
// counterpart of a command-line flag (scorecard.ReadOptions). An empty
// string or a nil pointer leaves the option unset.
type ReaderOptions struct {
	Format   string `yaml:"format" json:"format,omitempty"`
	Provider string `yaml:"provider" json:"provider,omitempty"`
	Prompt   string `yaml:"prompt" json:"prompt,omitempty"`
	Scorer   string `yaml:"scorer" json:"scorer,omitempty"`
	Metric   string `yaml:"metric" json:"metric,omitempty"`
	// AcceptThreshold is the smallest numeric score counted as accepted.
	AcceptThreshold *float64 `yaml:"accept_threshold" json:"accept_threshold,omitempty"`
	// PartialAccepted counts an Inspect "P" (partial credit) as accepted.
	PartialAccepted *bool  `yaml:"partial_accepted" json:"partial_accepted,omitempty"`
	IDColumn        string `yaml:"id_column" json:"id_column,omitempty"`
	AcceptedColumn  string `yaml:"accepted_column" json:"accepted_column,omitempty"`
	Lenient         *bool  `yaml:"lenient" json:"lenient,omitempty"`
}

// Over returns o with every option it leaves unset taken from base.
func (o ReaderOptions) Over(base ReaderOptions) ReaderOptions {
	str := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	out := ReaderOptions{
		Format: str(o.Format, base.Format), Provider: str(o.Provider, base.Provider), Prompt: str(o.Prompt, base.Prompt),
		Scorer: str(o.Scorer, base.Scorer), Metric: str(o.Metric, base.Metric),
		IDColumn: str(o.IDColumn, base.IDColumn), AcceptedColumn: str(o.AcceptedColumn, base.AcceptedColumn),
		AcceptThreshold: o.AcceptThreshold, PartialAccepted: o.PartialAccepted, Lenient: o.Lenient,
	}
	if out.AcceptThreshold == nil {
		out.AcceptThreshold = base.AcceptThreshold
	}
	if out.PartialAccepted == nil {
		out.PartialAccepted = base.PartialAccepted
	}
	if out.Lenient == nil {
		out.Lenient = base.Lenient
	}
	return out
}

// Side returns the reader options of one side, "baseline" or
// "candidate": its own, over the ones for every input.
func (p ImportersPolicy) Side(side string) ReaderOptions {
	if side == "candidate" {
		return p.Candidate.Over(p.ReaderOptions)
	}
	return p.Baseline.Over(p.ReaderOptions)
}

// DefaultPolicy returns the policy used when none is given (methods.md).
func DefaultPolicy() Policy {
	return Policy{
		Alpha:        0.05,
		Inconclusive: "fail",
		Quality:      QualityPolicy{Method: "auto"},
		Cost:         CostPolicy{Method: "auto", MaxRatio: 1, Required: true},
		Statistics:   StatisticsPolicy{MaxResamples: 10000, Seed: DefaultSeed},
		Pairing:      PairingPolicy{Unmatched: "candidate-fails"},
		Segments:     SegmentsPolicy{MinCases: 30, BlockOnRegression: true},
		Power:        PowerPolicy{Target: 0.9},
		Pricing:      map[string]scorecard.Price{},
		Routing:      RoutingPolicy{MaxQualityLoss: 0.01},
		Checklist:    ChecklistPolicy{MinLabelled: 0.9, MaxMixDistance: 0.1},
		Economics: EconomicsPolicy{
			Require:       2,
			HorizonMonths: 12,
			Costs:         HiddenCosts{TrainingCycles: 1},
			Plateau:       PlateauPolicy{MinRuns: 3, Window: 2, MinGain: 0.01},
		},
	}
}

// EffectivePowerEffect is the true quality difference the power analysis
// plans for: power.effect when set, else 0 under a non-inferiority margin
// (min_gain < 0: the usual planning value is no true difference), else
// min_gain + 0.02, or halfway from min_gain to 1 when that is above 1.
func (p Policy) EffectivePowerEffect() float64 {
	if p.Power.Effect != nil {
		return *p.Power.Effect
	}
	m := p.Quality.MinGain
	switch {
	case m < 0:
		return 0
	case m+0.02 > 1:
		return (m + 1) / 2
	}
	return m + 0.02
}

// EffectiveCostRatio is the true cost ratio the cost test's power plan
// assumes: power.cost_ratio when set, else 0.9·cost.max_ratio (a saving of
// 10% beyond the limit).
func (p Policy) EffectiveCostRatio() float64 {
	if p.Power.CostRatio != nil {
		return *p.Power.CostRatio
	}
	return 0.9 * p.Cost.MaxRatio
}

// RetrainCost is the cost of one retrain: the policy's value, or one
// training run plus annotation QC.
func (c HiddenCosts) EffectiveRetrainCost() float64 {
	if c.RetrainCost != nil {
		return *c.RetrainCost
	}
	return c.TrainingRun + c.AnnotationQC
}

// ParsePolicy decodes a YAML policy on top of DefaultPolicy. Decoding is
// strict: an unknown key is an error naming its line and the closest known
// key. Every value is range-checked. name is used in messages.
//
// Each override replaces its key's value in the file, or adds it, and is
// checked exactly as the file is; its problems are reported under its
// Source ("--set KEY=VALUE: ...").
func ParsePolicy(name string, data []byte, sets ...Override) (Policy, error) {
	p := DefaultPolicy()
	if name == "" {
		name = "the default policy"
	}
	if len(data) > MaxPolicyBytes {
		return p, &scorecard.InputError{File: name, Msg: fmt.Sprintf("the policy is %d bytes; a policy is at most %d bytes", len(data), MaxPolicyBytes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return p, yamlError(name, err)
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil && len(second.Content) > 0 {
		return p, &scorecard.InputError{File: name, Line: second.Line, Col: second.Column,
			Msg: "a second YAML document (after ---): a policy is one document, and keys in a second one would be ignored"}
	}
	var doc *yaml.Node
	switch {
	case len(root.Content) > 0:
		doc = root.Content[0]
	case len(sets) == 0:
		// An empty file is the default policy.
		return p, nil
	default:
		doc = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if doc.Kind != yaml.MappingNode {
		return p, &scorecard.InputError{File: name, Line: doc.Line, Col: doc.Column, Msg: "a policy is a YAML mapping of keys (alpha, quality, cost, ...)"}
	}
	if err := applySets(doc, sets); err != nil {
		return p, err
	}
	p, err := decodePolicy(name, doc)
	for i, w := range p.Warnings {
		p.Warnings[i] = relocateWarning(w, name, sets)
	}
	return p, relocate(err, sets)
}

// decodePolicy checks and decodes a policy's mapping node.
func decodePolicy(name string, doc *yaml.Node) (Policy, error) {
	p := DefaultPolicy()
	lines := map[string]int{}
	w := &keyWalker{file: name, lines: lines, budget: maxPolicyNodes}
	w.check(doc, reflect.TypeOf(p), "")
	if len(w.errs) > 0 {
		return p, w.errs
	}
	if err := doc.Decode(&p); err != nil {
		return p, typeError(name, err, lines)
	}
	if err := checkPrices(name, doc); err != nil {
		return p, err
	}
	if err := p.validate(name, lines); err != nil {
		return p, err
	}
	return p, nil
}

// maxPolicyNodes bounds the nodes the key check visits, aliases
// expanded: a policy is a page of settings, and a small file of nested
// aliases could otherwise expand beyond any memory.
const maxPolicyNodes = 100_000

// A keyWalker checks a policy's YAML tree against the Policy type.
type keyWalker struct {
	file   string
	lines  map[string]int // the line of every known key path ("quality.min_gain")
	errs   scorecard.ErrorList
	budget int
	// exhausted is set once the budget is spent and said so.
	exhausted bool
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pairs returns the key and value nodes of a mapping with YAML merge keys
// ("<<: *anchor") expanded: the mapping's own keys first, then the merged
// ones it does not override, each merged key with merged set.
func (w *keyWalker) pairs(n *yaml.Node) (own, merged [][2]*yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	have := map[string]bool{}
	var sources []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if w.budget--; w.budget < 0 {
			return own, merged
		}
		if k.Tag == "!!merge" {
			v = resolve(v)
			if v != nil && v.Kind == yaml.SequenceNode {
				sources = append(sources, v.Content...)
			} else {
				sources = append(sources, v)
			}
			continue
		}
		have[k.Value] = true
		own = append(own, [2]*yaml.Node{k, v})
	}
	for _, src := range sources {
		o, m := w.pairs(src)
		for _, kv := range append(o, m...) {
			if !have[kv[0].Value] {
				have[kv[0].Value] = true
				merged = append(merged, kv)
			}
		}
	}
	return own, merged
}

// check walks node n against the yaml tags of t, reporting unknown and
// duplicate keys with a suggestion, integers that are not whole numbers
// in range, and recording the line of every known key path.
func (w *keyWalker) check(n *yaml.Node, t reflect.Type, prefix string) {
	if w.budget--; w.budget < 0 {
		if !w.exhausted {
			w.exhausted = true
			w.errs = append(w.errs, &scorecard.InputError{File: w.file, Line: n.Line, Col: n.Column,
				Msg: fmt.Sprintf("the policy expands to more than %d values through its aliases; a policy is a page of settings", maxPolicyNodes)})
		}
		return
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n = resolve(n)
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		w.checkInteger(n, t, strings.TrimSuffix(prefix, "."))
		return
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	own, merged := w.pairs(n)
	switch t.Kind() {
	case reflect.Map:
		for _, kv := range append(own, merged...) {
			path := prefix + kv[0].Value
			w.lines[path] = kv[0].Line
			w.check(kv[1], t.Elem(), path+".")
		}
		return
	case reflect.Struct:
	default:
		return
	}
	fields := map[string]reflect.Type{}
	var known []string
	var collect func(t reflect.Type)
	collect = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			parts := strings.Split(f.Tag.Get("yaml"), ",")
			if slices.Contains(parts[1:], "inline") && f.Type.Kind() == reflect.Struct {
				collect(f.Type)
				continue
			}
			if parts[0] == "" || parts[0] == "-" {
				continue
			}
			fields[parts[0]] = f.Type
			known = append(known, parts[0])
		}
	}
	collect(t)
	sort.Strings(known)
	seen := map[string]int{}
	for i, kv := range append(own, merged...) {
		k, v := kv[0], kv[1]
		path := prefix + k.Value
		if prev, dup := seen[k.Value]; dup && i < len(own) {
			w.errs = append(w.errs, &scorecard.InputError{File: w.file, Line: k.Line, Col: k.Column,
				Msg: fmt.Sprintf("key %q appears twice (first at line %d)", path, prev)})
			continue
		}
		seen[k.Value] = k.Line
		ft, ok := fields[k.Value]
		if !ok {
			msg := fmt.Sprintf("unknown key %q", path)
			if s := scorecard.Suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", prefix+s)
			} else {
				where := "at the top level"
				if prefix != "" {
					where = "under " + strings.TrimSuffix(prefix, ".")
				}
				msg += fmt.Sprintf(" (known keys %s: %s)", where, strings.Join(known, ", "))
			}
			w.errs = append(w.errs, &scorecard.InputError{File: w.file, Line: k.Line, Col: k.Column, Msg: msg})
			continue
		}
		if _, dup := w.lines[path]; !dup || i < len(own) {
			w.lines[path] = k.Line
		}
		w.check(v, ft, path+".")
	}
}

// checkInteger refuses, for an integer field, a scalar that is not a YAML
// integer or does not fit: the decoder would otherwise truncate 1.5 to 1
// and wrap 2^64 + 5 around.
func (w *keyWalker) checkInteger(n *yaml.Node, t reflect.Type, path string) {
	var lo, hi *big.Int
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		lo, hi = big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	case reflect.Uint64:
		lo, hi = big.NewInt(0), new(big.Int).SetUint64(math.MaxUint64)
	default:
		return
	}
	v, ok := new(big.Int).SetString(strings.ReplaceAll(n.Value, "_", ""), 0)
	switch {
	case (n.Tag != "!!int" && n.Tag != "!!float") || !ok: // 2^64 + 5 resolves as a float
		w.errs = append(w.errs, &scorecard.InputError{File: w.file, Line: n.Line, Col: n.Column,
			Msg: fmt.Sprintf("%s: must be a whole number, found %q", path, n.Value)})
	case v.Cmp(lo) < 0 || v.Cmp(hi) > 0:
		w.errs = append(w.errs, &scorecard.InputError{File: w.file, Line: n.Line, Col: n.Column,
			Msg: fmt.Sprintf("%s: must be a whole number from %s to %s, found %s", path, lo, hi, n.Value)})
	}
}

// The messages of yaml.v3 quote values as they are: a multi-line value
// spans lines, so the patterns match across them ((?s)), and friendlyYAML
// quotes the value with %q, on one line.
var yamlLine = regexp.MustCompile(`(?s)^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error into FILE:LINE: messages.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	var msgs []string
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs scorecard.ErrorList
	for _, m := range msgs {
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			line, _ := strconv.Atoi(sm[1])
			errs = append(errs, &scorecard.InputError{File: file, Line: line, Msg: "invalid policy: " + oneLine(friendlyYAML(sm[2]))})
			continue
		}
		errs = append(errs, &scorecard.InputError{File: file, Line: 1, Msg: "invalid policy: " + oneLine(strings.TrimPrefix(m, "yaml: "))})
	}
	return errs
}

// oneLine keeps a message on its line: a line break in a quoted value is
// written \n.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

var unmarshalMsg = regexp.MustCompile("(?s)^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.*)$")

// friendlyYAML rewrites the decoder's "cannot unmarshal !!str `five` into
// float64" as "expected a number, found text \"five\"", in the words of
// the policy rather than of Go and YAML tags.
func friendlyYAML(m string) string {
	sm := unmarshalMsg.FindStringSubmatch(m)
	if sm == nil {
		return m
	}
	want := sm[3]
	switch {
	case strings.Contains(want, "float"):
		want = "a number"
	case strings.Contains(want, "int"):
		want = "a whole number"
	case strings.Contains(want, "bool"):
		want = "true or false"
	case strings.Contains(want, "string"):
		want = "text"
	case strings.HasPrefix(want, "map"), strings.HasPrefix(want, "gate."), strings.HasPrefix(want, "scorecard."):
		want = "a mapping of keys"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	}
	found := fmt.Sprintf("%q", sm[2])
	switch sm[1] {
	case "str":
		found = "text " + found
	case "int", "float":
		found = "the number " + sm[2]
	case "bool":
		found = sm[2]
	case "map":
		found = "a mapping of keys"
	case "seq":
		found = "a list"
	case "null":
		found = "nothing"
	}
	return fmt.Sprintf("expected %s, found %s", want, found)
}

// typeError turns the decoder's type errors into FILE:LINE messages that
// name the key whose value has the wrong type (the deepest key path on
// the line, from lines), as "alpha: expected a number, found text
// \"five\"". Other errors are yamlError's.
func typeError(file string, err error, lines map[string]int) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return yamlError(file, err)
	}
	var errs scorecard.ErrorList
	for _, m := range te.Errors {
		sm := yamlLine.FindStringSubmatch(m)
		if sm == nil {
			errs = append(errs, &scorecard.InputError{File: file, Line: 1, Msg: "invalid policy: " + oneLine(m)})
			continue
		}
		line, _ := strconv.Atoi(sm[1])
		key := ""
		for path, l := range lines {
			if l == line && (len(path) > len(key) || len(path) == len(key) && path < key) {
				key = path
			}
		}
		msg := oneLine(friendlyYAML(sm[2]))
		if key != "" {
			msg = key + ": " + msg
		}
		errs = append(errs, &scorecard.InputError{File: file, Line: line, Msg: msg})
	}
	return errs
}

// validate range-checks every value, reporting each problem at the line of
// its key.
func (p *Policy) validate(file string, lines map[string]int) error {
	var errs scorecard.ErrorList
	bad := func(path, format string, args ...any) {
		errs = append(errs, &scorecard.InputError{File: file, Line: lines[path], Msg: path + ": " + fmt.Sprintf(format, args...)})
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	inRange := func(path string, x, lo, hi float64, loOpen, hiOpen bool, what string) {
		ok := finite(x) && (x > lo || (!loOpen && x == lo)) && (x < hi || (!hiOpen && x == hi))
		if !ok {
			bad(path, "%s, found %v", what, x)
		}
	}
	oneOf := func(path, v string, choices ...string) {
		for _, c := range choices {
			if v == c {
				return
			}
		}
		msg := fmt.Sprintf("%q is not one of %s", v, strings.Join(choices, ", "))
		if s := scorecard.Suggest(v, choices); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		bad(path, "%s", msg)
	}
	inRange("alpha", p.Alpha, 1e-10, 0.5, false, true, "must be at least 1e-10 and below 0.5")
	oneOf("inconclusive", p.Inconclusive, "fail", "warn")
	oneOf("quality.method", p.Quality.Method, "auto", "mcnemar-exact", "tango", "cluster-t")
	inRange("quality.min_gain", p.Quality.MinGain, -1, 1, true, true, "must be between -1 and 1 (exclusive)")
	if p.Quality.Method == "mcnemar-exact" && p.Quality.MinGain != 0 {
		bad("quality.method", "mcnemar-exact tests a zero margin only; with min_gain %v use tango or auto", p.Quality.MinGain)
	}
	oneOf("cost.method", p.Cost.Method, "auto", "bootstrap", "delta")
	oneOf("pairing.unmatched", p.Pairing.Unmatched, "candidate-fails", "drop")
	inRange("cost.max_ratio", p.Cost.MaxRatio, 0, math.Inf(1), true, true, "must be a positive number")
	if st := p.Statistics; st.Resamples != 0 && (st.Resamples < MinResamples || st.Resamples > MaxResamples) {
		bad("statistics.resamples", "must be between %d and %d (or 0, adaptive), found %d", MinResamples, MaxResamples, st.Resamples)
	}
	if st := p.Statistics; st.MaxResamples < MinResamples || st.MaxResamples > MaxResamples {
		bad("statistics.max_resamples", "must be between %d and %d, found %d", MinResamples, MaxResamples, st.MaxResamples)
	}
	if _, set := lines["statistics.max_resamples"]; set && p.Statistics.Resamples != 0 {
		bad("statistics.max_resamples", "caps adaptive resampling, but statistics.resamples: %d fixes the number of draws; set one of the two", p.Statistics.Resamples)
	}
	if p.Segments.MinCases < 2 {
		bad("segments.min_cases", "must be at least 2, found %d", p.Segments.MinCases)
	}
	inRange("segments.max_drop", p.Segments.MaxDrop, 0, 1, false, true, "must be in [0, 1)")
	// The power settings are advice: a value out of range in the file is
	// replaced by its default with a warning, and never blocks the gate.
	// The same value typed on the command line (--set, or a flag such as
	// power's --effect) is an explicit instruction, and an error.
	advise := func(path, rule string, found any, instead func() string) {
		if lines[path] >= setLine {
			bad(path, "%s, found %v", rule, found)
			return
		}
		where := file
		if l := lines[path]; l > 0 {
			where = fmt.Sprintf("%s:%d", file, l)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s: %s: %s, found %v; %s", where, path, rule, found, instead()))
	}
	if e := p.Power.Effect; e != nil && !(finite(*e) && *e-p.Quality.MinGain >= MinPowerEffect && *e <= 1) {
		p.Power.Effect = nil
		var found any = *e
		if *e > 1 {
			found = fmt.Sprintf("%v (a share: 0.03 is 3 points)", *e)
		}
		advise("power.effect", fmt.Sprintf("must exceed quality.min_gain (%v) by at least %v (0.1 pts; a smaller effect is too small to plan for) and be at most 1",
			p.Quality.MinGain, MinPowerEffect), found, func() string { return fmt.Sprintf("planning for the default %.6g instead", p.EffectivePowerEffect()) })
	}
	if t := p.Power.Target; !(finite(t) && t > 0.5 && t < 1) {
		p.Power.Target = DefaultPolicy().Power.Target
		advise("power.target", "must be between 0.5 and 1 (exclusive)", t, func() string { return fmt.Sprintf("using %v", p.Power.Target) })
	}
	if r := p.Power.CostRatio; r != nil && !(finite(*r) && *r > 0 && *r < p.Cost.MaxRatio) {
		p.Power.CostRatio = nil
		advise("power.cost_ratio", fmt.Sprintf("must be above 0 and below cost.max_ratio (%v)", p.Cost.MaxRatio), *r,
			func() string { return fmt.Sprintf("planning for the default %.6g instead", p.EffectiveCostRatio()) })
	}
	if p.Latency.MaxP95Ms != nil {
		inRange("latency.max_p95_ms", *p.Latency.MaxP95Ms, 0, math.Inf(1), true, true, "must be a positive number of milliseconds")
	}
	if p.Latency.MaxP95Ratio != nil {
		inRange("latency.max_p95_ratio", *p.Latency.MaxP95Ratio, 0, math.Inf(1), true, true, "must be a positive number")
	}
	if p.Format.MinValidRate != nil {
		inRange("format.min_valid_rate", *p.Format.MinValidRate, 0, 1, false, false, "must be in [0, 1]")
	}
	models := make([]string, 0, len(p.Pricing))
	for m := range p.Pricing {
		models = append(models, m)
	}
	sort.Strings(models)
	for _, m := range models {
		pr := p.Pricing[m]
		path := "pricing." + m
		fields := []struct {
			key string
			v   float64
		}{{"input_per_mtok", pr.InputPerMTok}, {"output_per_mtok", pr.OutputPerMTok}}
		if pr.CachedInputPerMTok != nil {
			fields = append(fields, struct {
				key string
				v   float64
			}{"cached_input_per_mtok", *pr.CachedInputPerMTok})
		}
		for _, f := range fields {
			if !finite(f.v) || f.v < 0 || f.v > MaxPricePerMTok {
				bad(path, "%s must be a number from 0 to %v (USD per million tokens), found %v", f.key, MaxPricePerMTok, f.v)
			}
		}
	}
	for _, side := range []struct {
		prefix string
		o      ReaderOptions
	}{{"importers.", p.Importers.ReaderOptions}, {"importers.baseline.", p.Importers.Baseline}, {"importers.candidate.", p.Importers.Candidate}} {
		o := side.o
		if o.Format != "" && o.Format != "auto" {
			oneOf(side.prefix+"format", o.Format, append([]string{"auto"}, scorecard.Formats()...)...)
		}
		if o.AcceptThreshold != nil && !finite(*o.AcceptThreshold) {
			bad(side.prefix+"accept_threshold", "must be a finite number, found %v", *o.AcceptThreshold)
		}
		for _, f := range []struct{ key, v string }{{"provider", o.Provider}, {"prompt", o.Prompt}, {"scorer", o.Scorer},
			{"metric", o.Metric}, {"id_column", o.IDColumn}, {"accepted_column", o.AcceptedColumn}} {
			if _, set := lines[side.prefix+f.key]; set && strings.TrimSpace(f.v) == "" {
				bad(side.prefix+f.key, "is empty; name the %s, or leave the key out", strings.ReplaceAll(f.key, "_", " "))
			}
		}
	}
	inRange("routing.max_quality_loss", p.Routing.MaxQualityLoss, 0, 1, false, true, "must be in [0, 1)")
	inRange("checklist.min_labelled", p.Checklist.MinLabelled, 0, 1, false, false, "must be in [0, 1]")
	inRange("checklist.max_mix_distance", p.Checklist.MaxMixDistance, 0, 1, false, false, "must be in [0, 1]")
	if len(p.Checklist.ProductionMix) > 0 {
		total := 0.0
		keys := make([]string, 0, len(p.Checklist.ProductionMix))
		for k := range p.Checklist.ProductionMix {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := p.Checklist.ProductionMix[k]
			if !finite(v) || v < 0 {
				bad("checklist.production_mix."+k, "a share must be a number ≥ 0, found %v", v)
			}
			total += v
		}
		if math.Abs(total-1) > 0.01 {
			bad("checklist.production_mix", "shares must add up to 1, found %v", total)
		}
	}
	e := &p.Economics
	if e.Require < 0 || e.Require > 4 {
		bad("economics.require", "must be between 0 and 4 conditions, found %d", e.Require)
	}
	inRange("economics.horizon_months", e.HorizonMonths, 0, 1200, true, false, "must be a positive number of months (at most 1200)")
	if e.AcceptedOutcomesPerMonth != nil {
		inRange("economics.accepted_outcomes_per_month", *e.AcceptedOutcomesPerMonth, 0, math.Inf(1), false, true, "must be a number ≥ 0")
	}
	if e.RequestsPerMonth != nil {
		inRange("economics.requests_per_month", *e.RequestsPerMonth, 0, math.Inf(1), false, true, "must be a number ≥ 0")
	}
	if e.AcceptedOutcomesPerMonth != nil && e.RequestsPerMonth != nil {
		bad("economics.requests_per_month", "give accepted_outcomes_per_month or requests_per_month, not both")
	}
	c := e.Costs
	for _, f := range []struct {
		key string
		v   float64
	}{{"data_curation", c.DataCuration}, {"annotation_qc", c.AnnotationQC}, {"training_run", c.TrainingRun},
		{"training_cycles", c.TrainingCycles}, {"deployment_setup", c.DeploymentSetup}, {"hosting_monthly", c.HostingMonthly},
		{"monitoring_monthly", c.MonitoringMonthly}, {"maintenance_monthly", c.MaintenanceMonthly},
		{"retrain_every_months", c.RetrainEveryMonths}} {
		if !finite(f.v) || f.v < 0 {
			bad("economics.costs."+f.key, "must be a number ≥ 0, found %v", f.v)
		}
	}
	if c.RetrainCost != nil && (!finite(*c.RetrainCost) || *c.RetrainCost < 0) {
		bad("economics.costs.retrain_cost", "must be a number ≥ 0, found %v", *c.RetrainCost)
	}
	if e.Plateau.MinRuns < 2 {
		bad("economics.plateau.min_runs", "must be at least 2, found %d", e.Plateau.MinRuns)
	}
	if e.Plateau.Window < 1 || e.Plateau.Window >= max(e.Plateau.MinRuns, 2) {
		bad("economics.plateau.window", "must be at least 1 and below min_runs (%d), found %d", e.Plateau.MinRuns, e.Plateau.Window)
	}
	inRange("economics.plateau.min_gain", e.Plateau.MinGain, -1, 1, true, true, "must be between -1 and 1 (exclusive)")
	return errs.Err()
}

// checkPrices insists that every pricing entry names its input and output
// prices: an entry left empty would price a model at zero and make it look
// free. It looks at each entry's own keys (aliases and merges followed),
// so that a sibling named "m.input_per_mtok" does not count for "m".
func checkPrices(file string, doc *yaml.Node) error {
	var errs scorecard.ErrorList
	w := &keyWalker{budget: maxPolicyNodes}
	top, merged := w.pairs(doc)
	for _, kv := range append(top, merged...) {
		if kv[0].Value != "pricing" {
			continue
		}
		models, mergedModels := w.pairs(kv[1])
		for _, m := range append(models, mergedModels...) {
			k := m[0]
			if strings.TrimSpace(k.Value) == "" {
				// No model is named "" or blank: such an entry would
				// price nothing while looking like a price.
				errs = append(errs, &scorecard.InputError{File: file, Line: k.Line, Col: k.Column,
					Msg: "pricing has an entry with an empty model name; name the model as the scorecards do (usage.model)"})
				continue
			}
			keys := map[string]bool{}
			own, inherited := w.pairs(m[1])
			for _, f := range append(own, inherited...) {
				keys[f[0].Value] = true
			}
			for _, need := range []string{"input_per_mtok", "output_per_mtok"} {
				if !keys[need] {
					errs = append(errs, &scorecard.InputError{File: file, Line: k.Line, Col: k.Column,
						Msg: fmt.Sprintf("pricing.%s has no %s; give both input_per_mtok and output_per_mtok (0 is allowed, but it must be written)", k.Value, need)})
				}
			}
		}
	}
	return errs.Err()
}
