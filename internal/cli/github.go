package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/actions"
	"github.com/ftgate/ftgate/internal/visible"
	"github.com/ftgate/ftgate/report"
)

// applyFailOn applies FTGATE_FAIL_ON (the action's fail-on input: with
// "fail" an inconclusive verdict exits 0). It runs before any report is
// written, so every report's exit_code is the process's.
func applyFailOn(env Env, d *gate.Decision) {
	failOn, err := actions.ParseFailOn(env.Getenv(actions.EnvFailOn))
	if err != nil {
		fmt.Fprintf(env.Stderr, "ftgate: warning: %v\n", err)
	}
	if actions.ApplyFailOn(d, failOn) && !actions.InActions(env.Getenv) {
		fmt.Fprintf(env.Stderr, "ftgate: %s=fail: the inconclusive verdict does not fail (exit 0)\n", actions.EnvFailOn)
	}
}

// publishActions writes, when running inside GitHub Actions, the step
// outputs, the job summary, the annotations and the optional pull-request
// comment. Its errors are warnings: they never change the verdict.
//
// The annotations go through commands, the guard of the stream that does
// not carry the JSON report. The step output "report" is the JSON
// report's path, empty when it went to standard output.
func publishActions(a *app, commands *visible.Writer, d *gate.Decision, names report.Names, jsonPath string) error {
	env := a.env
	if !actions.InActions(env.Getenv) {
		return nil
	}
	if jsonPath == "-" {
		jsonPath = ""
	}
	p := actions.New(actions.Options{Getenv: env.Getenv, Stdout: commands, Stderr: env.Stderr})
	if err := p.Publish(a.ctx, actions.Result{Decision: d, Names: names, JSONPath: jsonPath}); err != nil {
		return joinWarnings([]error{err})
	}
	return nil
}

// joinWarnings joins errors on one line, for the single "ftgate: warning:"
// line that the caller prints.
func joinWarnings(errs []error) error {
	err := errors.Join(errs...)
	if err == nil {
		return nil
	}
	return errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
}
