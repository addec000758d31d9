package scorecard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// randomArms returns arm scorecards over a small pool of ids, so that
// cases are shared, missing, repeated with several samples, in any input
// order, with now and then a workflow or cluster that disagrees.
func randomArms(rng *rand.Rand) []*Scorecard {
	arms := make([]*Scorecard, 2+rng.IntN(2))
	pool := 1 + rng.IntN(30)
	for a := range arms {
		sc := &Scorecard{Source: fmt.Sprintf("arm%d.jsonl", a)}
		for id := 0; id < pool; id++ {
			if rng.IntN(8) == 0 {
				continue // missing from this arm
			}
			samples := 1 + rng.IntN(3)
			for k := 0; k < samples; k++ {
				s := Sample{ID: fmt.Sprintf("c%02d", id), Sample: k, Accepted: rng.IntN(2) == 0,
					Workflow: fmt.Sprintf("w%d", id%3), Line: len(sc.Samples) + 1}
				if id%4 == 0 {
					s.Cluster = fmt.Sprintf("k%d", id%5)
				}
				if a > 0 || rng.IntN(3) > 0 {
					x := rng.Float64()
					s.CostUSD = &x
				}
				sc.Samples = append(sc.Samples, s)
			}
		}
		if len(sc.Samples) > 0 && rng.IntN(6) == 0 {
			s := &sc.Samples[rng.IntN(len(sc.Samples))]
			if rng.IntN(2) == 0 {
				s.Workflow = "other"
			} else {
				s.Cluster = "stray"
			}
		}
		rng.Shuffle(len(sc.Samples), func(i, j int) { sc.Samples[i], sc.Samples[j] = sc.Samples[j], sc.Samples[i] })
		if rng.IntN(2) == 0 {
			for i := range sc.Samples {
				sc.Samples[i].Line = i + 1
			}
		}
		arms[a] = sc
	}
	return arms
}

// TestPairMatchesReference checks Pair against the map-based reference on
// random scorecards with every option: the same cases, clusters, counts,
// warnings and errors.
func TestPairMatchesReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	opts := cmp.Options{cmpopts.EquateNaNs(), cmpopts.IgnoreFields(Paired{}, "Arms")}
	outcomes := map[string]int{}
	for rep := 0; rep < 2000; rep++ {
		arms := randomArms(rng)
		o := PairOptions{AllowUnmatched: rng.IntN(3) > 0, CountMissing: rng.IntN(2) == 0, Candidate: rng.IntN(len(arms))}
		want, wantErr := pairReference(arms, o)
		got, gotErr := Pair(arms, o)
		if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
			t.Fatalf("rep %d: error %v, reference %v", rep, gotErr, wantErr)
		}
		if wantErr != nil {
			outcomes["error"]++
			continue
		}
		outcomes[fmt.Sprintf("counted %v", want.CountedMissing > 0)]++
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Fatalf("rep %d: Pair differs from the reference (-reference +Pair):\n%s", rep, diff)
		}
	}
	t.Logf("outcomes: %v", outcomes)
	for _, k := range []string{"error", "counted true", "counted false"} {
		if outcomes[k] < 100 {
			t.Errorf("only %d outcomes %q: the generator does not exercise them", outcomes[k], k)
		}
	}
}

// A cancelled context stops a pairing with its error.
func TestPairStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	var a, b Scorecard
	for i := range 3 * pairCheckEvery {
		a.Samples = append(a.Samples, Sample{ID: fmt.Sprintf("c%06d", i), Accepted: true})
		b.Samples = append(b.Samples, Sample{ID: fmt.Sprintf("c%06d", i)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Pair([]*Scorecard{&a, &b}, PairOptions{Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Errorf("Pair = %v, want context.Canceled", err)
	}
	if _, err := Pair([]*Scorecard{&a, &b}, PairOptions{}); err != nil {
		t.Errorf("Pair without a context: %v", err)
	}
}
