package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftgate/ftgate/internal/visible"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader on two
// goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestProgress: past the delay, the current stage is drawn on the status
// line and erased at the end; a stream that is not a terminal gets
// nothing.
func TestProgress(t *testing.T) {
	t.Parallel()
	var buf lockedBuffer
	p := startProgress(visible.NewWriter(&buf, visible.Options{Status: true}), true, 0)
	p.set("bootstrap: %d draws", 4000)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(buf.String(), "draws") && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	p.end()
	p.end() // twice is harmless
	got := buf.String()
	if !strings.HasPrefix(got, "\r\x1b[Kftgate: bootstrap: 4000 draws (") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("status line %q", got)
	}

	var none lockedBuffer
	q := startProgress(visible.NewWriter(&none, visible.Options{}), statusLine(Env{Getenv: func(string) string { return "" }}, &none), 0)
	q.set("reading")
	time.Sleep(300 * time.Millisecond)
	q.end()
	if s := none.String(); s != "" {
		t.Errorf("not a terminal, but %q was written", s)
	}
}
