package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ftgate/ftgate/scorecard"
)

// Flag values. Every single-valued flag refuses a second value: with the
// standard behaviour (the last one wins) "--format csv ... --format
// native" would silently read the input differently from what one of the
// two flags says.

// onceString is a string flag that may be given once. placeholder is the
// word the help writes for its value ("FILE").
type onceString struct {
	p           *string
	set         bool
	placeholder string
}

func (s *onceString) String() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}
func (s *onceString) Type() string { return s.placeholder }
func (s *onceString) Set(v string) error {
	if s.set {
		return fmt.Errorf("given twice (%q and %q); it takes one value", *s.p, v)
	}
	*s.p, s.set = v, true
	return nil
}

// stringList is a repeatable string flag, in the order given.
type stringList struct {
	p           *[]string
	placeholder string
}

func (s *stringList) String() string {
	if s.p == nil {
		return ""
	}
	return strings.Join(*s.p, ",")
}
func (s *stringList) Type() string       { return s.placeholder }
func (s *stringList) Set(v string) error { *s.p = append(*s.p, v); return nil }

// optBool is a boolean flag that knows whether it was given, so that
// --lenient=false overrides a policy's lenient: true. It may be given
// once.
type optBool struct{ value, set bool }

func (b *optBool) String() string { return strconv.FormatBool(b.value) }
func (b *optBool) Type() string   { return "bool" }
func (b *optBool) Set(v string) error {
	x, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false, found %q", v)
	}
	if b.set {
		return fmt.Errorf("given twice; it takes one value")
	}
	b.value, b.set = x, true
	return nil
}

// or returns the flag's value when it was given, else the policy's (false
// when the policy leaves it unset).
func (b optBool) or(policy *bool) bool {
	if b.set || policy == nil {
		return b.value
	}
	return *policy
}

// The flag groups of the help, in the order shown.
const (
	groupInputs  = "Inputs"
	groupPolicy  = "Policy"
	groupReports = "Reports"
	groupOutput  = "Output"
	groupReading = "Reading scorecards"
	groupPlan    = "Planning"
)

var groupOrder = []string{groupInputs, groupPlan, groupPolicy, groupReports, groupOutput, groupReading}

// flags defines the flags of one command in one help group.
type flags struct {
	fs    *pflag.FlagSet
	group string
}

// add defines a flag. The usage names the value's placeholder between
// backquotes ("baseline scorecard `FILE`"): the help writes it after the
// flag's name, and the text the flag keeps (which shell completion shows)
// has the backquotes taken out.
func (f flags) add(name, usage string, v pflag.Value) *pflag.Flag {
	if !slices.Contains(groupOrder, f.group) {
		panic("flag group " + f.group + " has no place in the help")
	}
	placeholder, plain := pflag.UnquoteUsage(&pflag.Flag{Usage: usage, Value: v})
	switch v := v.(type) {
	case *onceString:
		v.placeholder = placeholder
	case *stringList:
		v.placeholder = placeholder
	}
	if placeholder == "" && v.Type() != "bool" || strings.Contains(plain, "`") {
		panic("flag --" + name + " names no placeholder in backquotes")
	}
	fl := f.fs.VarPF(v, name, "", plain)
	fl.Annotations = map[string][]string{"group": {f.group}}
	return fl
}

// StringVar defines a single-valued string flag stored in p.
func (f flags) StringVar(p *string, name, usage string) {
	f.add(name, usage, &onceString{p: p})
}

// ListVar defines a repeatable string flag stored in p.
func (f flags) ListVar(p *[]string, name, usage string) {
	f.add(name, usage, &stringList{p: p})
}

// BoolVar defines a boolean flag stored in b.
func (f flags) BoolVar(b *optBool, name, usage string) {
	f.add(name, usage, b).NoOptDefVal = "true"
}

// in returns a helper that defines flags of cmd in group; the help lists
// them in the order defined.
func in(cmd *cobra.Command, group string) flags {
	cmd.Flags().SortFlags = false
	return flags{cmd.Flags(), group}
}

// required marks flags as required: cobra refuses a run without them,
// and the help says so.
func required(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		if err := cmd.MarkFlagRequired(n); err != nil {
			panic(err) // a flag name misspelt in this package
		}
		fl := cmd.Flags().Lookup(n)
		fl.Usage += " (required)"
	}
}

// flagError names the closest flag to an unknown one (Run prints the
// error as a usage problem, with the command's help to see). A first
// argument that names no command is that problem, whatever flags follow
// it: "ftgate compre --baseline a" is a mistyped command, not an unknown
// flag of ftgate itself.
func (a *app) flagError(cmd *cobra.Command, err error) error {
	if !cmd.HasParent() && len(a.args) > 0 && !strings.HasPrefix(a.args[0], "-") {
		return &commandError{unknownCommand(cmd, a.args[0])}
	}
	var ne *pflag.NotExistError
	if errors.As(err, &ne) && ne.GetSpecifiedName() != "" {
		name := ne.GetSpecifiedName()
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		msg := fmt.Sprintf("unknown flag --%s", name)
		if s := scorecard.Suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean --%s?", s)
		}
		return errors.New(msg)
	}
	return err
}

