package cli

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/ftgate/ftgate/internal/visible"
)

// progressDelay is how long a run goes before it shows what it is doing:
// a short run prints nothing but its report.
const progressDelay = 2 * time.Second

// progressWidth bounds the status line.
const progressWidth = 78

// progress shows what a long compare is doing (reading, pairing, the
// bootstrap's draws) on standard error's status line, when standard error
// is a terminal (visible.Options.Status). The line is redrawn a few times
// a second and erased by the next output.
type progress struct {
	w     *visible.Writer
	start time.Time
	delay time.Duration
	mu    sync.Mutex
	stage string
	stop  chan struct{}
	done  chan struct{}
}

// startProgress starts the status line on w; nil (which does nothing)
// when w shows none.
func startProgress(w *visible.Writer, show bool, delay time.Duration) *progress {
	if !show {
		return nil
	}
	p := &progress{w: w, start: time.Now(), delay: delay, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			p.w.Status("", progressWidth)
			return
		case <-tick.C:
			elapsed := time.Since(p.start)
			if elapsed < p.delay {
				continue
			}
			p.mu.Lock()
			stage := p.stage
			p.mu.Unlock()
			if stage != "" {
				p.w.Status(fmt.Sprintf("ftgate: %s (%.0f s)", stage, elapsed.Seconds()), progressWidth)
			}
		}
	}
}

// set names what the run does now.
func (p *progress) set(format string, args ...any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.stage = fmt.Sprintf(format, args...)
	p.mu.Unlock()
}

// end erases the status line and stops redrawing it.
func (p *progress) end() {
	if p == nil {
		return
	}
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
}

// statusLine reports whether w shows a status line: a terminal that
// understands cursor movement.
func statusLine(env Env, w any) bool {
	f, ok := w.(*os.File)
	if !ok || env.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
