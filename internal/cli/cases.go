package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// maxReportBytes is the largest JSON report 'ftgate cases' reads: 512 MiB,
// about a million changed cases (a case change takes about 500 bytes).
const maxReportBytes int64 = 512 << 20

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
	data := l.read(o.report, maxReportBytes, "report")
	if err := l.errs.Err(); err != nil {
		return err
	}
	cs, err := report.ReadCaseChanges(data)
	if err != nil {
		if format, derr := scorecard.Detect(o.report, data); derr == nil {
			return fmt.Errorf("%s: this is a scorecard (read as %s), not a report: 'ftgate cases' reads the JSON report that 'ftgate compare --json REPORT.json' writes", o.report, format)
		}
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

// newCases is 'ftgate cases': the drill-down behind a JSON report.
func newCases(a *app) *cobra.Command {
	var o casesOptions
	var broke, fixed, changed, csvOut optBool
	cmd := &cobra.Command{
		Use:     "cases REPORT.json [--broke] [--fixed] [--changed-class] [--workflow W] [--class C] [--csv]",
		Short:   "List the cases behind a report: what the candidate broke, fixed or failed differently",
		GroupID: groupIDGate,
		Long: `Cases reads a JSON report (compare --json) and lists the cases whose outcome changed between the
baseline and the candidate: broken first, then fixed, then those that failed with another class, with
their workflow, each side's outcome, the failure classes and the change in cost per sample. The
filters combine: every one given must hold. --csv writes CSV for a spreadsheet or a script.`,
		Example: `  ftgate cases report.json --broke --workflow policy-qa
  ftgate cases report.json --class wrong-policy --csv > cases.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("cases needs the JSON report to read: ftgate cases REPORT.json, the file of compare --json")
			case len(args) > 1:
				return fmt.Errorf("cases reads one report; found %d arguments (%q, ...)", len(args), args[1])
			}
			return nil
		},
		RunE: a.run(func(cmd *cobra.Command, args []string) error {
			o.report = args[0]
			for _, k := range []struct {
				on   optBool
				kind string
			}{{broke, gate.ChangeBroke}, {fixed, gate.ChangeFixed}, {changed, gate.ChangeClass}} {
				if k.on.value {
					o.changes = append(o.changes, k.kind)
				}
			}
			o.csv = csvOut.value
			o.color = a.color
			return listCases(o, a.env)
		}),
	}
	f := in(cmd, groupOutput)
	f.BoolVar(&broke, "broke", "only the cases the candidate broke (accepted by the baseline, not by the candidate)")
	f.BoolVar(&fixed, "fixed", "only the cases the candidate fixed")
	f.BoolVar(&changed, "changed-class", "only the cases that failed on both sides with other failure classes")
	f.StringVar(&o.workflow, "workflow", "only the cases of workflow `W`")
	f.StringVar(&o.class, "class", "only the cases with failure class `C` on either side")
	f.BoolVar(&csvOut, "csv", "write CSV instead of a table")
	mustComplete(cmd, "workflow", completeFromReport(false))
	mustComplete(cmd, "class", completeFromReport(true))
	return cmd
}
