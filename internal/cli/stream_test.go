package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// countingReader hands out the bytes of r a few at a time, as a pipe
// does, and counts them.
type countingReader struct {
	r    io.Reader
	read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p[:min(len(p), 7777)])
	c.read += int64(n)
	return n, err
}

// A pipe is read in chunks joined once: the text comes back whole, one
// past the limit is refused without reading further, and a NUL is refused
// at its offset unless the stream is a zip archive.
func TestStream(t *testing.T) {
	t.Parallel()
	l := &loader{ctx: context.Background()}
	text := strings.Repeat("{\"id\":\"a\",\"accepted\":true}\n", 3*streamChunk/27)
	if got := l.stream("-", &countingReader{r: strings.NewReader(text)}, 1<<30, "scorecard", -1); string(got) != text || len(l.errs) > 0 {
		t.Errorf("a pipe of %d bytes read as %d bytes, %v", len(text), len(got), l.errs)
	}
	if got := l.stream("f", strings.NewReader(text), 1<<30, "scorecard", int64(len(text))/2); string(got) != text {
		t.Errorf("a file that grew while read: %d bytes of %d", len(got), len(text))
	}

	l = &loader{ctx: context.Background()}
	limit := int64(2*streamChunk + 5)
	cr := &countingReader{r: strings.NewReader(strings.Repeat(" ", 10*streamChunk))}
	if got := l.stream("-", cr, limit, "scorecard", -1); got != nil || len(l.errs) != 1 || !strings.Contains(l.errs[0].Error(), "larger than") {
		t.Errorf("past the limit: %d bytes, %v", len(got), l.errs)
	}
	if cr.read > limit+streamChunk {
		t.Errorf("read %d bytes past a limit of %d", cr.read, limit)
	}

	for _, tc := range []struct {
		data string
		size int64
		err  string
	}{
		{"{\"id\":\x00", -1, "a NUL byte at offset 6"},
		{"{\"id\":\x00", 8, "a NUL byte at offset 6"},
		{"PK\x03\x04\x00\x00", -1, ""},
		{"PK\x03\x04\x00\x00", 6, ""},
	} {
		l := &loader{ctx: context.Background()}
		got := l.stream("x", &countingReader{r: bytes.NewReader([]byte(tc.data))}, 1<<20, "scorecard", tc.size)
		switch {
		case tc.err == "" && (string(got) != tc.data || len(l.errs) > 0):
			t.Errorf("%q: %q, %v", tc.data, got, l.errs)
		case tc.err != "" && (got != nil || len(l.errs) != 1 || !strings.Contains(l.errs[0].Error(), tc.err)):
			t.Errorf("%q: %q, %v; want %q", tc.data, got, l.errs, tc.err)
		}
	}
}
