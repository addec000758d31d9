package gate_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/golden"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/google/go-cmp/cmp"
)

// TestBadPolicies parses every policy in testdata/policy/bad and compares
// the error with the .want file beside it.
func TestBadPolicies(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "policy", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("only %d bad policies found", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.ToSlash(path)
			_, err = gate.ParsePolicy(name, data)
			golden.CheckInputError(t, name, err, strings.TrimSuffix(path, ".yaml")+".want")
		})
	}
}

func TestParsePolicyDefaultsAndOverrides(t *testing.T) {
	t.Parallel()
	p, err := gate.ParsePolicy("empty.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(gate.DefaultPolicy(), p); diff != "" {
		t.Errorf("empty policy differs from the defaults (-want +got):\n%s", diff)
	}
	p, err = gate.ParsePolicy("p.yaml", []byte("alpha: 0.01\nquality: {min_gain: 0.03}\ncost: {required: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := gate.DefaultPolicy()
	want.Alpha = 0.01
	want.Quality.MinGain = 0.03
	want.Cost.Required = false
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	if got := p.EffectivePowerEffect(); got != 0.05 {
		t.Errorf("default power effect = %v, want min_gain + 0.02 = 0.05", got)
	}
}

// The power settings are advice: a non-inferiority margin needs no
// power.effect (the default plans for no true difference), and a value out
// of range is replaced by its default with a warning that names its line,
// never an error.
func TestAdvisoryPowerSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, yaml      string
		effect, target  float64
		costRatio       float64
		warning         string // a substring of the only warning; "" for none
		explicitEffect  bool
		explicitCostRat bool
	}{
		{"non-inferiority", "quality: {min_gain: -0.03}\n", 0, 0.9, 0.9, "", false, false},
		{"superiority default", "quality: {min_gain: 0.03}\n", 0.05, 0.9, 0.9, "", false, false},
		{"margin near 1", "quality: {min_gain: 0.99}\n", 0.995, 0.9, 0.9, "", false, false},
		{"effect below margin", "quality:\n  min_gain: 0.02\npower:\n  effect: 0.01\n", 0.04, 0.9, 0.9,
			"p.yaml:4: power.effect: must exceed quality.min_gain (0.02) by at least 0.001 (0.1 pts; a smaller effect is too small to plan for) and be at most 1, found 0.01; planning for the default 0.04 instead", false, false},
		{"effect at the margin", "quality: {min_gain: -0.05}\npower: {effect: -0.05}\n", 0, 0.9, 0.9, "power.effect: must exceed quality.min_gain (-0.05) by at least 0.001", false, false},
		{"effect too small to plan for", "power: {effect: 1.0e-12}\n", 0.02, 0.9, 0.9, "power.effect: must exceed quality.min_gain (0) by at least 0.001 (0.1 pts; a smaller effect is too small to plan for) and be at most 1, found 1e-12", false, false},
		{"effect far above a negative margin", "quality: {min_gain: -0.1}\npower: {effect: 1}\n", 1, 0.9, 0.9, "", true, false},
		{"negative effect above the margin", "quality: {min_gain: -0.1}\npower: {effect: -0.02}\n", -0.02, 0.9, 0.9, "", true, false},
		{"effect above 1", "power: {effect: 1.5}\n", 0.02, 0.9, 0.9, "power.effect: must exceed quality.min_gain (0) by at least 0.001 (0.1 pts; a smaller effect is too small to plan for) and be at most 1, found 1.5", false, false},
		{"target", "power: {target: 1.2}\n", 0.02, 0.9, 0.9, "p.yaml:1: power.target: must be between 0.5 and 1 (exclusive), found 1.2; using 0.9", false, false},
		{"cost ratio", "cost: {max_ratio: 0.8}\npower: {cost_ratio: 0.6}\n", 0.02, 0.9, 0.6, "", false, true},
		{"cost ratio at the limit", "cost: {max_ratio: 0.8}\npower: {cost_ratio: 0.8}\n", 0.02, 0.9, 0.72,
			"p.yaml:2: power.cost_ratio: must be above 0 and below cost.max_ratio (0.8), found 0.8; planning for the default 0.72 instead", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := gate.ParsePolicy("p.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatalf("error %v; advisory settings must never block", err)
			}
			if got := p.EffectivePowerEffect(); math.Abs(got-tc.effect) > 1e-15 {
				t.Errorf("effect %v, want %v", got, tc.effect)
			}
			if got := p.EffectiveCostRatio(); math.Abs(got-tc.costRatio) > 1e-15 {
				t.Errorf("cost ratio %v, want %v", got, tc.costRatio)
			}
			if p.Power.Target != tc.target || (p.Power.Effect != nil) != tc.explicitEffect || (p.Power.CostRatio != nil) != tc.explicitCostRat {
				t.Errorf("power policy %+v", p.Power)
			}
			switch {
			case tc.warning == "" && len(p.Warnings) != 0:
				t.Errorf("warnings %q, want none", p.Warnings)
			case tc.warning != "" && (len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], tc.warning)):
				t.Errorf("warnings %q, want one containing %q", p.Warnings, tc.warning)
			}
		})
	}
}

