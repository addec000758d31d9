package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSmallSampleOptions is the simulation behind the choice of the
// clustered quality test (docs/methods.md §2 and §11.5). It is long, so it
// runs only with FTGATE_CALIBRATION=long, and writes
// testdata/oracle/cluster_options.md:
//
//	FTGATE_CALIBRATION=long go test ./stats -run SmallSampleOptions -timeout 120m -v
//
// Each design draws G clusters of given sizes, K samples per case and arm;
// a cluster is easy (baseline acceptance 0.75) or hard (0.35) with
// probability ½ and the candidate's is the baseline's plus the gain, minus
// (easy) or plus (hard) the spread, so the gain varies by cluster when the
// spread is not 0. Null rows put the mean gain at the margin 0.02; power
// rows 0.15 above it. Every option is run on the same data sets: the t
// test with the CR1 standard error and G − 1 df, CR2 with Satterthwaite
// df, the restricted wild cluster bootstrap with Rademacher and with Webb
// weights (B = 999), and the gate's rule, the larger of the CR2 and Webb
// p-values. 10 000 data sets per row: Monte Carlo SE 0.0022 at 0.05.
func TestSmallSampleOptions(t *testing.T) {
	if os.Getenv("FTGATE_CALIBRATION") != "long" {
		t.Skip("set FTGATE_CALIBRATION=long to run the option study (about 20 min on 2 cores)")
	}
	const m, reps, B = 0.02, 10000, 999
	big := func(G, first, rest int) []int {
		s := []int{first}
		for i := 1; i < G; i++ {
			s = append(s, rest)
		}
		return s
	}
	eq := func(G, k int) []int { return big(G, k, k) }
	designs := []optDesign{
		{"30 clusters, one holds half, same gain", big(30, 58, 2), 2, 0},
		{"30 clusters, one holds half, gain ± 0.11", big(30, 58, 2), 2, 0.11},
		{"100 clusters, one holds 30%, gain ± 0.11", big(100, 86, 2), 2, 0.11},
		{"6 equal clusters of 4, gain ± 0.11", eq(6, 4), 2, 0.11},
		{"10 equal clusters of 3, gain ± 0.11", eq(10, 3), 2, 0.11},
		{"12 equal clusters of 3, gain ± 0.11", eq(12, 3), 2, 0.11},
		{"16 equal clusters of 2, same gain, K = 1", eq(16, 2), 1, 0},
		{"20 equal clusters of 5, same gain, K = 1", eq(20, 5), 1, 0},
		{"60 equal clusters of 3, gain ± 0.11", eq(60, 3), 2, 0.11},
	}
	type row struct {
		name  string
		gain  float64
		rates [5]float64
		df    float64
	}
	rows := make([]row, 2*len(designs))
	start := time.Now()
	var wg sync.WaitGroup
	for i, ds := range designs {
		for j, gain := range []float64{m, m + 0.15} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i)+1, uint64(j)+0x5eed))
				var hits [5]int
				var dfs float64
				for k := 0; k < reps; k++ {
					d, cl := ds.draw(rng, gain)
					o := BootstrapOptions{Resamples: B, Seed: rng.Uint64(), Level: 0.9}
					cr := ClusterCR2(d, cl, m, 0.9)
					if cr.SE == 0 || cr.G < 2 {
						continue
					}
					dfs += cr.DF
					pw := WildClusterT(d, cl, m, o).PUpper
					ps := [5]float64{ClusterT(d, cl, m, 0.9).PUpper, cr.PUpper, rademacherWild(rng, d, cl, m, B), pw, math.Max(cr.PUpper, pw)}
					for x, p := range ps {
						if p <= 0.05 {
							hits[x]++
						}
					}
				}
				r := row{name: ds.name, gain: gain, df: dfs / reps}
				for x := range hits {
					r.rates[x] = float64(hits[x]) / reps
				}
				rows[2*i+j] = r
			}()
		}
	}
	wg.Wait()
	var b strings.Builder
	b.WriteString("| design | true gain | CR1, t(G − 1) | CR2, Satterthwaite (mean df) | wild, Rademacher | wild, Webb | CR2 ∧ wild Webb (gate) |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		what := "null, Δ = m"
		if r.gain != m {
			what = "power, Δ = m + 0.15"
		}
		fmt.Fprintf(&b, "| %s | %s | %.4f | %.4f (%.1f) | %.4f | %.4f | %.4f |\n", r.name, what, r.rates[0], r.rates[1], r.df, r.rates[2], r.rates[3], r.rates[4])
	}
	t.Logf("%v\n%s", time.Since(start).Round(time.Second), b.String())
	doc := "# Small-sample options for the clustered quality test\n\n" +
		"Written by `FTGATE_CALIBRATION=long go test ./stats -run SmallSampleOptions -timeout 120m -v`\n" +
		"(stats/smallsample_options_test.go) on " + time.Now().UTC().Format("2006-01-02") +
		fmt.Sprintf(" in %v. Pass rates at α = 0.05 over %d data sets per row\n", time.Since(start).Round(time.Second), reps) +
		"(Monte Carlo SE 0.0022 at 0.05); margin m = 0.02; wild bootstraps with B = 999.\n\n" + b.String()
	if err := os.WriteFile("../testdata/oracle/cluster_options.md", []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

type optDesign struct {
	name   string
	sizes  []int
	K      int
	spread float64
}

func (q optDesign) draw(rng *rand.Rand, gain float64) (d []float64, cl []int) {
	for g, k := range q.sizes {
		pB, pC := 0.75, 0.75+gain-q.spread
		if rng.IntN(2) == 1 {
			pB, pC = 0.35, 0.35+gain+q.spread
		}
		for j := 0; j < k; j++ {
			var s float64
			for r := 0; r < q.K; r++ {
				s += b2f(rng.Float64() < pC) - b2f(rng.Float64() < pB)
			}
			d = append(d, s/float64(q.K))
			cl = append(cl, g)
		}
	}
	return d, cl
}

// rademacherWild is WildClusterT's test with Rademacher weights (±1), for
// the comparison only.
func rademacherWild(rng *rand.Rand, d []float64, cl []int, m float64, B int) float64 {
	n := float64(len(d))
	U, G := clusterTotals(len(d), cl, func(i int) float64 { return d[i] - m })
	size, _ := clusterTotals(len(d), cl, func(int) float64 { return 1 })
	g := float64(G)
	tstat := func(w []float64) float64 {
		var s float64
		for k := range U {
			s += w[k] * U[k]
		}
		mean := s / n
		var ss float64
		for k := range U {
			D := w[k]*U[k] - size[k]*mean
			ss += D * D
		}
		if ss == 0 {
			return math.Copysign(math.Inf(1), mean)
		}
		return mean / (math.Sqrt(g/(g-1)*ss) / n)
	}
	w := make([]float64, G)
	for k := range w {
		w[k] = 1
	}
	t0 := tstat(w)
	ge := 0
	for b := 0; b < B; b++ {
		for k := range w {
			w[k] = float64(2*rng.IntN(2) - 1)
		}
		if tstat(w) >= t0-1e-12*math.Max(1, math.Abs(t0)) {
			ge++
		}
	}
	return float64(1+ge) / float64(1+B)
}
