package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// writeReports renders every report file asked for (--json, --markdown,
// --junit, --plot, --html) and only then writes them, so that a rendering problem
// leaves no partial set of files behind.
func writeReports(env Env, d *gate.Decision, inputs []report.Input, names report.Names, f compareFlags) error {
	type file struct {
		flag, path string
		data       []byte
	}
	var files []file
	render := func(flag, path string, write func(io.Writer) error) error {
		if path == "" {
			return nil
		}
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return &internalError{fmt.Errorf("%s: %w", flag, err)}
		}
		files = append(files, file{flag, path, buf.Bytes()})
		return nil
	}
	for _, err := range []error{
		render("--json", f.json, func(w io.Writer) error {
			data, err := report.JSON(d, inputs)
			if err == nil {
				_, err = w.Write(data)
			}
			return err
		}),
		render("--markdown", f.markdown, func(w io.Writer) error { return report.Markdown(w, d, names) }),
		render("--junit", f.junit, func(w io.Writer) error { return report.JUnit(w, d, names) }),
		render("--plot", f.plot, func(w io.Writer) error { return report.SVG(w, d, names) }),
		render("--html", f.html, func(w io.Writer) error { return report.HTML(w, d, inputs, names) }),
	} {
		if err != nil {
			return err
		}
	}
	for _, fl := range files {
		if err := env.WriteFile(fl.path, fl.data); err != nil {
			return fmt.Errorf("%s %s: %w", fl.flag, fl.path, unwrapPath(err))
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