// YAML anchors, aliases and merge keys are ordinary YAML: a price table
// that shares one entry between two models is valid.
func TestParsePolicyAnchorsAndMerges(t *testing.T) {
	t.Parallel()
	p, err := gate.ParsePolicy("p.yaml", []byte(`pricing:
  gpt-4.1-mini: &mini {input_per_mtok: 0.4, output_per_mtok: 1.6}
  gpt-4.1-mini-2025-04-14: *mini
  ft:gpt-4.1-mini:acme: {<<: *mini, output_per_mtok: 3.2}
statistics: {seed: 18446744073709551615, resamples: 0x2710}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]scorecard.Price{
		"gpt-4.1-mini":            {InputPerMTok: 0.4, OutputPerMTok: 1.6},
		"gpt-4.1-mini-2025-04-14": {InputPerMTok: 0.4, OutputPerMTok: 1.6},
		"ft:gpt-4.1-mini:acme":    {InputPerMTok: 0.4, OutputPerMTok: 3.2},
	}
	if diff := cmp.Diff(want, p.Pricing); diff != "" {
		t.Errorf("pricing (-want +got):\n%s", diff)
	}
	if p.Statistics.Seed != 1<<64-1 || p.Statistics.Resamples != 10000 {
		t.Errorf("statistics %+v", p.Statistics)
	}
}

// FuzzParsePolicy: any bytes give a policy or located input errors, never
// a panic or another kind of error.
func FuzzParsePolicy(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "policy", "bad", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*", "gate.yaml"))
	for _, path := range append(files, examples...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("pricing: {a: &p {input_per_mtok: 1, output_per_mtok: 1}, b: *p, c: {<<: *p}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := gate.ParsePolicy("p.yaml", data)
		if err == nil {
			return
		}
		if !scorecard.IsInputError(err) {
			t.Fatalf("error %v is not an input error", err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "p.yaml:") {
				t.Fatalf("error line %q is not located", line)
			}
		}
	})
}

// Overrides replace or add any key, through the paths a policy has:
// model names with dots, nested blocks, an aliased entry (copied, so the
// anchor's other users keep their value), and an empty value as unset.
func TestParsePolicyOverrides(t *testing.T) {
	t.Parallel()
	file := []byte(`pricing:
  gpt-4.1: &p {input_per_mtok: 2, output_per_mtok: 8}
  gpt-4.1-mini: *p
latency: {max_p95_ms: 2500}
`)
	var sets []gate.Override
	for _, kv := range []string{"pricing.gpt-4.1-mini.output_per_mtok=1.6", "pricing.o3.mini={input_per_mtok: 1, output_per_mtok: 4}",
		"quality.min_gain=-0.01", "latency.max_p95_ms=", "economics.costs.training_run=250"} {
		o, err := gate.ParseOverride(kv)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, o)
	}
	p, err := gate.ParsePolicy("gate.yaml", file, sets...)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]scorecard.Price{
		"gpt-4.1":      {InputPerMTok: 2, OutputPerMTok: 8},
		"gpt-4.1-mini": {InputPerMTok: 2, OutputPerMTok: 1.6},
		"o3.mini":      {InputPerMTok: 1, OutputPerMTok: 4},
	}
	if diff := cmp.Diff(want, p.Pricing); diff != "" {
		t.Errorf("pricing (-want +got):\n%s", diff)
	}
	if p.Quality.MinGain != -0.01 || p.Latency.MaxP95Ms != nil || p.Economics.Costs.TrainingRun != 250 {
		t.Errorf("min_gain %v, max_p95_ms %v, training_run %v", p.Quality.MinGain, p.Latency.MaxP95Ms, p.Economics.Costs.TrainingRun)
	}
	// A problem of the file stays the file's; one of an override is the
	// override's, by its source.
	_, err = gate.ParsePolicy("gate.yaml", []byte("alpha: 0.7\n"), gate.Override{Key: "segments.min_cases", Value: "1", Source: "--set segments.min_cases=1"})
	wantErr := "gate.yaml:1: alpha: must be at least 1e-10 and below 0.5, found 0.7\n--set segments.min_cases=1: segments.min_cases: must be at least 2, found 1"
	if err == nil || err.Error() != wantErr {
		t.Errorf("error %v\nwant %s", err, wantErr)
	}
	if _, err := gate.ParseOverride("alpha"); err == nil || err.Error() != "--set alpha: give KEY=VALUE, such as quality.min_gain=0.02" {
		t.Errorf("ParseOverride(alpha) = %v", err)
	}
}
