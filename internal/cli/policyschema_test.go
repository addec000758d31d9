package cli

import (
	"strings"
	"testing"
)

// The schema's problems come out as FILE:LINE:COL messages at the key.
func TestCheckPolicySchema(t *testing.T) {
	t.Parallel()
	err := checkPolicySchema("gate.yaml", []byte("alpha: 0.05\nlatency:\n  max_p95_ms: -3\npricing:\n  m: {input_per_mtok: 1}\n"))
	if err == nil {
		t.Fatal("no problem found")
	}
	got := err.Error()
	for _, want := range []string{
		"gate.yaml:3:3: latency.max_p95_ms: the policy schema (schema/gate.schema.json) rejects it:",
		"gate.yaml:5:3: pricing.m: the policy schema (schema/gate.schema.json) rejects it: missing property 'output_per_mtok'",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("schema problems %q lack %q", got, want)
		}
	}
	if err := checkPolicySchema("gate.yaml", StarterPolicy()); err != nil {
		t.Errorf("the starter policy: %v", err)
	}
	if err := checkPolicySchema("gate.yaml", nil); err != nil {
		t.Errorf("an empty policy: %v", err)
	}
}
