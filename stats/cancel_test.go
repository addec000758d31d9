package stats

import (
	"context"
	"sync/atomic"
	"testing"
)

// A done context stops the bootstrap before it draws another block.
func TestBootstrapStopsWhenDone(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	close(done)
	var blocks atomic.Int64
	forBlocksUntil(done, 50*blockSize, 1, func(*randSource, int, int) { blocks.Add(1) })
	if n := blocks.Load(); n != 0 {
		t.Errorf("%d blocks drawn after done", n)
	}
	forBlocksUntil(nil, 50*blockSize, 1, func(*randSource, int, int) { blocks.Add(1) })
	if n := blocks.Load(); n != 50 {
		t.Errorf("%d blocks drawn without done, want 50", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := (BootstrapOptions{Context: ctx}).done(); got == nil {
		t.Error("a cancelled context gives no done channel")
	}
}
