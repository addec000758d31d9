package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

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

// describe prints what was understood of a scorecard.
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
	fmt.Fprintf(w, "  format:   %s\n", sc.Format)
	fmt.Fprintf(w, "  system:   %s", clean(sc.System.Name))
	if sc.System.Model != "" {
		fmt.Fprintf(w, " (model %s)", clean(sc.System.Model))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  cases:    %d (%d samples, %d accepted, %d with errors)\n", len(ids), len(sc.Samples), accepted, errored)
	if len(workflows) > 0 {
		fmt.Fprintf(w, "  workflows: %d, clusters: %d\n", len(workflows), len(clusters))
	}
	if len(present) == 0 {
		present = []string{"(only id and accepted)"}
	}
	fmt.Fprintf(w, "  fields:   %s\n", strings.Join(present, ", "))
	if len(absent) > 0 {
		fmt.Fprintf(w, "  absent:   %s\n", strings.Join(absent, ", "))
	}
	for _, warn := range sc.Warnings {
		fmt.Fprintf(w, "  warning:  %s\n", clean(warn))
	}
}

func clean(s string) string { return report.Clean(s) }
