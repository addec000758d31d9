package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/scorecard"
)

// isPolicyFile tells a policy from a scorecard by its extension.
func isPolicyFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func runValidate(args []string, env Env) error {
	var policy string
	var rf readFlags
	fs := newFlagSet("validate", env, "ftgate validate [--policy gate.yaml] [--format NAME] FILE...\n\nChecks scorecards and policies (.yaml/.yml) and says what it understood; exit 2 with every problem listed")
	policyFlag := stringFlag(fs, "policy", "policy whose price table prices the scorecards")
	rf.register(fs)
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	policy = policyFlag.value
	files := fs.Args()
	if len(files) == 0 && policy == "" {
		return usagef("validate needs at least one FILE")
	}
	l := &loader{env: env, schemaCheck: true}
	pol := loadPolicy(env, policy, l)
	if policy != "" && len(l.errs) == 0 {
		fmt.Fprintf(env.Stdout, "%s: policy ok\n", policy)
	}
	opts, err := rf.options(pol, "")
	if err != nil {
		return err
	}
	l.opts, l.pol = opts, pol
	for _, f := range files {
		if isPolicyFile(f) && opts.Format == "auto" {
			before := len(l.errs)
			loadPolicy(env, f, l)
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
