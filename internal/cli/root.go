package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/scorecard"
)

// The command groups of the help.
const (
	groupIDGate  = "gate"
	groupIDSetup = "setup"
)

// newRoot assembles the ftgate command: one cobra.Command per verb, each
// built by its own file's newXxx function. A new command is one more
// entry in AddCommand.
func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "ftgate",
		Short: "A release gate for fine-tuned models",
		Long: `ftgate decides whether a fine-tuned model ships: it pairs the baseline's and the candidate's
eval scorecards case by case and returns PASS, FAIL or INCONCLUSIVE on quality and on cost per
accepted outcome, with paired, cluster-aware significance tests.`,
		Example: `  ftgate init --out gate.yaml
  ftgate validate --policy gate.yaml base.jsonl tuned.jsonl
  ftgate compare --baseline base.jsonl --candidate tuned.jsonl --policy gate.yaml
  ftgate power --baseline-rate 0.8 --effect 0.03`,
		Version:       version(),
		Args:          cobra.ArbitraryArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: a.run(func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				// The problem first, then what to run.
				fmt.Fprintf(a.env.Stderr, "ftgate: no command given: run 'ftgate COMMAND [flags]', such as 'ftgate compare --baseline FILE --candidate FILE'\n\n")
				cmd.SetOut(a.env.Stderr)
				usage(cmd)
				return errShown
			}
			return unknownCommand(cmd, args[0])
		}),
		PersistentPreRunE: checkFlags,
	}
	root.SetOut(a.env.Stdout)
	root.SetErr(a.env.Stderr)
	root.SetIn(a.env.Stdin)
	root.SetFlagErrorFunc(a.flagError)
	root.SetUsageFunc(usage)
	root.SetVersionTemplate("ftgate {{.Version}}\n")
	root.AddGroup(&cobra.Group{ID: groupIDGate, Title: "Gating:"}, &cobra.Group{ID: groupIDSetup, Title: "Policies and scorecards:"})
	root.AddCommand(newCompare(a), newCases(a), newPower(a), newValidate(a), newInit(a), newMerge(a), newVersion(a))
	return root
}

// unknownCommand is the error for a first argument that names no command,
// with the closest command's name.
func unknownCommand(root *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if s := scorecard.Suggest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return usagef("%s (commands: %s; see 'ftgate --help')", msg, strings.Join(names, ", "))
}

// run adapts a command's function to cobra: its errors are marked as the
// command's own (exit puts cobra's apart), and an interrupted run stops
// before it starts.
func (a *app) run(f func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if a.ctx.Err() != nil {
			return errInterrupted
		}
		if err := f(cmd, args); err != nil {
			return &commandError{err}
		}
		return nil
	}
}

// noArgs refuses positional arguments: every input is given with a flag.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q (every input is given with a flag, such as --baseline FILE)", args[0])
	}
	return nil
}

// newVersion is 'ftgate version'.
func newVersion(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the ftgate version",
		Args:  noArgs,
		RunE: a.run(func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.env.Stdout, "ftgate %s\n", version())
			return err
		}),
	}
}
