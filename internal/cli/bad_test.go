package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/golden"
)

// TestBadInvocations runs every case of testdata/bad: a command line on
// files of its own that ftgate must refuse. Each NAME.txt holds comment
// lines (#), the command ("ftgate ARGS", {dir} for the case's folder),
// optional set-up lines ("link OLD NEW", "symlink OLD NEW"), the exit
// code ("exit N"), and then the files, each after a "-- NAME --" line
// ({repeat N TEXT} repeats TEXT). The standard error must match NAME.want
// (-update rewrites it), no verdict may be printed, and every file of the
// case must be left as it was, with no other written.
func TestBadInvocations(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("testdata", "bad", "*.txt"))
	if err != nil || len(cases) < 10 {
		t.Fatalf("%d cases: %v", len(cases), err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			c := parseCase(t, path, dir)
			for _, l := range c.links {
				link := os.Link
				if l[0] == "symlink" {
					link = os.Symlink
				}
				if err := link(l[1], l[2]); err != nil {
					t.Skipf("%s: %v", l[0], err)
				}
			}
			code, stdout, stderr := run(t, c.stdin, c.args...)
			if code != c.exit || (c.exit == 2 && strings.Contains(stdout, "verdict")) {
				t.Errorf("exit %d (want %d), stdout:\n%s\nstderr:\n%s", code, c.exit, stdout, stderr)
			}
			if c.maxOutput > 0 && len(stdout)+len(stderr) > c.maxOutput {
				t.Errorf("%d bytes of output, want at most %d", len(stdout)+len(stderr), c.maxOutput)
			}
			golden.Check(t, strings.TrimSuffix(path, ".txt")+".want", strings.ReplaceAll(stderr, dir, "{dir}"))
			if c.stdoutGolden {
				golden.Check(t, strings.TrimSuffix(path, ".txt")+".stdout", strings.ReplaceAll(stdout, dir, "{dir}"))
			}
			for name, want := range c.files {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(got) != want {
					t.Errorf("%s changed: %v", name, err)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if _, ok := c.files[e.Name()]; !ok && !isLink(c, e.Name()) {
					t.Errorf("%s was written", e.Name())
				}
			}
		})
	}
}

// A badCase is one file of testdata/bad: a command, the exit code it must
// give, links and files to make first, what to feed its standard input
// ("stdin NAME"), and for a run that must stay small however large its
// input ("max-output N"), the most bytes it may print; "stdout" compares
// standard output with NAME.stdout. Files may hold
// {repeat N TEXT} (TEXT N times) and {seq N TEXT} (TEXT N times, each #
// in it replaced by the count from 0).
type badCase struct {
	args      []string
	exit      int
	links     [][3]string
	files     map[string]string
	stdin     string
	stdinName string
	maxOutput int
	// stdoutGolden: standard output is compared with NAME.stdout.
	stdoutGolden bool
}

var (
	repeat = regexp.MustCompile(`\{repeat (\d+) ([^}]*)\}`)
	seq    = regexp.MustCompile(`\{seq (\d+) ([^}]*)\}`)
)

func parseCase(t *testing.T, path, dir string) badCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := badCase{files: map[string]string{}}
	text := strings.ReplaceAll(string(data), "{dir}", dir)
	head, body, _ := strings.Cut(text, "\n-- ")
	for _, line := range strings.Split(head, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0 || strings.HasPrefix(line, "#"):
		case f[0] == "ftgate":
			c.args = f[1:]
		case f[0] == "exit" && len(f) == 2:
			c.exit, _ = strconv.Atoi(f[1])
		case f[0] == "stdin" && len(f) == 2:
			c.stdinName = f[1]
		case f[0] == "stdout" && len(f) == 1:
			c.stdoutGolden = true
		case f[0] == "max-output" && len(f) == 2:
			c.maxOutput, _ = strconv.Atoi(f[1])
		case (f[0] == "link" || f[0] == "symlink") && len(f) == 3:
			c.links = append(c.links, [3]string{f[0], f[1], f[2]})
		default:
			t.Fatalf("%s: cannot read %q", path, line)
		}
	}
	if body != "" {
		for _, part := range strings.Split("-- "+body, "\n-- ") {
			part = strings.TrimPrefix(part, "-- ")
			name, content, _ := strings.Cut(part, " --\n")
			content = repeat.ReplaceAllStringFunc(content, func(m string) string {
				sm := repeat.FindStringSubmatch(m)
				n, _ := strconv.Atoi(sm[1])
				return strings.Repeat(sm[2], n)
			})
			content = seq.ReplaceAllStringFunc(content, func(m string) string {
				sm := seq.FindStringSubmatch(m)
				n, _ := strconv.Atoi(sm[1])
				var b strings.Builder
				for i := range n {
					b.WriteString(strings.ReplaceAll(sm[2], "#", strconv.Itoa(i)))
				}
				return b.String()
			})
			c.files[name] = content
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.stdinName != "" {
		c.stdin = c.files[c.stdinName]
	}
	if len(c.args) == 0 || (c.exit == 0 && c.maxOutput == 0 && !c.stdoutGolden) {
		t.Fatalf("%s: no command or no exit code", path)
	}
	return c
}

func isLink(c badCase, name string) bool {
	for _, l := range c.links {
		if filepath.Base(l[2]) == name {
			return true
		}
	}
	return false
}
