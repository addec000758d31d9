package cli

import (
	"errors"
	"io/fs"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// writeExtraReports writes the Markdown, JUnit and SVG outputs asked for.
func writeExtraReports(env Env, d *gate.Decision, inputs []report.Input, names report.Names, f compareFlags) error {
	if f.markdown != "" {
		if err := writeMarkdown(env, d, names, f.markdown); err != nil {
			return err
		}
	}
	if f.junit != "" {
		if err := writeJUnit(env, d, names, f.junit); err != nil {
			return err
		}
	}
	if f.plot != "" {
		if err := writePlot(env, d, names, f.plot); err != nil {
			return err
		}
	}
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
