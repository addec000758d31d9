package stats_test

import (
	"fmt"

	"github.com/ftgate/ftgate/stats"
)

func ExampleMcNemarUpper() {
	// 8 cases only the candidate got right, 2 only the baseline did.
	fmt.Printf("%.7f\n", stats.McNemarUpper(8, 2))
	// Output: 0.0546875
}

func ExampleClusterT() {
	// Per-case differences in acceptance (candidate − baseline), three clusters.
	d := []float64{1, 0, 1, 1}
	cluster := []int{0, 0, 1, 2}
	r := stats.ClusterT(d, cluster, 0, 0.90)
	fmt.Printf("Δ=%.2f SE=%.4f t=%.1f df=%d p=%.4f\n", r.Delta, r.SE, r.T, r.DF, r.PUpper)
	// Output: Δ=0.75 SE=0.1875 t=4.0 df=2 p=0.0286
}

func ExampleBootstrapRatio() {
	d := stats.RatioData{
		CostB:   []float64{2.0, 1.5, 2.2, 1.8, 2.5, 1.9, 2.1, 2.4},
		AccB:    []float64{1, 1, 0, 1, 1, 0, 1, 1},
		CostC:   []float64{1.2, 1.1, 1.4, 1.0, 1.3, 1.2, 0.9, 1.1},
		AccC:    []float64{1, 1, 1, 1, 1, 0, 1, 1},
		Cluster: []int{0, 1, 2, 3, 4, 5, 6, 7},
	}
	r := stats.BootstrapRatio(d, stats.DefaultBootstrapOptions())
	fmt.Printf("ratio %.3f, 90%% BCa [%.3f, %.3f], p %.4f\n", r.Ratio, r.Lo, r.Hi, r.P)
	// ρ̂ = (9.2/7)/(16.4/6) = 0.481.
	// Output: ratio 0.481, 90% BCa [0.312, 0.569], p 0.0000
}
