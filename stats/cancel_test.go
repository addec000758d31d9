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

// A done context stops the wild cluster bootstrap before its first block:
// no draw reaches the observed t, so its upper p-value is 1/(1 + B),
// where the full run gives a p-value far from it.
func TestWildClusterTStopsWhenDone(t *testing.T) {
	t.Parallel()
	d, cl := make([]float64, 60), make([]int, 60)
	for i := range d {
		d[i], cl[i] = float64(i%7)/10-0.28, i/3
	}
	o := BootstrapOptions{Resamples: 4000, Seed: 1}
	if full := WildClusterT(d, cl, 0, o); !(full.PUpper > 0.1 && full.PUpper < 0.9) {
		t.Fatalf("the data's p-value %v is not moderate", full.PUpper)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o.Context = ctx
	if got := WildClusterT(d, cl, 0, o); got.PUpper != 1/4001.0 {
		t.Errorf("after cancel: upper p-value %v, want 1/4001 (no draw made)", got.PUpper)
	}
}
