package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// An output is one report file asked for on the command line.
type output struct {
	flag, path string
	// target is the file written: the absolute path, its folder's links
	// resolved ("-" for standard output).
	target string
	// info identifies an existing target (device and inode), else nil.
	info os.FileInfo
}

// toStdout reports whether an output path names standard output: "-",
// or /dev/stdout, which would otherwise be a link to a device.
func toStdout(path string) bool { return path == "-" || path == "/dev/stdout" }

// checkOutputs refuses empty file names, an output that is an input
// (by path or by identity: the same device and inode, through a link
// or a hard link), two outputs that are one file, "-" for a report
// other than --json, and every output resolveOutput refuses, before
// anything is read or written. It returns the outputs with their folders
// resolved; --json /dev/stdout becomes "-".
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
	if toStdout(f.json) {
		f.json = "-"
	}
	var outs []output
	for _, o := range []output{{flag: "--json", path: f.json}, {flag: "--markdown", path: f.markdown},
		{flag: "--junit", path: f.junit}, {flag: "--plot", path: f.plot}, {flag: "--html", path: f.html}} {
		if o.path == "" {
			continue
		}
		if toStdout(o.path) {
			if o.flag != "--json" {
				return nil, usagef("%s %s: only the JSON report can go to standard output; give a file name", o.flag, o.path)
			}
			o.target = "-"
			outs = append(outs, o)
			continue
		}
		target, info, err := resolveOutput(o.path)
		if err != nil {
			return nil, usagef("%s %s: %v", o.flag, o.path, err)
		}
		o.target, o.info = target, info
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

// errSymlink is an output path that is a symbolic link. A link in a pull
// request's checkout could point anywhere, so a report is never written
// through one.
var errSymlink = errors.New("is a symbolic link; give the real path")

// resolveOutput checks a path a file is to be written to and returns the
// absolute path, its folder's links resolved, and the existing file's
// information (nil for a new file). It refuses a path that is a symbolic
// link, a directory, or an existing file that is not a regular file (a
// device, a named pipe, a socket): renaming a report over /dev/null would
// replace the device with a file.
func resolveOutput(path string) (string, os.FileInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if errors.Is(err, fs.ErrNotExist) {
		// A folder still to be created (merge --into makes it).
		return abs, nil, nil
	}
	if err != nil {
		return "", nil, unwrapPath(err)
	}
	target := filepath.Join(dir, filepath.Base(abs))
	st, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, nil, nil
	case err != nil:
		return "", nil, unwrapPath(err)
	case st.Mode()&fs.ModeSymlink != 0:
		return "", nil, errSymlink
	case st.IsDir():
		return "", nil, errors.New("is a directory")
	case !st.Mode().IsRegular():
		return "", nil, fmt.Errorf("is not a regular file (%s); ftgate writes only regular files", fileKind(st.Mode()))
	}
	return target, st, nil
}

// fileKind names the kind of a file that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// outputIs reports whether the output o is the existing file in.
func outputIs(o output, in string) bool {
	if abs, err := filepath.Abs(in); err == nil {
		if target, err := filepath.EvalSymlinks(abs); err == nil && target == o.target {
			return true
		}
	}
	st, err := os.Stat(in)
	return err == nil && o.info != nil && os.SameFile(st, o.info)
}

// writeReports renders every report asked for and writes them all or
// none (see replaceAll). A rendering or writing problem leaves no
// report, old or new, changed.
func writeReports(a *app, outs []output, d *gate.Decision, inputs []report.Input, names report.Names) error {
	var files []staged
	var stdout []byte
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
		if o.target == "-" {
			stdout = buf.Bytes()
			continue
		}
		files = append(files, staged{name: o.flag + " " + o.path, target: o.target, data: buf.Bytes()})
	}
	if err := replaceAll(a, files); err != nil {
		return err
	}
	if stdout != nil {
		if _, err := a.env.Stdout.Write(stdout); err != nil {
			return fmt.Errorf("--json -: %w", err)
		}
	}
	return nil
}

// A staged file is one file of a set replaced together.
type staged struct {
	// name is how messages name the file ("--json report.json").
	name string
	// target is the path resolveOutput returned.
	target string
	data   []byte
	// tmp is the temporary file holding data, and backup the old
	// target's content while the set is replaced ("" when none).
	tmp, backup string
	// moved: the old target was renamed to backup (no hard links), so
	// the target is missing until the rename. replaced: the target now
	// holds data.
	moved, replaced bool
}

