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

// BenchmarkResampler measures one shared set of draws for what a gate
// resamples on one baseline: the cost ratio, both arms' cost per accepted
// outcome and both arms' latency p95, one case per cluster. ns/op divided
// by B·G is the cost of one cluster in one draw.
func BenchmarkResampler(b *testing.B) {
	for _, G := range []int{10_000, 100_000} {
		rng := rand.New(rand.NewPCG(4, uint64(G)))
		d := randomRatioData(rng, G, 0.9)
		lat := func() Samples {
			s := Samples{X: make([]float64, len(d.Cluster)), Cluster: d.Cluster}
			for i := range s.X {
				s.X[i] = 500 + 100*rng.ExpFloat64()
			}
			return s
		}
		sb, sc := lat(), lat()
		ones := make([]float64, len(d.Cluster))
		for i := range ones {
			ones[i] = 1
		}
		const B = 2000
		b.Run(fmt.Sprintf("G=%d/B=%d", G, B), func(b *testing.B) {
			for b.Loop() {
				rs := NewResampler(G)
				cost := rs.Ratio(d)
				tb := rs.Ratio(RatioData{CostB: ones, AccB: ones, CostC: d.CostB, AccC: d.AccB, Cluster: d.Cluster})
				tc := rs.Ratio(RatioData{CostB: ones, AccB: ones, CostC: d.CostC, AccC: d.AccC, Cluster: d.Cluster})
				qb, qc := rs.Quantile(sb, 0.95), rs.Quantile(sc, 0.95)
				if err := rs.Run(ResampleOptions{Seed: 1, Resamples: B}); err != nil {
					b.Fatal(err)
				}
				cost.Result(0.9, 1)
				tb.Result(0.9, 1)
				tc.Result(0.9, 1)
				rs.Quantiles(qb, qc, 0.9)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(B)/float64(G), "ns/cluster-draw")
		})
	}
}
