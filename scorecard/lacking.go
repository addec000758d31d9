package scorecard

import (
	"fmt"
	"strings"
)

// lacking names a field a format does not carry and what follows from it.
var lacking = map[string]string{
	"workflow":     "workflow (no per-workflow segments)",
	"cluster":      "cluster (cases are treated as independent)",
	"schema_valid": "schema_valid (the format constraint is not measured)",
	"cost":         "cost or token usage (the cost check is not measured)",
	"priced":       "cost (computed from token usage at the policy's prices)",
	"latency":      "latency (the latency constraint is not measured)",
}

// NoteLacking adds the warning that says which optional fields the
// samples read from file (in the named format) do not carry, and what
// follows from each. Every reader of an eval tool's output calls it last.
func (sc *Scorecard) NoteLacking(file, format string) {
	f := sc.PresentFields()
	var parts []string
	for _, l := range []struct {
		missing bool
		name    string
	}{
		{!f.Workflow, "workflow"},
		{!f.Cluster, "cluster"},
		{!f.SchemaValid, "schema_valid"},
		{!f.Cost && !f.Usage, "cost"},
		{!f.Cost && f.Usage, "priced"},
		{!f.Latency, "latency"},
	} {
		if l.missing {
			parts = append(parts, lacking[l.name])
		}
	}
	if len(parts) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s input has no %s", file, format, strings.Join(parts, "; ")))
	}
}
