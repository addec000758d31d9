package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/stats"
)

// randomArms builds two arms of cases with up to maxSamples samples each,
// outcomes drawn from a few failure classes.
func randomArms(r *rand.Rand, cases, maxSamples int) (arm, arm) {
	classes := []string{"", "tone", "format", "wrong-policy"}
	side := func() arm {
		a := arm{samples: make([][]*scorecard.Sample, cases)}
		for i := range a.samples {
			for range 1 + r.IntN(maxSamples) {
				k := r.IntN(len(classes) + 1)
				s := &scorecard.Sample{Accepted: k == len(classes)}
				if !s.Accepted {
					s.FailureClass = classes[k]
				}
				a.samples[i] = append(a.samples[i], s)
			}
		}
		return a
	}
	return side(), side()
}

// The transitions counted per outcome equal their definition, the sum over
// every pair of a baseline and a candidate sample of 1/(|bs||cs|).
func TestTransitionsMatchTheirDefinition(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	base, cand := randomArms(r, 200, 7)
	_, got := failureTables(base, cand)
	want := map[[2]string]float64{}
	for i := range base.samples {
		bs, cs := base.samples[i], cand.samples[i]
		for _, sb := range bs {
			for _, sc := range cs {
				if from, to := outcomeOf(sb), outcomeOf(sc); from != Accepted || to != Accepted {
					want[[2]string{from, to}] += 1 / float64(len(bs)*len(cs))
				}
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d transitions, want %d", len(got), len(want))
	}
	for _, tr := range got {
		if w := want[[2]string{tr.From, tr.To}]; math.Abs(tr.Cases-w) > 1e-9 {
			t.Errorf("%s → %s: %v, want %v", tr.From, tr.To, tr.Cases, w)
		}
	}
}

// BenchmarkTransitionsOneCase: one case with n samples a side. The time
// grows linearly with n (compare n = 10 000 and 100 000 in one run: about
// 10×, where the pairwise count was 100×).
func BenchmarkTransitionsOneCase(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 4))
			base, cand := randomArms(r, 1, 1)
			for range n {
				base.samples[0] = append(base.samples[0], &scorecard.Sample{FailureClass: "tone"})
				cand.samples[0] = append(cand.samples[0], &scorecard.Sample{Accepted: r.IntN(2) == 0})
			}
			for b.Loop() {
				failureTables(base, cand)
			}
		})
	}
}

// Above bootstrapMaxClusters the latency p95 intervals are Woodruff's
// (the run's one large-G rule) and the bootstrap's below; the point
// estimate is the same type-7 quantile either way.
func TestLatencyBootstrapClusterCap(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 200 001 cases")
	}
	t.Parallel()
	small := func(n int) (arm, []int) {
		a := arm{samples: make([][]*scorecard.Sample, n)}
		cluster := make([]int, n)
		for i := range n {
			ms := float64(100 + (i*7919)%1000)
			a.samples[i] = []*scorecard.Sample{{LatencyMS: &ms}}
			cluster[i] = i
		}
		return a, cluster
	}
	p95 := func(x []float64) float64 { return stats.Quantile7(sortedCopy(x), 0.95) }
	pol := DefaultPolicy()
	pol.Statistics.Resamples = 1000
	for _, n := range []int{500, bootstrapMaxClusters + 1} {
		a, cluster := small(n)
		d := &Decision{}
		l := latencySummary(d, a, a, cluster, pol)
		method := map[int]string{500: IntervalBootstrap, bootstrapMaxClusters + 1: IntervalWoodruff}[n]
		if want := p95(latencySamples(a, cluster).X); l.CandidateP95 != want || l.BaselineP95 != want || !(l.CandidateP95Low <= want && want <= l.CandidateP95High) ||
			l.IntervalMethod != method || len(d.Warnings) != 0 {
			t.Errorf("%d clusters: p95 %v (want %v), interval [%v, %v] by %s (want %s), warnings %q", n, l.CandidateP95, want, l.CandidateP95Low, l.CandidateP95High, l.IntervalMethod, method, d.Warnings)
		}
	}
}