// Hooks for tests, which make them fail: os.CreateTemp, os.Rename,
// os.Link.
var (
	createTemp = os.CreateTemp
	rename     = os.Rename
	hardLink   = os.Link
)

// replaceAll writes a set of files all or none. Each is written to a
// temporary file in its target's folder; then every target is checked
// again (still what resolveOutput accepted, not a mount point, on the
// same device as its temporary file), so that a rename cannot fail for a
// reason known beforehand; then each existing target is kept as a
// backup (a hard link, else a rename) and the temporary file renamed
// over it. If a rename still fails, the targets already replaced get
// their backups back and new ones are removed, so the set is as it was.
// An interrupt before the first rename writes nothing.
func replaceAll(a *app, files []staged) (err error) {
	defer func() {
		for _, f := range files {
			if f.tmp != "" {
				os.Remove(f.tmp)
			}
			if f.backup != "" && err == nil {
				os.Remove(f.backup)
			}
		}
	}()
	for i := range files {
		f := &files[i]
		tmp, err := writeTemp(f.target, f.data)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, unwrapPath(err))
		}
		f.tmp = tmp
	}
	for i := range files {
		if err := checkReplace(&files[i]); err != nil {
			return fmt.Errorf("%s: %w", files[i].name, err)
		}
	}
	if a.ctx.Err() != nil {
		return errInterrupted
	}
	for i := range files {
		f := &files[i]
		if err := replace(f); err != nil {
			err = fmt.Errorf("%s: %w", f.name, unwrapPath(err))
			if kept := restore(files[:i+1]); kept != nil {
				err = fmt.Errorf("%w; could not put back the old content of %s, which now hold the new reports", err, strings.Join(kept, ", "))
			} else if i > 0 {
				err = fmt.Errorf("%w; the reports already written were restored", err)
			}
			return err
		}
	}
	return nil
}

// checkReplace checks, just before the renames, that a staged file's
// target can be replaced by a rename: it is still a regular file or
// missing, it is not a mount point (a file bind-mounted into a
// container cannot be renamed over), and its temporary file is on the
// same device.
func checkReplace(f *staged) error {
	st, err := os.Lstat(f.target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return unwrapPath(err)
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return errSymlink
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("is not a regular file (%s); ftgate writes only regular files", fileKind(st.Mode()))
	}
	tst, err := os.Stat(f.tmp)
	if err != nil {
		return unwrapPath(err)
	}
	if mountPoint(f.target) || !sameDevice(st, tst) {
		return errors.New("is a mount point (a file mounted from elsewhere), which cannot be replaced whole; write the report to a folder instead")
	}
	return nil
}

// replace renames f's temporary file over its target, keeping an
// existing target as f.backup first.
func replace(f *staged) error {
	if _, err := os.Lstat(f.target); err == nil {
		b, err := createTemp(filepath.Dir(f.target), "."+filepath.Base(f.target)+".*.old")
		if err != nil {
			return err
		}
		b.Close()
		f.backup = b.Name()
		// A hard link keeps the old report in place until the rename; a
		// file system without hard links gets a rename, and the target
		// is missing for that moment.
		if os.Remove(f.backup) != nil || hardLink(f.target, f.backup) != nil {
			if err := rename(f.target, f.backup); err != nil {
				os.Remove(f.backup)
				f.backup = ""
				return err
			}
			f.moved = true
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := rename(f.tmp, f.target); err != nil {
		return err
	}
	f.tmp, f.replaced = "", true
	return nil
}

// restore puts back the targets of files as they were before replace:
// the backup over the target, or no file where there was none. It
// returns the names of those it could not restore.
func restore(files []staged) []string {
	var kept []string
	for i := len(files) - 1; i >= 0; i-- {
		f := &files[i]
		var err error
		switch {
		case f.backup != "" && !f.moved && !f.replaced:
			// The old target is still in place.
			os.Remove(f.backup)
			f.backup = ""
		case f.backup != "":
			if err = rename(f.backup, f.target); err == nil {
				f.backup = ""
			}
		case f.replaced:
			err = os.Remove(f.target)
		}
		if err != nil && f.replaced {
			kept = append(kept, f.name)
		}
	}
	return kept
}

// writeTemp writes data to a new temporary file next to target, with
// target's permissions when it exists (else 0644), but never its execute
// bits, and returns its name.
func writeTemp(target string, data []byte) (string, error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Lstat(target); err == nil && st.Mode().IsRegular() {
		mode = st.Mode().Perm() &^ 0o111
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
