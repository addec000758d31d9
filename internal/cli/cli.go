// Package cli is the ftgate command line: it parses arguments, reads the
// files, asks the gate for a decision and writes the reports. It is a
// function of its arguments and environment, so tests drive it directly.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/visible"
	"github.com/ftgate/ftgate/scorecard"
	_ "github.com/ftgate/ftgate/scorecard/formats" // every reader, in detection order
)

// Env is what a command may touch of the world outside its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// ReadFile and WriteFile default to the os functions.
	ReadFile  func(string) ([]byte, error)
	WriteFile func(string, []byte) error
	// color is set by Run: standard output is a terminal that may show
	// colour, so the terminal report marks results with SGR colours.
	color bool
}

func (e *Env) defaults() {
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.ReadFile == nil {
		e.ReadFile = os.ReadFile
	}
	if e.WriteFile == nil {
		e.WriteFile = func(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
	}
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
}

// usageError is a problem with the command line itself.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// internalError is a failure of ftgate itself, not of its input (exit 3).
type internalError struct{ err error }

func (e *internalError) Error() string { return "ftgate: internal error: " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

const usage = `ftgate: a release gate for fine-tuned models

Usage:
  ftgate compare --baseline FILE [--baseline FILE ...] --candidate FILE [--policy gate.yaml] [flags]
  ftgate validate [--policy gate.yaml] [--format NAME] FILE...
  ftgate power --baseline FILE [--candidate FILE] [--policy gate.yaml]
  ftgate init [--out gate.yaml]
  ftgate merge --into EVIDENCE.jsonl [--renumber] RUN...
  ftgate version

Run 'ftgate COMMAND -h' for a command's flags.
Exit codes: 0 pass, 1 gate did not pass, 2 bad input or usage, 3 internal error.
`

// Run runs ftgate with args (without the program name) and returns the
// process exit code. It never calls os.Exit and recovers from panics,
// which it reports as internal errors (exit 3).
//
// Everything it prints passes through a visible.Writer on each stream,
// so no input can make a line of its output act as a workflow command or
// a terminal escape sequence; the GitHub Actions layer writes its
// annotations through the standard-output guard's Command method.
func Run(ctx context.Context, args []string, env Env) (code int) {
	env.defaults()
	env.color = colour(env, env.Stdout)
	stdout := visible.NewWriter(env.Stdout, visible.Options{SGR: env.color})
	stderr := visible.NewWriter(env.Stderr, visible.Options{SGR: colour(env, env.Stderr)})
	env.Stdout, env.Stderr = stdout, stderr
	defer func() {
		// Deferred first, so it runs last: after a panic's message.
		if err := stdout.Flush(); err != nil {
			fmt.Fprintf(stderr, "ftgate: writing standard output: %v\n", err)
			if code == 0 {
				code = gate.ExitBadInput
			}
		}
		stderr.Flush()
	}()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "ftgate: internal error: %v\n%s\nPlease report this with the inputs that caused it.\n", r, debug.Stack())
			code = gate.ExitInternal
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return gate.ExitBadInput
	}
	var err error
	code = 0
	switch args[0] {
	case "compare":
		code, err = runCompare(ctx, args[1:], env)
	case "validate":
		err = runValidate(args[1:], env)
	case "power":
		err = runPower(args[1:], env)
	case "init":
		err = runInit(args[1:], env)
	case "merge":
		err = runMerge(args[1:], env)
	case "version", "--version", "-version":
		fmt.Fprintf(env.Stdout, "ftgate %s\n", version())
	case "help", "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
	default:
		msg := fmt.Sprintf("ftgate: unknown command %q", args[0])
		if s := scorecard.Suggest(args[0], []string{"compare", "validate", "power", "init", "merge", "version"}); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintf(env.Stderr, "%s\n\n%s", msg, usage)
		return gate.ExitBadInput
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		printError(env.Stderr, err)
		var ie *internalError
		if errors.As(err, &ie) {
			return gate.ExitInternal
		}
		return gate.ExitBadInput
	}
	return code
}

// printError writes every problem of err on its own line.
func printError(w io.Writer, err error) {
	var list scorecard.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			printError(w, e)
		}
		return
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "ftgate: %s\n", ue.msg)
		return
	}
	fmt.Fprintf(w, "%s\n", err)
}

// colour reports whether w is a terminal that may show colour: a
// character device, with NO_COLOR unset and TERM not "dumb". The guard
// then lets SGR colour sequences through.
func colour(env Env, w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || env.Getenv("NO_COLOR") != "" || env.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// singleString is a string flag that may be given once: a second value
// would otherwise silently replace the first.
type singleString struct {
	value string
	set   bool
}

func (s *singleString) String() string { return s.value }
func (s *singleString) Set(v string) error {
	if s.set {
		return fmt.Errorf("given twice (%q and %q); it takes one value", s.value, v)
	}
	s.value, s.set = v, true
	return nil
}

// stringFlag defines a flag that may be given once.
func stringFlag(fs *flagSet, name, usage string) *singleString {
	s := &singleString{}
	fs.Var(s, name, usage)
	return s
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// A flagSet is a flag.FlagSet that reports errors instead of printing
// them, and prints its help to standard output on -h.
type flagSet struct {
	*flag.FlagSet
	help func()
}

func newFlagSet(name string, env Env, synopsis string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	help := func() {
		fmt.Fprintf(env.Stdout, "Usage: %s\n\nFlags:\n", synopsis)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return &flagSet{fs, help}
}

// parseFlags parses args and refuses stray positional arguments unless
// positional is true.
func parseFlags(fs *flagSet, args []string, positional bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return err
		}
		return usagef("%s: %v (see 'ftgate %s -h')", fs.Name(), err, fs.Name())
	}
	for _, a := range fs.Args() {
		if positional && len(a) > 1 && a[0] == '-' {
			return usagef("%s: flag %q after the file names; put flags first (ftgate %s [flags] FILE...)", fs.Name(), a, fs.Name())
		}
	}
	if !positional && fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q (every input is given with a flag, such as --baseline FILE)", fs.Name(), fs.Arg(0))
	}
	return nil
}
