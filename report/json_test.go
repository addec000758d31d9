package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/oracle"
	"github.com/ftgate/ftgate/scorecard"
)

// numberedDecision returns a decision in which every float64 field holds
// its own value (1.0001, 1.0002, … in field order), with one element in
// each list the JSON report maps, so that a field written under another
// field's name shows.
func numberedDecision() *gate.Decision {
	d := &gate.Decision{Verdict: gate.Inconclusive, ExitCode: 1, Policy: gate.DefaultPolicy()}
	d.Segments = make([]gate.Segment, 1)
	d.Tiers = make([]gate.Tier, 1)
	d.Routes = make([]gate.Route, 1)
	d.FailureTransitions = make([]gate.Transition, 1)
	d.Latency.Constraints = make([]gate.Constraint, 1)
	d.Format.Constraints = make([]gate.Constraint, 1)
	d.Economics = &gate.Economics{}
	d.RoutingCheck = &gate.RoutingCheck{}
	d.Quality.Discordant = &gate.Discordant{}
	k := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Float64:
			k++
			v.SetFloat(1 + float64(k)/10000)
		case reflect.Int:
			k++
			v.SetInt(int64(k))
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).Name != "Policy" && v.Field(i).CanSet() {
					fill(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				fill(v.Index(i))
			}
		case reflect.Pointer:
			if !v.IsNil() {
				fill(v.Elem())
			}
		}
	}
	for _, f := range []any{&d.Cases, &d.Quality, &d.Cost, &d.Latency, &d.Format, d.Segments, &d.Power, d.Economics, d.Tiers, d.Routes, d.RoutingCheck, d.FailureTransitions} {
		fill(reflect.ValueOf(f))
	}
	return d
}

// jsonValue returns the value at a dotted path (list elements by index)
// of a decoded report.
func jsonValue(t *testing.T, doc any, path string) any {
	t.Helper()
	v := doc
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				t.Fatalf("%s: no key %q", path, part)
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: bad index %q", path, part)
			}
			v = x[i]
		default:
			t.Fatalf("%s: %q is not inside an object or list", path, part)
		}
	}
	return v
}

