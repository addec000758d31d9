package gate_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ftgate/ftgate/gate"
	_ "github.com/ftgate/ftgate/scorecard/formats" // the format names the policy checks
)

// TestImportersPolicy reads the reader options of a policy: those for
// every input, and per side over them.
func TestImportersPolicy(t *testing.T) {
	t.Parallel()
	p, err := gate.ParsePolicy("gate.yaml", []byte(`
importers:
  format: promptfoo
  partial_accepted: true
  accept_threshold: 0.8
  baseline:
    provider: base
    prompt: "0"
  candidate:
    provider: tuned
    prompt: "1"
    accept_threshold: 0.9
    partial_accepted: false
`))
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	t8, t9 := 0.8, 0.9
	want := map[string]gate.ReaderOptions{
		"baseline":  {Format: "promptfoo", Provider: "base", Prompt: "0", AcceptThreshold: &t8, PartialAccepted: &yes},
		"candidate": {Format: "promptfoo", Provider: "tuned", Prompt: "1", AcceptThreshold: &t9, PartialAccepted: &no},
	}
	for side, w := range want {
		if diff := cmp.Diff(w, p.Importers.Side(side)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", side, diff)
		}
	}
	// The key of earlier versions still reads.
	p, err = gate.ParsePolicy("old.yaml", []byte("importers: {partial_accepted: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Importers.Side("candidate").PartialAccepted; got == nil || !*got {
		t.Errorf("importers.partial_accepted: candidate gets %v, want true", got)
	}
}