// checkFlags refuses a command line that lacks a required flag or mixes
// flags that exclude each other, in ftgate's words (cobra's own checks,
// which run after it, then have nothing to find). The flags are marked
// with cobra's MarkFlagRequired, MarkFlagsOneRequired and
// MarkFlagsMutuallyExclusive, so that help and completion know them too.
func checkFlags(cmd *cobra.Command, _ []string) error {
	fs := cmd.Flags()
	shown := func(name string) string {
		if f := fs.Lookup(name); f != nil {
			if v, _ := pflag.UnquoteUsage(f); v != "" {
				return "--" + name + " " + v
			}
		}
		return "--" + name
	}
	var missing []string
	groups := map[string][]string{}
	fs.VisitAll(func(f *pflag.Flag) {
		if r := f.Annotations[cobra.BashCompOneRequiredFlag]; len(r) > 0 && r[0] == "true" && !f.Changed {
			missing = append(missing, shown(f.Name))
		}
		for _, kind := range []string{"cobra_annotation_one_required", "cobra_annotation_mutually_exclusive"} {
			for _, g := range f.Annotations[kind] {
				if !slices.Contains(groups[kind], g) {
					groups[kind] = append(groups[kind], g)
				}
			}
		}
	})
	name := cmd.Name()
	if len(missing) > 0 {
		return fmt.Errorf("%s needs %s", name, strings.Join(missing, " and "))
	}
	for _, g := range groups["cobra_annotation_one_required"] {
		names := strings.Fields(g)
		if !slices.ContainsFunc(names, func(n string) bool { return fs.Changed(n) }) {
			var alts []string
			for _, n := range names {
				alts = append(alts, shown(n))
			}
			return fmt.Errorf("%s needs %s", name, strings.Join(alts, " or "))
		}
	}
	for _, g := range groups["cobra_annotation_mutually_exclusive"] {
		var set []string
		for _, n := range strings.Fields(g) {
			if fs.Changed(n) {
				set = append(set, "--"+n)
			}
		}
		if len(set) > 1 {
			return fmt.Errorf("%s cannot be given together: give one", strings.Join(set, " and "))
		}
	}
	return nil
}

// usage writes a command's help: the usage line, the examples, the
// subcommands by group, and the flags by group.
func usage(cmd *cobra.Command) error {
	w := cmd.OutOrStdout()
	fmt.Fprint(w, "Usage:\n")
	if cmd.Runnable() && cmd.HasParent() {
		fmt.Fprintf(w, "  %s\n", cmd.UseLine())
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "  %s COMMAND [flags]\n", cmd.CommandPath())
	}
	if cmd.HasExample() {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(cmd.Example, "\n"))
	}
	if cmd.HasAvailableSubCommands() {
		for _, g := range append(cmd.Groups(), &cobra.Group{ID: "", Title: "Other commands:"}) {
			var lines []string
			for _, c := range cmd.Commands() {
				if c.GroupID == g.ID && (c.IsAvailableCommand() || c.Name() == "help") {
					lines = append(lines, fmt.Sprintf("  %-*s %s", c.NamePadding(), c.Name(), c.Short))
				}
			}
			if len(lines) > 0 {
				fmt.Fprintf(w, "\n%s\n%s\n", g.Title, strings.Join(lines, "\n"))
			}
		}
	}
	writeFlagGroups(w, cmd.LocalFlags())
	if inherited := cmd.InheritedFlags(); inherited.HasAvailableFlags() {
		fmt.Fprintf(w, "\nGlobal flags:\n%s", inherited.FlagUsagesWrapped(100))
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun 'ftgate COMMAND --help' for a command's flags and examples.\n%s", exitCodes)
	}
	return nil
}

// writeFlagGroups writes fs's flags under their groups' titles.
func writeFlagGroups(w io.Writer, fs *pflag.FlagSet) {
	byGroup := map[string]*pflag.FlagSet{}
	fs.VisitAll(func(f *pflag.Flag) {
		g := groupOutput
		if a := f.Annotations["group"]; len(a) > 0 {
			g = a[0]
		}
		if byGroup[g] == nil {
			byGroup[g] = pflag.NewFlagSet(g, pflag.ContinueOnError)
			byGroup[g].SortFlags = false
		}
		byGroup[g].AddFlag(f)
	})
	for _, g := range groupOrder {
		if set := byGroup[g]; set != nil && set.HasAvailableFlags() {
			fmt.Fprintf(w, "\n%s:\n%s", g, set.FlagUsagesWrapped(100))
		}
	}
}
