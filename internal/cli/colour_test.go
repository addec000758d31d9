package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestColour: colour only on a character device (a terminal), and never
// with NO_COLOR set (to anything) or TERM=dumb.
func TestColour(t *testing.T) {
	t.Parallel()
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no %s: %v", os.DevNull, err)
	}
	defer dev.Close()
	if st, err := dev.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("%s is not a character device here", os.DevNull)
	}
	file, err := os.Create(filepath.Join(t.TempDir(), "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	vars := func(kv ...string) Env {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return Env{Getenv: func(k string) string { return m[k] }}
	}
	for _, tc := range []struct {
		name string
		env  Env
		w    io.Writer
		want bool
	}{
		{"terminal", vars("TERM", "xterm-256color"), dev, true},
		{"terminal without TERM", vars(), dev, true},
		{"NO_COLOR", vars("TERM", "xterm-256color", "NO_COLOR", "1"), dev, false},
		{"NO_COLOR set to anything", vars("NO_COLOR", "false"), dev, false},
		{"dumb terminal", vars("TERM", "dumb"), dev, false},
		{"regular file", vars("TERM", "xterm-256color"), file, false},
		{"buffer", vars("TERM", "xterm-256color"), &bytes.Buffer{}, false},
	} {
		if got := colour(tc.env, tc.w); got != tc.want {
			t.Errorf("%s: colour = %v, want %v", tc.name, got, tc.want)
		}
	}
}