func decodeReport(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkNumber checks that the JSON value is want exactly (the encoder
// writes the shortest form that reads back), null when want is NaN or
// infinite, and 0, not -0, for a negative zero.
func checkNumber(t *testing.T, doc any, path string, want float64) {
	t.Helper()
	got := jsonValue(t, doc, path)
	if math.IsNaN(want) || math.IsInf(want, 0) {
		if got != nil {
			t.Errorf("%s = %v, want null for %v", path, got, want)
		}
		return
	}
	n, ok := got.(json.Number)
	if !ok {
		t.Errorf("%s = %v (%T), want the number %v", path, got, got, want)
		return
	}
	if want == 0 && strings.HasPrefix(n.String(), "-") {
		t.Errorf("%s = %s, want 0", path, n)
	}
	if f, err := n.Float64(); err != nil || f != want {
		t.Errorf("%s = %s, want %v", path, n, want)
	}
}

// statisticalBlocks are the report's objects whose every number the
// value test below must name.
var statisticalBlocks = []string{"cases", "quality", "cost", "latency", "format", "segments", "power", "tiers", "routes", "routing_check", "failure_transitions"}

// TestJSONNumbers writes a decision whose every number is distinct, with
// undefined values among them, through the real encoder, and checks each
// number of the statistical blocks at its documented key: an interval's
// ends in their order, NaN and ±Inf as null (never 0), -0 as 0. Every
// number in those blocks must be named here, so a new field gets a check.
func TestJSONNumbers(t *testing.T) {
	t.Parallel()
	d := numberedDecision()
	nan, inf := math.NaN(), math.Inf(1)
	d.Cost.Ratio = nan
	d.Cost.DeltaCIHigh = inf
	d.Power.CasesNeeded = inf
	d.Tiers[0].CPAHigh = inf
	d.Latency.BaselineP95Low = math.Inf(-1)
	d.Quality.Delta = math.Copysign(0, -1)
	d.Segments[0].PAdjusted = nan
	q, c, l, f, s, p, tr, rt, rc := d.Quality, d.Cost, d.Latency, d.Format, d.Segments[0], d.Power, d.Tiers[0], d.Routes[0], d.RoutingCheck
	want := map[string]float64{
		"cases.paired": float64(d.Cases.Paired), "cases.clusters": float64(d.Cases.Clusters), "cases.baseline_only": float64(d.Cases.BaselineOnly),
		"cases.candidate_only": float64(d.Cases.CandidateOnly), "cases.max_samples_per_case": float64(d.Cases.MaxSamplesPerCase),
		"cases.counted_as_failures": float64(d.Cases.CountedAsFailures),
		"quality.baseline":          q.Baseline, "quality.candidate": q.Candidate, "quality.delta": q.Delta, "quality.margin": q.Margin,
		"quality.ci_low": q.CILow, "quality.ci_high": q.CIHigh, "quality.ci_level": q.CILevel, "quality.p_value": q.PValue,
		"quality.resamples":                 float64(q.Resamples),
		"quality.discordant.candidate_only": float64(q.Discordant.CandidateOnly), "quality.discordant.baseline_only": float64(q.Discordant.BaselineOnly),
		"cost.baseline_cpa": c.BaselineCPA, "cost.candidate_cpa": c.CandidateCPA, "cost.ratio": c.Ratio, "cost.max_ratio": c.MaxRatio,
		"cost.ci_low": c.CILow, "cost.ci_high": c.CIHigh, "cost.ci_level": c.CILevel, "cost.p_value": c.PValue,
		"cost.delta_ci_low": c.DeltaCILow, "cost.delta_ci_high": c.DeltaCIHigh, "cost.delta_p_value": c.DeltaPValue,
		"cost.resamples": float64(c.Resamples), "cost.p_value_mc_error": c.MCError, "cost.seed": float64(c.Seed),
		"cost.baseline_total_usd": c.BaselineTotalUSD, "cost.candidate_total_usd": c.CandidateTotalUSD,
		"latency.baseline_p50_ms": l.BaselineP50, "latency.baseline_p95_ms": l.BaselineP95,
		"latency.baseline_p95_ms_ci_low": l.BaselineP95Low, "latency.baseline_p95_ms_ci_high": l.BaselineP95High,
		"latency.candidate_p50_ms": l.CandidateP50, "latency.candidate_p95_ms": l.CandidateP95,
		"latency.candidate_p95_ms_ci_low": l.CandidateP95Low, "latency.candidate_p95_ms_ci_high": l.CandidateP95High,
		"latency.constraints.0.limit": l.Constraints[0].Limit, "latency.constraints.0.value": l.Constraints[0].Value,
		"format.baseline_valid_rate": f.BaselineValidRate, "format.candidate_valid_rate": f.CandidateValidRate,
		"format.constraints.0.limit": f.Constraints[0].Limit, "format.constraints.0.value": f.Constraints[0].Value,
		"segments.0.cases": float64(s.Cases), "segments.0.baseline": s.Baseline, "segments.0.candidate": s.Candidate, "segments.0.delta": s.Delta,
		"segments.0.p_value": s.PValue, "segments.0.p_adjusted": s.PAdjusted, "segments.0.mde": s.MDE, "segments.0.resamples": float64(s.Resamples),
		"power.effect": p.Effect, "power.target": p.Target, "power.cases_needed": p.CasesNeeded, "power.more_cases_needed": inf, // null, as cases_needed is
		"power.mde": p.MDE, "power.cost_ratio": p.CostRatio, "power.cost_cases_needed": p.CostCasesNeeded,
		"power.cost_more_cases_needed": float64(p.CostMoreCasesNeeded), "power.cost_variance": p.CostVariance,
		"tiers.0.quality": tr.Quality, "tiers.0.quality_ci_low": tr.QualityLow, "tiers.0.quality_ci_high": tr.QualityHigh,
		"tiers.0.cpa": tr.CPA, "tiers.0.cpa_ci_low": tr.CPALow, "tiers.0.cpa_ci_high": tr.CPAHigh,
		"routes.0.cases": float64(rt.Cases), "routes.0.acceptance": rt.Acceptance, "routes.0.cpa": rt.CPA, "routes.0.best_acceptance": rt.BestAcceptance,
		"routing_check.folds": float64(rc.Folds), "routing_check.acceptance": rc.Acceptance, "routing_check.cross_fit_acceptance": rc.CrossFitAcceptance,
		"routing_check.cpa": rc.CPA, "routing_check.cross_fit_cpa": rc.CrossFitCPA, "routing_check.changed_choices": float64(rc.Changed),
		"failure_transitions.0.cases": d.FailureTransitions[0].Cases,
	}
	b, err := JSON(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeReport(t, b)
	for path, v := range want {
		checkNumber(t, doc, path, v)
	}
	// Every number (or null) in the statistical blocks is named above.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s.%d", path, i), e)
			}
		case json.Number, nil:
			if _, ok := want[strings.TrimPrefix(path, ".")]; !ok {
				t.Errorf("%s is a number (or null) of the report that this test does not check", strings.TrimPrefix(path, "."))
			}
		}
	}
	for _, block := range statisticalBlocks {
		walk("."+block, jsonValue(t, doc, block))
	}
	if again, _ := JSON(d, nil); !bytes.Equal(again, b) {
		t.Error("the same decision gave different bytes")
	}
}

