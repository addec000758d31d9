package schema_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/schema"
	"gopkg.in/yaml.v3"
)

// decodeYAML reads a policy into plain values, as the schema sees it.
func decodeYAML(t *testing.T, data []byte) any {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return doc
}

// Every policy the repository ships is valid for ftgate and for the
// schema: the schema is never stricter than the policy reader.
func TestShippedPoliciesValidate(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "gate.yaml"))
	more, _ := filepath.Glob(filepath.Join("..", "internal", "cli", "testdata", "firstrun", "gate.yaml"))
	files = append(files, more...)
	if len(files) < 7 {
		t.Fatalf("found %d policies", len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gate.ParsePolicy(file, data); err != nil {
			t.Errorf("%s: %v", file, err)
		}
		problems, err := schema.ValidatePolicy(decodeYAML(t, data))
		if err != nil || len(problems) > 0 {
			t.Errorf("%s: the schema rejects a shipped policy: %v %+v", file, err, problems)
		}
	}
}

// The bad policies of gate/testdata that the schema can judge on its own
// (one key at a time) are rejected by it too, at the same key; the rest
// break rules across keys (shares that add up to 1, two volumes, a margin
// that the exact test cannot take, a second document, a duplicate key)
// that only ftgate's reader checks.
func TestBadPoliciesAgree(t *testing.T) {
	acrossKeys := map[string]bool{"mix-sum": true, "volume-both": true, "mcnemar-margin": true, "two-documents": true,
		"duplicate-key": true, "malformed": true, "effect-below-margin": true, "effect-too-far": true, "nan-latency": true,
		// A JSON Schema sees numbers as floats: 2^64 + 5 and 2^64 − 1
		// are the same one.
		"seed-too-large": true,
		// max_resamples applies only without a fixed resamples.
		"resamples-both": true}
	files, _ := filepath.Glob(filepath.Join("..", "gate", "testdata", "policy", "bad", "*.yaml"))
	if len(files) < 20 {
		t.Fatalf("found %d bad policies", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, parseErr := gate.ParsePolicy(file, data)
		if acrossKeys[name] {
			continue
		}
		if parseErr == nil {
			// Advisory keys (power.*) are replaced with a warning.
			continue
		}
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			continue
		}
		problems, err := schema.ValidatePolicy(doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) == 0 {
			t.Errorf("%s: ftgate rejects it (%v) but the schema accepts it", name, parseErr)
		}
	}
}
