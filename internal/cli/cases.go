package cli

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// casesOptions are what 'ftgate cases' is asked: the JSON report to read
// and the filters, which all must hold for a case to be listed.
type casesOptions struct {
	report string
	// changes keeps the kinds of change asked for (gate.ChangeBroke, ...);
	// none means all.
	changes  []string
	workflow string
	class    string
	csv      bool
	// color: standard output shows colour.
	color bool
}

// filterCases keeps the case changes that pass every filter of o.
func filterCases(cs []gate.CaseChange, o casesOptions) []gate.CaseChange {
	var out []gate.CaseChange
	for _, c := range cs {
		if len(o.changes) > 0 && !slices.Contains(o.changes, c.Change) {
			continue
		}
		if o.workflow != "" && c.Workflow != o.workflow {
			continue
		}
		if o.class != "" && !c.HasClass(o.class) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// listCases reads the report, filters its case changes and writes them as
// a table or as CSV. A filter naming a workflow or class that no changed
// case has is an error with a suggestion, not an empty list.
func listCases(o casesOptions, env Env) error {
	env.defaults()
	l := &loader{ctx: context.Background(), env: env}
	data := l.read(o.report, scorecard.MaxInputBytes, "report")
	if err := l.errs.Err(); err != nil {
		return err
	}
	cs, err := report.ReadCaseChanges(data)
	if err != nil {
		return fmt.Errorf("%s: %w", o.report, err)
	}
	if err := checkFilter(o, cs); err != nil {
		return err
	}
	keep := filterCases(cs, o)
	if o.csv {
		return report.CaseCSV(env.Stdout, keep)
	}
	return report.CaseTable(env.Stdout, keep, report.TextOptions{Color: o.color})
}

// checkFilter refuses a --workflow or --class that no changed case has.
func checkFilter(o casesOptions, cs []gate.CaseChange) error {
	var workflows, classes []string
	for _, c := range cs {
		if !slices.Contains(workflows, c.Workflow) {
			workflows = append(workflows, c.Workflow)
		}
		for _, k := range append(append([]string{}, c.Baseline.Classes...), c.Candidate.Classes...) {
			if !slices.Contains(classes, k) {
				classes = append(classes, k)
			}
		}
	}
	for _, f := range []struct {
		flag, value string
		known       []string
	}{{"--workflow", o.workflow, workflows}, {"--class", o.class, classes}} {
		if f.value == "" || slices.Contains(f.known, f.value) {
			continue
		}
		slices.Sort(f.known)
		msg := fmt.Sprintf("%s %q: no changed case has it", f.flag, f.value)
		if s := scorecard.Suggest(f.value, f.known); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else if len(f.known) > 0 {
			msg += fmt.Sprintf(" (they have: %q)", f.known)
		}
		return usagef("%s", msg)
	}
	return nil
}

// listCasesTo writes case changes as CSV (for tests of the CSV writer
// through the command's own path).
func listCasesTo(w io.Writer, cs []gate.CaseChange) error { return report.CaseCSV(w, cs) }
