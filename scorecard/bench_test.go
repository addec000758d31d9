package scorecard

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/ftgate/ftgate/internal/benchdata"
)

// benchFiles returns the benchmark shape's two scorecards of n paired
// cases (docs/performance.md).
func benchFiles(b *testing.B, n int) (base, cand []byte) {
	var bb, cb bytes.Buffer
	if err := benchdata.Write(&bb, &cb, benchdata.Shape{Cases: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return bb.Bytes(), cb.Bytes()
}

// BenchmarkReadPair reads both scorecards of the benchmark shape and
// pairs them, as compare does before deciding.
func BenchmarkReadPair(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		base, cand := benchFiles(b, n)
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(base) + len(cand)))
			for b.Loop() {
				sb, err := Read("baseline.jsonl", base, ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				sc, err := Read("candidate.jsonl", cand, ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Pair([]*Scorecard{sb, sc}, PairOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
