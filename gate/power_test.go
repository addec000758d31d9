package gate_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// scorecardOf builds a single-sample, unclustered scorecard whose case i
// is accepted when acc(i) is true.
func scorecardOf(t *testing.T, name string, n int, acc func(i int) bool) *scorecard.Scorecard {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"id\":\"c%03d\",\"accepted\":%v,\"cost_usd\":0.01}\n", i, acc(i))
	}
	sc, err := scorecard.Read(name, []byte(b.String()), scorecard.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func ptr[T any](v T) *T { return &v }

// Connor's (1987) formula by hand, z_{0.95} = 1.6448536269514722 and
// z_{0.90} = 1.2815515655446004:
//
//	baseline only, p_B = 0.8, effect 0.1 → p_C = 0.9,
//	ψ = 0.8·0.1 + 0.9·0.2 = 0.26,
//	n = [1.64485·√0.26 + 1.28155·√(0.26 − 0.01)]² / 0.01 = 218.889 → 219.
//
//	paired, b = 15, c = 5 of n = 100, effect 0.05: ψ = 0.2,
//	n = [1.64485·√0.2 + 1.28155·√(0.2 − 0.0025)]² / 0.0025 = 681.351 → 682.
func TestPowerMatchesConnorByHand(t *testing.T) {
	t.Parallel()
	pol := gate.DefaultPolicy()
	pol.Power.Effect = ptr(0.1)
	base := scorecardOf(t, "b.jsonl", 100, func(i int) bool { return i < 80 })
	plan, err := gate.PlanPowerFromBaseline(base, pol)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(plan.CasesNeeded-218.88902365375455) > 1e-9 || plan.MoreCasesNeeded != 119 || plan.Method != "mcnemar-exact" {
		t.Errorf("baseline-only plan: needed %v (want 218.889), more %d (want 119), method %s", plan.CasesNeeded, plan.MoreCasesNeeded, plan.Method)
	}

	pol.Power.Effect = ptr(0.05)
	// Cases 0-14 candidate only, 15-19 baseline only, 20-79 both, 80-99 neither.
	b := scorecardOf(t, "b.jsonl", 100, func(i int) bool { return i >= 15 && i < 80 })
	c := scorecardOf(t, "c.jsonl", 100, func(i int) bool { return i < 15 || (i >= 20 && i < 80) })
	p, err := scorecard.Pair([]*scorecard.Scorecard{b, c}, scorecard.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = gate.PlanPower(gate.Input{Paired: p, Baselines: []int{0}, Candidate: 1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(plan.Psi-0.2) > 1e-15 || math.Abs(plan.CasesNeeded-681.3508200120846) > 1e-9 || plan.MoreCasesNeeded != 582 {
		t.Errorf("paired plan: ψ %v, needed %v (want 681.351), more %d (want 582)", plan.Psi, plan.CasesNeeded, plan.MoreCasesNeeded)
	}
	// 100 cases cannot detect 0.05 (682 could), so the MDE is above it.
	if plan.MDE <= 0.05 {
		t.Errorf("MDE at n = 100 is %v, want above 0.05", plan.MDE)
	}
}
