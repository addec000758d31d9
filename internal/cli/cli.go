// Package cli is the ftgate command line: it parses arguments, reads the
// files, asks the gate for a decision and writes the reports. It is a
// function of its arguments and environment, so tests drive it directly.
//
// The commands are built on github.com/spf13/cobra, one file per command
// (compare.go, validate.go, power.go, init.go, version.go); root.go
// assembles them. Every command returns an error or, for compare, the
// verdict's exit code, and Run alone turns them into the process's exit
// code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/visible"
	"github.com/ftgate/ftgate/scorecard"
	_ "github.com/ftgate/ftgate/scorecard/formats" // every reader, in detection order
)

// ExitInterrupted is the exit code of a run stopped by an interrupt
// (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it.
const ExitInterrupted = 130

// exitCodes is the help's summary of the exit codes.
const exitCodes = "Exit codes: 0 pass, 1 the gate did not pass, 2 bad input or usage, 3 internal error, 130 interrupted.\n"

// Env is what a command may touch of the world outside its arguments
// and the files they name.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

func (e *Env) defaults() {
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
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

// errInterrupted reports a run stopped by its context.
var errInterrupted = errors.New("interrupted")

// errInterruptedPublishing reports a run stopped by its context after its
// reports were written, while it published to GitHub (the pull-request
// comment): the run still exits 130, and says the reports are there.
var errInterruptedPublishing = errors.New("interrupted while publishing")

// errShown is a usage problem the command has already printed (with the
// help that goes with it): exit 2, nothing more to say.
var errShown = errors.New("usage problem, already shown")

// An app is one run of the command line: what the commands share.
type app struct {
	ctx context.Context
	env Env
	// args are the command line's arguments, without the program name.
	args []string
	// stdout and stderr are the guards around env's streams; commands
	// write to env.Stdout and env.Stderr, which are these.
	stdout, stderr *visible.Writer
	// code is the exit code of a decision (compare); 0 otherwise.
	code int
	// color and colorStderr: standard output (standard error) is a
	// terminal that may show colour, so the terminal report written there
	// marks results with SGR colours.
	color, colorStderr bool
	// status: standard error is a terminal that shows a status line
	// (progress of a long run).
	status bool
}

// Run runs ftgate with args (without the program name) and returns the
// process exit code. It never calls os.Exit and recovers from panics,
// which it reports as internal errors (exit 3). When ctx is cancelled (an
// interrupt) the run stops, writes no report and exits 130.
//
// Everything it prints passes through a visible.Writer on each stream,
// so no input can make a line of its output act as a workflow command or
// a terminal escape sequence; the GitHub Actions layer writes its
// annotations through a guard's Command method.
func Run(ctx context.Context, args []string, env Env) (code int) {
	env.defaults()
	a := &app{ctx: ctx, args: args, color: colour(env, env.Stdout), colorStderr: colour(env, env.Stderr), status: statusLine(env, env.Stderr)}
	a.stdout = visible.NewWriter(env.Stdout, visible.Options{SGR: a.color})
	a.stderr = visible.NewWriter(env.Stderr, visible.Options{SGR: a.colorStderr, Status: a.status})
	env.Stdout, env.Stderr = a.stdout, a.stderr
	a.env = env
	defer func() {
		// Deferred first, so it runs last: after a panic's message.
		if err := a.stdout.Flush(); err != nil {
			fmt.Fprintf(a.stderr, "ftgate: writing standard output: %v\n", err)
			if code == 0 {
				code = gate.ExitBadInput
			}
		}
		a.stderr.Flush()
	}()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "ftgate: internal error: %v\n%s\nPlease report this with the inputs that caused it.\n", r, debug.Stack())
			code = gate.ExitInternal
		}
	}()
	root := newRoot(a)
	root.SetArgs(args)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		defer guardStderr(a.stderr)()
		if os.Stderr != nil {
			// cobra's own lines and the command's error output share
			// the one pipe, so they keep their order.
			root.SetErr(os.Stderr)
		}
	}
	cmd, err := root.ExecuteContextC(ctx)
	return a.exit(cmd, err)
}

// stderrMu serialises guardStderr, which swaps a process-wide variable.
var stderrMu sync.Mutex

// guardStderr points os.Stderr at a pipe whose every byte is copied
// through the output guard w, until the returned function restores it.
// cobra's shell-completion request (ftgate __complete ARGS) writes its
// errors and debug lines to os.Stderr itself, not to the command's error
// writer: this keeps them under the one escaping point like every other
// byte. The restore waits until the copy has written everything.
func guardStderr(w io.Writer) (restore func()) {
	stderrMu.Lock()
	r, pw, err := os.Pipe()
	if err != nil {
		// No pipe: silence what cobra would print raw.
		old := os.Stderr
		os.Stderr = nil
		return func() { os.Stderr = old; stderrMu.Unlock() }
	}
	old := os.Stderr
	os.Stderr = pw
	done := make(chan struct{})
	go func() {
		io.Copy(w, r)
		close(done)
	}()
	return func() {
		os.Stderr = old
		pw.Close()
		<-done
		r.Close()
		stderrMu.Unlock()
	}
}

// A commandError is an error returned by one of ftgate's commands, as
// opposed to one cobra found in the arguments.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// exit decides the exit code of a run from the error of cmd (the command
// that ran) and prints the error. It is the only place that does.
func (a *app) exit(cmd *cobra.Command, err error) int {
	w := a.env.Stderr
	switch {
	case err == nil:
		return a.code
	case errors.Is(err, errInterruptedPublishing):
		fmt.Fprintln(w, "ftgate: reports written; interrupted during the pull-request comment")
		return ExitInterrupted
	case errors.Is(err, errInterrupted) || (a.ctx.Err() != nil && errors.Is(err, a.ctx.Err())):
		fmt.Fprintln(w, "ftgate: interrupted; no report written")
		return ExitInterrupted
	case errors.Is(err, errShown):
		return gate.ExitBadInput
	}
	var ce *commandError
	if !errors.As(err, &ce) {
		// cobra's own: a missing required flag, an unexpected argument.
		name := "ftgate"
		if cmd != nil && cmd.HasParent() {
			name += " " + cmd.Name()
		}
		fmt.Fprintf(w, "ftgate: %v (see '%s --help')\n", err, name)
		return gate.ExitBadInput
	}
	printError(w, ce.err)
	var ie *internalError
	if errors.As(err, &ie) {
		return gate.ExitInternal
	}
	return gate.ExitBadInput
}

// printError writes every problem of err on its own line, each once: one
// file given as both sides fails the same way twice.
func printError(w io.Writer, err error) {
	var lines []string
	var collect func(err error)
	collect = func(err error) {
		var list scorecard.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				collect(e)
			}
			return
		}
		line := err.Error()
		var ue *usageError
		if errors.As(err, &ue) {
			line = "ftgate: " + ue.msg
		}
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	collect(err)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
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
