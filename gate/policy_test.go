package gate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/golden"
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
