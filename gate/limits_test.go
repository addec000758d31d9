package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

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
// every pair of a baseline and a candidate sample of 1/(|bs||cs|), with
// the classes beyond the most frequent counted under OtherClasses; the
// totals by kind are counted from the classes themselves.
func TestTransitionsMatchTheirDefinition(t *testing.T) {
	t.Parallel()
	for _, classes := range []int{4, 40} {
		t.Run(fmt.Sprint(classes, " classes"), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(classes)))
			base, cand := randomArms(r, 200, 7)
			for _, a := range []arm{base, cand} {
				for _, ss := range a.samples {
					for _, s := range ss {
						if !s.Accepted && r.IntN(4) > 0 {
							s.FailureClass = fmt.Sprint("c", r.IntN(classes))
						}
					}
				}
			}
			fc, got, totals := failureTables(base, cand)
			outcomes := TransitionOutcomes(fc)
			if n := len(outcomes); n > TransitionClasses+3 {
				t.Fatalf("%d outcomes: %q", n, outcomes)
			}
			kept := map[string]bool{}
			for _, o := range outcomes {
				kept[o] = true
			}
			label := func(s *scorecard.Sample) string {
				if o := outcomeOf(s); kept[o] {
					return o
				}
				return OtherClasses
			}
			want := map[[2]string]float64{}
			var wantTotals TransitionTotals
			for i := range base.samples {
				bs, cs := base.samples[i], cand.samples[i]
				for _, sb := range bs {
					for _, sc := range cs {
						w := 1 / float64(len(bs)*len(cs))
						if from, to := label(sb), label(sc); from != Accepted || to != Accepted {
							want[[2]string{from, to}] += w
						}
						switch from, to := outcomeOf(sb), outcomeOf(sc); {
						case from == Accepted && to == Accepted:
						case to == Accepted:
							wantTotals.Fixed += w
						case from == Accepted:
							wantTotals.Broke += w
						case from == to:
							wantTotals.Same += w
						default:
							wantTotals.Changed += w
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
			if diff := cmp.Diff(wantTotals, totals, approx); diff != "" {
				t.Errorf("totals (-want +got):\n%s", diff)
			}
			if classes > TransitionClasses && !kept[OtherClasses] {
				t.Errorf("%d classes and no %s: %q", classes, OtherClasses, outcomes)
			}
		})
	}
}

// The transition table keeps the most frequent classes, ties by name,
// unlabelled failures apart, and a class spelled like an outcome of the
// table's own under OtherClasses.
func TestTransitionOutcomes(t *testing.T) {
	t.Parallel()
	fc := []FailureClassCount{{"b", 5, 5}, {Accepted, 9, 9}}
	for i := range TransitionClasses {
		fc = append(fc, FailureClassCount{fmt.Sprintf("k%02d", i), 1, 0})
	}
	fc = append(fc, FailureClassCount{Unlabelled, 1, 1})
	want := []string{Accepted, "b"}
	for i := range TransitionClasses - 1 {
		want = append(want, fmt.Sprintf("k%02d", i))
	}
	want = append(want, Unlabelled, OtherClasses)
	if diff := cmp.Diff(want, TransitionOutcomes(fc)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{Accepted, "b"}, TransitionOutcomes(fc[:1])); diff != "" {
		t.Errorf("one class (-want +got):\n%s", diff)
	}
}

// One case of 20 000 samples a side, each failing in a class of its own:
// the transitions stay within the table's outcomes (the pairs of classes
// would be 4·10^8).
func TestTransitionsManyClassesOneCase(t *testing.T) {
	t.Parallel()
	var base, cand arm
	base.samples, cand.samples = make([][]*scorecard.Sample, 1), make([][]*scorecard.Sample, 1)
	for i := range 20_000 {
		base.samples[0] = append(base.samples[0], &scorecard.Sample{FailureClass: fmt.Sprint("b", i)})
		cand.samples[0] = append(cand.samples[0], &scorecard.Sample{FailureClass: fmt.Sprint("c", i), Accepted: i%2 == 0})
	}
	fc, tr, totals := failureTables(base, cand)
	if len(fc) != 30_000 || len(tr) > (TransitionClasses+1)*(TransitionClasses+1) {
		t.Fatalf("%d classes, %d transitions", len(fc), len(tr))
	}
	want := TransitionTotals{Fixed: 0.5, Changed: 0.5}
	if diff := cmp.Diff(want, totals, approx); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
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
