package stats

import "testing"

// A panic inside a bootstrap worker reaches the caller's goroutine, where
// the command line turns it into an internal error instead of the process
// dying with the runtime's exit status.
func TestForBlocksCarriesPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
	}()
	forBlocks(5*blockSize, 1, func(_ *randSource, lo, _ int) {
		if lo == 2*blockSize {
			panic("boom")
		}
	})
	t.Error("forBlocks returned normally")
}
