package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// An output is one report file asked for on the command line.
type output struct {
	flag, path string
	// target is the file written: path with its links resolved ("-" for
	// standard output).
	target string
	// info identifies an existing target (device and inode), else nil.
	info os.FileInfo
}

// checkOutputs refuses empty file names, an output that is an input
// (by path or by identity: the same device and inode, through a link
// or a hard link), two outputs that are one file, and "-" for a report
// other than --json. It returns the outputs with their links resolved.
func checkOutputs(f *compareFlags) ([]output, error) {
	type input struct{ flag, path string }
	var inputs []input
	for _, list := range []struct {
		flag  string
		files []string
	}{{"--baseline", f.baselines}, {"--candidate", []string{f.candidate}}, {"--baseline-history", f.history}} {
		for _, name := range list.files {
			if name == "" {
				return nil, usagef("%s was given an empty file name", list.flag)
			}
			inputs = append(inputs, input{list.flag, name})
		}
	}
	if f.policy.file != "" {
		inputs = append(inputs, input{"--policy", f.policy.file})
	}
	var outs []output
	for _, o := range []output{{flag: "--json", path: f.json}, {flag: "--markdown", path: f.markdown},
		{flag: "--junit", path: f.junit}, {flag: "--plot", path: f.plot}, {flag: "--html", path: f.html}} {
		if o.path == "" {
			continue
		}
		if o.path == "-" {
			if o.flag != "--json" {
				return nil, usagef("%s -: only the JSON report can go to standard output; give a file name", o.flag)
			}
			o.target = "-"
			outs = append(outs, o)
			continue
		}
		target, err := resolveOutput(o.path)
		if err != nil {
			return nil, usagef("%s %s: %v", o.flag, o.path, err)
		}
		o.target = target
		o.info, _ = os.Stat(target)
		for _, in := range inputs {
			if in.path != "-" && outputIs(o, in.path) {
				return nil, usagef("%s %s would overwrite the %s input %s", o.flag, o.path, in.flag, in.path)
			}
		}
		for _, prev := range outs {
			if prev.target != "-" && (prev.target == o.target || (prev.info != nil && o.info != nil && os.SameFile(prev.info, o.info))) {
				return nil, usagef("%s %s and %s %s are the same file", prev.flag, prev.path, o.flag, o.path)
			}
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// resolveOutput returns the absolute path an output is written to: the
// file a link points to, or, for a new file, its name in its folder with
// the folder's links resolved.
func resolveOutput(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(abs); err == nil {
		target, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("a link to a missing file (%v)", unwrapPath(err))
		}
		if st, err := os.Stat(target); err == nil && st.IsDir() {
			return "", errors.New("is a directory")
		}
		return target, nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", unwrapPath(err)
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// outputIs reports whether the output o is the existing file in.
func outputIs(o output, in string) bool {
	if target, err := resolveOutput(in); err == nil && target == o.target {
		return true
	}
	st, err := os.Stat(in)
	return err == nil && o.info != nil && os.SameFile(st, o.info)
}

// writeReports renders every report asked for and writes them all or
// none: each goes to a temporary file in its target's folder, and only
// when every one is written are they renamed over their targets. A
// rendering or writing problem leaves no report, old or new, changed.
func writeReports(a *app, outs []output, d *gate.Decision, inputs []report.Input, names report.Names) error {
	type rendered struct {
		output
		data []byte
		tmp  string
	}
	var files []rendered
	for _, o := range outs {
		var buf bytes.Buffer
		var err error
		switch o.flag {
		case "--json":
			var data []byte
			if data, err = report.JSON(d, inputs); err == nil {
				buf.Write(data)
			}
		case "--markdown":
			err = report.Markdown(&buf, d, names)
		case "--junit":
			err = report.JUnit(&buf, d, names)
		case "--plot":
			err = report.SVG(&buf, d, names)
		case "--html":
			err = report.HTML(&buf, d, inputs, names)
		}
		if err != nil {
			return &internalError{fmt.Errorf("%s: %w", o.flag, err)}
		}
		files = append(files, rendered{output: o, data: buf.Bytes()})
	}
	cleanup := func() {
		for _, f := range files {
			if f.tmp != "" {
				os.Remove(f.tmp)
			}
		}
	}
	for i := range files {
		f := &files[i]
		if f.target == "-" {
			continue
		}
		tmp, err := writeTemp(f.target, f.data)
		if err != nil {
			cleanup()
			return fmt.Errorf("%s %s: %w", f.flag, f.path, unwrapPath(err))
		}
		f.tmp = tmp
	}
	if err := a.ctx.Err(); err != nil {
		cleanup()
		return errInterrupted
	}
	for i := range files {
		f := &files[i]
		if f.target == "-" {
			continue
		}
		if err := os.Rename(f.tmp, f.target); err != nil {
			cleanup()
			return fmt.Errorf("%s %s: %w", f.flag, f.path, unwrapPath(err))
		}
		f.tmp = ""
	}
	for _, f := range files {
		if f.target == "-" {
			if _, err := a.env.Stdout.Write(f.data); err != nil {
				return fmt.Errorf("%s -: %w", f.flag, err)
			}
		}
	}
	return nil
}

// createTemp is os.CreateTemp; tests make it fail.
var createTemp = os.CreateTemp

// writeTemp writes data to a new temporary file next to target, with
// target's permissions when it exists (else 0644), and returns its name.
func writeTemp(target string, data []byte) (string, error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := createTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, bytes.NewReader(data))
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
