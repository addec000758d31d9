package stats

import (
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// blockSize is the number of bootstrap draws that share one random stream.
// Draw k of a bootstrap always comes from block k/blockSize and the stream
// derived from (seed, block), so results do not depend on how many
// goroutines run the blocks or in which order they finish.
const blockSize = 1000

// randSource is the generator of one block of draws.
type randSource = rand.PCG

// mix64 is the SplitMix64 finalizer (Steele, Lea & Flood 2014), used to
// derive well-separated PCG seeds from (seed, block).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// blockSource returns the PCG-DXSM stream of block b for seed.
func blockSource(seed uint64, b int) *randSource {
	x := seed + 0x9e3779b97f4a7c15*uint64(2*b+1)
	return rand.NewPCG(mix64(x), mix64(x^0xd1b54a32d192ed03))
}

// intN returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method (the one math/rand/v2 uses), called on the
// concrete PCG so that it inlines.
func intN(src *randSource, n uint64) int {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return int(hi)
}

// forBlocks runs fn over the draws [0, B) split into blocks of blockSize,
// each with its own stream, on up to GOMAXPROCS goroutines. fn is called
// once per block with the draw range [lo, hi) and must write only to
// per-draw slots of that range.
func forBlocks(B int, seed uint64, fn func(src *randSource, lo, hi int)) {
	forBlocksUntil(nil, B, seed, fn)
}

// forBlocksUntil is forBlocks that starts no block once done is closed,
// leaving the remaining draws unset (the caller then discards them).
func forBlocksUntil(done <-chan struct{}, B int, seed uint64, fn func(src *randSource, lo, hi int)) {
	nb := (B + blockSize - 1) / blockSize
	workers := min(runtime.GOMAXPROCS(0), nb)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A panic in a worker would end the process before the
				// caller could report it; carry it back instead.
				if r := recover(); r != nil {
					once.Do(func() { crash = r })
					next.Store(int64(nb))
				}
			}()
			for {
				select {
				case <-done:
					return
				default:
				}
				b := int(next.Add(1) - 1)
				if b >= nb {
					return
				}
				lo := b * blockSize
				fn(blockSource(seed, b), lo, min(lo+blockSize, B))
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
}

// compactClusters maps the non-negative cluster indices used in the given
// index slices to 0..G−1 in ascending order of the original index, and
// returns the mapped slices and G. It panics on a negative index.
func compactClusters(lists ...[]int) (mapped [][]int, G int) {
	maxc := -1
	for _, l := range lists {
		for _, c := range l {
			if c < 0 {
				panic("stats: negative cluster index")
			}
			maxc = max(maxc, c)
		}
	}
	id := make([]int, maxc+1)
	for i := range id {
		id[i] = -1
	}
	for _, l := range lists {
		for _, c := range l {
			id[c] = 0
		}
	}
	for c := range id {
		if id[c] == 0 {
			id[c] = G
			G++
		}
	}
	mapped = make([][]int, len(lists))
	for k, l := range lists {
		m := make([]int, len(l))
		for i, c := range l {
			m[i] = id[c]
		}
		mapped[k] = m
	}
	return mapped, G
}
