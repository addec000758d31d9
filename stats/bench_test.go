package stats

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkBootstrapRatio(b *testing.B) {
	for _, G := range []int{1000, 10000} {
		d := randomRatioData(rand.New(rand.NewPCG(1, uint64(G))), G, 0.9)
		b.Run(fmt.Sprintf("G=%d/B=10000", G), func(b *testing.B) {
			o := DefaultBootstrapOptions()
			for b.Loop() {
				BootstrapRatio(d, o)
			}
		})
	}
}

func BenchmarkDeltaRatio(b *testing.B) {
	d := randomRatioData(rand.New(rand.NewPCG(1, 2)), 200000, 0.9)
	for b.Loop() {
		DeltaRatio(d, 1, 0.9)
	}
}

func BenchmarkBootstrapQuantiles(b *testing.B) {
	for _, G := range []int{1000, 10000} {
		rng := rand.New(rand.NewPCG(3, uint64(G)))
		var sb, sc Samples
		for g := 0; g < G; g++ {
			for k := 0; k < 3; k++ {
				sb.X = append(sb.X, 500+100*rng.ExpFloat64())
				sb.Cluster = append(sb.Cluster, g)
				sc.X = append(sc.X, 450+120*rng.ExpFloat64())
				sc.Cluster = append(sc.Cluster, g)
			}
		}
		b.Run(fmt.Sprintf("G=%d/p95/B=10000", G), func(b *testing.B) {
			o := DefaultBootstrapOptions()
			for b.Loop() {
				BootstrapQuantiles(sb, sc, 0.95, o)
			}
		})
	}
}
