package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// Every flag that takes one value, on every command, refuses a second.
func TestEverySingleValuedFlagRefusesASecondValue(t *testing.T) {
	t.Parallel()
	root := newRoot(&app{ctx: context.Background()})
	n := 0
	for _, cmd := range root.Commands() {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			var twice []string
			switch f.Value.(type) {
			case *onceString:
				twice = []string{"--" + f.Name + "=a", "--" + f.Name + "=b"}
			case *optBool:
				twice = []string{"--" + f.Name, "--" + f.Name + "=false"}
			default:
				return
			}
			n++
			var stderr bytes.Buffer
			code := Run(context.Background(), append([]string{cmd.Name()}, twice...), Env{Stderr: &stderr})
			if code != 2 || !strings.Contains(stderr.String(), `"--`+f.Name+`" flag: given twice`) {
				t.Errorf("ftgate %s %v: exit %d, %q", cmd.Name(), twice, code, stderr.String())
			}
		})
	}
	if n < 30 {
		t.Errorf("only %d single-valued flags found", n)
	}
}

// Every flag of every command is in a help group, and the help of each
// command shows its examples, its groups and its required flags.
func TestHelpGroupsEveryFlag(t *testing.T) {
	t.Parallel()
	root := newRoot(&app{ctx: context.Background()})
	for _, cmd := range root.Commands() {
		if cmd.Name() == "completion" || cmd.Name() == "help" {
			continue
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" && len(f.Annotations["group"]) == 0 {
				t.Errorf("%s --%s has no help group", cmd.Name(), f.Name)
			}
		})
		var out bytes.Buffer
		if code := Run(context.Background(), []string{cmd.Name(), "--help"}, Env{Stdout: &out}); code != 0 {
			t.Errorf("%s --help: exit %d", cmd.Name(), code)
		}
		if cmd.Name() != "version" && !strings.Contains(out.String(), "Examples:") {
			t.Errorf("%s --help has no examples:\n%s", cmd.Name(), out.String())
		}
	}
	var out bytes.Buffer
	Run(context.Background(), []string{"compare", "--help"}, Env{Stdout: &out})
	for _, want := range []string{"Inputs:", "Policy:", "Reports:", "Output:", "Reading scorecards:",
		"--candidate FILE          the fine-tuned candidate's scorecard FILE (required)", "--set KEY=VALUE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("compare --help lacks %q:\n%s", want, out.String())
		}
	}
}

// Each command is one entry of the root.
func TestCommands(t *testing.T) {
	t.Parallel()
	root := newRoot(&app{ctx: context.Background()})
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	// cobra adds completion and help when it runs.
	if got, want := strings.Join(names, " "), "cases compare init merge power validate version"; got != want {
		t.Errorf("commands %q, want %q", got, want)
	}
}