// TestJSONKeyOrder: the keys of each object come in the order of the
// documented schema (docs/report.md), whatever the decision, so that two
// reports can be compared line by line.
func TestJSONKeyOrder(t *testing.T) {
	t.Parallel()
	b, err := JSON(numberedDecision(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for block, want := range map[string][]string{
		"quality": {"method", "baseline", "candidate", "delta", "margin", "ci_low", "ci_high", "ci_level", "p_value", "met", "missed", "resamples", "resampling", "discordant"},
		"cost": {"method", "measured", "baseline_cpa", "candidate_cpa", "ratio", "max_ratio", "ci_low", "ci_high", "ci_level", "p_value", "met", "missed",
			"delta_ci_low", "delta_ci_high", "delta_p_value", "resamples", "resampling", "p_value_mc_error", "seed", "baseline_total_usd", "candidate_total_usd"},
		"power": {"effect", "target", "cases_needed", "more_cases_needed", "mde", "cost_ratio", "cost_cases_needed", "cost_more_cases_needed", "cost_variance"},
		"cases": {"paired", "clusters", "baseline_only", "candidate_only", "max_samples_per_case", "counted_as_failures"},
	} {
		if got := objectKeys(t, b, block); !slices.Equal(got, want) {
			t.Errorf("%s keys %q, want %q", block, got, want)
		}
	}
	top := objectKeys(t, b, "")
	for _, pair := range [][2]string{{"schema", "verdict"}, {"verdict", "exit_code"}, {"cases", "quality"}, {"quality", "cost"}, {"cost", "latency"}, {"segments", "power"}, {"tiers", "routes"}, {"warnings", "input_warnings"}} {
		if i, j := slices.Index(top, pair[0]), slices.Index(top, pair[1]); i < 0 || j < 0 || i > j {
			t.Errorf("top-level key %q is not before %q: %q", pair[0], pair[1], top)
		}
	}
}

// objectKeys returns the keys of the top-level object (block "") or of one
// of its objects, in the order they are written.
func objectKeys(t *testing.T, b []byte, block string) []string {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	raw := json.RawMessage(b)
	if block != "" {
		raw = top[block]
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestJSONAgainstR runs the gate on the "single" oracle dataset (80 cases,
// one sample each) and checks the report's numbers, as written by the real
// encoder, against base R (testdata/oracle/make_oracle.R: binom.test,
// Tango's interval by uniroot, the delta method by hand, quantile type 7)
// and make_oracle_cluster.R (the cost plan, the schema-valid rate).
func TestJSONAgainstR(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "oracle")
	o := oracle.Read(t, filepath.Join(dir, "oracle_r.csv"))
	oc := oracle.Read(t, filepath.Join(dir, "oracle_cluster.csv"))
	val := func(tab oracle.Table, quantity, param string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(tab[oracle.Key("single", quantity, param)], 64)
		if err != nil {
			t.Fatalf("%s %s: %v", quantity, param, err)
		}
		return v
	}
	bText, cText := oracle.Scorecards(oracle.Rows(t, filepath.Join(dir, "single.csv")))
	var arms []*scorecard.Scorecard
	for name, text := range map[string]string{"baseline.jsonl": bText, "candidate.jsonl": cText} {
		sc, err := scorecard.Read(name, []byte(text), scorecard.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		arms = append(arms, sc)
	}
	if arms[0].Source != "baseline.jsonl" {
		arms[0], arms[1] = arms[1], arms[0]
	}
	p, err := scorecard.Pair(arms, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pol := gate.DefaultPolicy()
	pol.Statistics.Resamples = 2000
	pol.Segments.MinCases = 10
	eff := 0.05
	pol.Power.Effect = &eff
	d, err := gate.Decide(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	b, err := JSON(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeReport(t, b)
	near := func(path string, want, tol float64) {
		t.Helper()
		n, ok := jsonValue(t, doc, path).(json.Number)
		got, err := n.Float64()
		if !ok || err != nil || math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, R %.17g", path, jsonValue(t, doc, path), want)
		}
	}
	near("quality.p_value", val(o, "gate_q_p", "0"), 1e-9)
	near("quality.ci_low", val(o, "gate_q_lo", "0"), 1e-9)
	near("quality.ci_high", val(o, "gate_q_hi", "0"), 1e-9)
	near("quality.baseline", val(o, "gate_p_b", ""), 1e-12)
	near("quality.candidate", val(o, "gate_p_c", ""), 1e-12)
	near("cost.baseline_cpa", val(o, "gate_cpa_b", ""), 1e-12)
	near("cost.candidate_cpa", val(o, "gate_cpa_c", ""), 1e-12)
	near("cost.delta_p_value", val(o, "delta_p", "1"), 1e-9)
	near("cost.delta_ci_low", val(o, "delta_lo", "1"), 1e-9)
	near("cost.delta_ci_high", val(o, "delta_hi", "1"), 1e-9)
	near("latency.baseline_p50_ms", val(o, "gate_lat_b_p50", ""), 1e-12)
	near("latency.candidate_p95_ms", val(o, "gate_lat_c_p95", ""), 1e-12)
	near("power.cases_needed", math.Ceil(val(o, "gate_power_n", "0")), 0)
	near("power.mde", val(o, "gate_power_mde", "0"), 1e-9)
	near("power.cost_cases_needed", val(oc, "cost_plan_n", "1"), 0)
	near("power.cost_variance", val(oc, "cost_plan_v", ""), 1e-9)
	near("format.baseline_valid_rate", val(oc, "valid_b_rate", ""), 1e-12)
	near("format.candidate_valid_rate", val(oc, "valid_c_rate", ""), 1e-12)
	for i, w := range oracle.Workflows {
		near(fmt.Sprintf("segments.%d.p_value", i), val(o, "gate_seg_p", w+":0"), 1e-9)
		near(fmt.Sprintf("segments.%d.p_adjusted", i), val(o, "gate_seg_adj", w+":0"), 1e-12)
	}
}
