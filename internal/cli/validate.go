package cli

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// isPolicyFile tells a policy from a scorecard by its extension.
func isPolicyFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func newValidate(a *app) *cobra.Command {
	var policy policyFlags
	var rf readFlags
	cmd := &cobra.Command{
		Use:     "validate [--policy gate.yaml] [flags] FILE...",
		Short:   "Check scorecards and policies and say what was understood",
		GroupID: groupIDSetup,
		Long: `Validate reads scorecards and policies (files ending in .yaml or .yml) and says what it understood
of each: format, system, cases, fields. Every problem is listed, each as FILE:LINE: message, with exit
code 2. With --policy, the scorecards' token usage is priced by its pricing table.`,
		Example: `  ftgate validate gate.yaml
  ftgate validate --policy gate.yaml base.jsonl tuned.jsonl
  ftgate validate --format csv --id-column case results.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && policy.file == "" && len(policy.sets) == 0 {
				return errors.New("validate needs at least one FILE")
			}
			return nil
		},
		RunE: a.run(func(cmd *cobra.Command, files []string) error { return a.validate(&policy, &rf, files) }),
	}
	policy.register(cmd)
	rf.register(cmd)
	return cmd
}

func (a *app) validate(policy *policyFlags, rf *readFlags, files []string) error {
	env := a.env
	l := newLoader(a)
	l.schemaCheck = true
	pol := policy.load(l)
	if (policy.file != "" || len(policy.sets) > 0) && len(l.errs) == 0 {
		fmt.Fprintf(env.Stdout, "%s: policy ok\n", firstNonEmpty(policy.file, "the default policy with --set"))
	}
	opts, err := rf.options(l, "")
	if err != nil {
		return err
	}
	l.opts = opts
	l.choices = func(name, format string, msgs []string) {
		for _, line := range report.Wrap(name+": ok, but it holds several systems: pick one to compare it", 100, "", "  ") {
			fmt.Fprintln(env.Stdout, line)
		}
		field(env.Stdout, "format", format)
		for _, m := range msgs {
			field(env.Stdout, "choose", m)
		}
	}
	for _, f := range files {
		if isPolicyFile(f) && opts.Format == "auto" {
			before := len(l.errs)
			l.policy(f, nil)
			l.pol = pol
			if len(l.errs) == before {
				fmt.Fprintf(env.Stdout, "%s: policy ok\n", f)
			}
			continue
		}
		sc := l.scorecard(f)
		if sc == nil {
			continue
		}
		describe(env, sc)
	}
	return l.errs.Err()
}

// describe prints what was understood of a scorecard, one field a line,
// each wrapped at 100 columns under its label.
func describe(env Env, sc *scorecard.Scorecard) {
	ids := map[string]bool{}
	workflows := map[string]bool{}
	clusters := map[string]bool{}
	accepted, errored := 0, 0
	for _, s := range sc.Samples {
		ids[s.ID] = true
		if s.Workflow != "" {
			workflows[s.Workflow] = true
		}
		if s.Cluster != "" {
			clusters[s.Cluster] = true
		}
		if s.Accepted {
			accepted++
		}
		if s.Error != "" {
			errored++
		}
	}
	f := sc.PresentFields()
	var present, absent []string
	for _, x := range []struct {
		name string
		has  bool
	}{{"workflow", f.Workflow}, {"cluster", f.Cluster}, {"score", f.Score}, {"cost", f.Cost}, {"usage", f.Usage},
		{"latency", f.Latency}, {"schema_valid", f.SchemaValid}, {"failure_class", f.FailureClass}} {
		if x.has {
			present = append(present, x.name)
		} else {
			absent = append(absent, x.name)
		}
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s: ok\n", sc.Source)
	field(w, "format", sc.Format)
	system := clean(sc.System.Name)
	if sc.System.Model != "" {
		system += " (model " + clean(sc.System.Model) + ")"
	}
	field(w, "system", system)
	field(w, "cases", fmt.Sprintf("%s (%s, %s accepted, %s)", numfmt.Int(len(ids)), numfmt.Counted(len(sc.Samples), "sample", "samples"),
		numfmt.Int(accepted), numfmt.Counted(errored, "with an error", "with errors")))
	switch {
	case len(workflows) > 0:
		field(w, "workflows", fmt.Sprintf("%s (%s)", numfmt.Int(len(workflows)), names(workflows, 6)))
	default:
		field(w, "workflows", "none (no per-workflow segments)")
	}
	switch {
	case len(clusters) > 0:
		field(w, "clusters", numfmt.Int(len(clusters)))
	default:
		field(w, "clusters", "none (each case is its own cluster)")
	}
	if len(present) == 0 {
		present = []string{"(only id and accepted)"}
	}
	field(w, "fields", strings.Join(present, ", "))
	if len(absent) > 0 {
		field(w, "absent", strings.Join(absent, ", "))
	}
	for _, warn := range sc.Warnings {
		field(w, "warning", clean(strings.TrimPrefix(warn, sc.Source+": ")))
	}
	unpriced := scorecard.UnpricedModels(sc)
	for _, m := range slices.Sorted(maps.Keys(unpriced)) {
		field(w, "warning", fmt.Sprintf("the token usage of %q (%s) has no price in the policy's pricing table, so its cost is not measured; price it with --policy, or --set 'pricing.%s={input_per_mtok: IN, output_per_mtok: OUT}' (USD per million tokens)",
			clean(m), numfmt.Counted(unpriced[m], "sample", "samples"), clean(m)))
	}
}

// field writes one labelled line of describe, wrapped at 100 columns.
func field(w io.Writer, label, value string) {
	head := fmt.Sprintf("  %-11s", label+":")
	for _, line := range report.Wrap(value, 100, head, strings.Repeat(" ", len(head))) {
		fmt.Fprintln(w, line)
	}
}

// names lists up to n of a set's names, sorted, with "…" for the rest.
func names(set map[string]bool, n int) string {
	all := slices.Sorted(maps.Keys(set))
	if len(all) > n {
		all = append(all[:n], "…")
	}
	for i := range all {
		all[i] = clean(all[i])
	}
	return strings.Join(all, ", ")
}

func clean(s string) string { return report.Clean(s) }
