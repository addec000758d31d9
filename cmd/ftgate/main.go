// Command ftgate is a release gate for fine-tuned models: it passes a
// candidate only when it beats the baseline on quality and on cost per
// accepted outcome, with evidence. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/ftgate/ftgate/internal/cli"
)

// gcPercent is the garbage collector's target unless GOGC is set: a
// large run holds its scorecards while the statistics make short-lived
// copies, and collecting at half the live heap rather than all of it
// keeps a million-case run under a gigabyte for a few percent more CPU
// (docs/performance.md).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
