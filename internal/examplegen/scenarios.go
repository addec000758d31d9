package examplegen

import (
	"fmt"
	"slices"
)

// All returns the built-in scenarios whose folders hold one scorecard per
// system, in the order the examples list them.
func All() []Scenario {
	return []Scenario{Pass(), CostLoss(), Inconclusive(), SegmentRegression(), Routed(), Volume()}
}

// Batched returns the scenarios whose folders hold each system's
// scorecard split into eval runs (Scenario.Batches), gated with 'ftgate
// merge' in sequential mode.
func Batched() []Scenario {
	return []Scenario{Sequential()}
}

// Every returns All and Batched.
func Every() []Scenario {
	return append(All(), Batched()...)
}

// Named returns the built-in scenario called name.
func Named(name string) (Scenario, error) {
	var names []string
	for _, sc := range Every() {
		if sc.Name == name {
			return sc, nil
		}
		names = append(names, sc.Name)
	}
	return Scenario{}, fmt.Errorf("no scenario %q (have %q)", name, names)
}

// Workflow case counts, in the order refund-email, order-status, policy-qa,
// address-change; 0 leaves a workflow out.
type mix struct{ refund, order, policy, address int }

// supportWorkflows returns the customer-support workflows with realistic
// shapes: refund e-mail threads of 1–3 messages per ticket, order-status
// chats of 1–4 turns, mostly single policy questions, short address-change
// chats.
func supportWorkflows(m mix) []Workflow {
	all := []Workflow{
		{Name: "refund-email", IDPrefix: "refund", ClusterPrefix: "ticket", Cases: m.refund,
			MinCluster: 1, MaxCluster: 3, ClusterCoupling: 0.5, ContextTokens: 1400, OutputTokens: 220,
			Failures: []Weight{{"wrong-policy", 0.40}, {"missing-field", 0.25}, {"tone", 0.25}, {"hallucinated-order", 0.10}}},
		{Name: "order-status", IDPrefix: "order", ClusterPrefix: "chat", Cases: m.order,
			MinCluster: 1, MaxCluster: 4, ClusterCoupling: 0.6, ContextTokens: 900, OutputTokens: 110,
			Failures: []Weight{{"hallucinated-order", 0.45}, {"missing-field", 0.30}, {"wrong-policy", 0.15}, {"tone", 0.10}}},
		{Name: "policy-qa", IDPrefix: "policy", ClusterPrefix: "ticket", Cases: m.policy,
			MinCluster: 1, MaxCluster: 2, ClusterCoupling: 0.3, ContextTokens: 2200, OutputTokens: 180,
			Failures: []Weight{{"wrong-policy", 0.60}, {"missing-field", 0.20}, {"tone", 0.20}}},
		{Name: "address-change", IDPrefix: "address", ClusterPrefix: "chat", Cases: m.address,
			MinCluster: 1, MaxCluster: 2, ClusterCoupling: 0.5, ContextTokens: 600, OutputTokens: 140,
			Failures: []Weight{{"missing-field", 0.50}, {"wrong-policy", 0.20}, {"hallucinated-order", 0.20}, {"tone", 0.10}}},
	}
	return slices.DeleteFunc(all, func(w Workflow) bool { return w.Cases == 0 })
}

// Model names and list prices (USD per million tokens).
const (
	modelNano   = "gpt-4.1-nano"
	modelMini   = "gpt-4.1-mini"
	modelLarge  = "gpt-4.1"
	modelFTNano = "ft:gpt-4.1-nano-2025-04-14:acme:support-v3:C4x9Qm2L"
	modelFTMini = "ft:gpt-4.1-mini-2025-04-14:acme:support-v5:D81kZp0Q"
	modelLlama  = "acme/llama-3.3-70b-support-ft-v2"
)

var (
	priceNano   = Price{InputPerMTok: 0.10, OutputPerMTok: 0.40, CachedInputPerMTok: 0.025}
	priceMini   = Price{InputPerMTok: 0.40, OutputPerMTok: 1.60, CachedInputPerMTok: 0.10}
	priceLarge  = Price{InputPerMTok: 2.00, OutputPerMTok: 8.00, CachedInputPerMTok: 0.50}
	priceFTNano = Price{InputPerMTok: 0.20, OutputPerMTok: 0.80, CachedInputPerMTok: 0.05}
	priceFTMini = Price{InputPerMTok: 0.80, OutputPerMTok: 3.20, CachedInputPerMTok: 0.20}
	// A dedicated endpoint's marginal token price; its monthly fee is
	// spread over requests as System.PerRequestUSD.
	priceLlama = Price{InputPerMTok: 0.88, OutputPerMTok: 0.88}
)

// ragBaseline is the prompt+retrieval baseline: a long cached instruction
// and few-shot prefix plus retrieved context.
func ragBaseline(file, name, model string, price Price, acc map[string]float64) System {
	return System{
		File: file, Name: name, Role: "baseline", Model: model,
		RunID: "eval-2026-11-20", Commit: "4f1c2e0",
		Acceptance: acc, Coupling: 0.7,
		Price: price, PrefixTokens: 1536, CacheHitRate: 0.85,
		ContextScale: 1, OutputScale: 1, TokenSigma: 0.35,
		LatencyMS: 700, LatencySigma: 0.30, MSPerOutputToken: 7,
		SchemaValidRate: 0.975, ErrorRate: 0.003, UnlabelledRate: 0.03,
	}
}

// ftNano is the fine-tuned small model: short instructions, a third less
// retrieved context, replies slightly shorter.
func ftNano(acc map[string]float64) System {
	return System{
		File: "candidate.jsonl", Name: "support-ft-nano-v3", Role: "candidate", Model: modelFTNano,
		RunID: "eval-2026-11-21", Commit: "9b07d5a",
		Acceptance: acc, Coupling: 0.6,
		Price: priceFTNano, PrefixTokens: 256,
		ContextScale: 0.7, OutputScale: 0.9, TokenSigma: 0.30,
		LatencyMS: 450, LatencySigma: 0.25, MSPerOutputToken: 5,
		SchemaValidRate: 0.998, FailureBias: map[string]float64{"tone": 0.5},
	}
}

// acceptance maps the workflows to acceptance probabilities; address-change
// only when given.
func acceptance(refund, order, policy float64, address ...float64) map[string]float64 {
	m := map[string]float64{"refund-email": refund, "order-status": order, "policy-qa": policy}
	for _, a := range address {
		m["address-change"] = a
	}
	return m
}

// Pass: the fine-tune wins on quality and is far cheaper per accepted
// outcome.
func Pass() Scenario {
	sc := Scenario{
		Name:    "pass",
		Title:   "the fine-tune wins on quality and on cost per accepted outcome",
		Dataset: "support-evals@v12",
		Seed:    20261101,
		About: `A prompt+retrieval support assistant on ` + "`gpt-4.1-mini`" + ` (long cached instructions, few-shot examples
and retrieved policy excerpts) against a fine-tuned ` + "`gpt-4.1-nano`" + ` that needs a short prompt and less
context. The fine-tune accepts about nine points more cases (about 0.79 → 0.88), more in every workflow,
and costs about a third as much per accepted outcome. With ~600 cases grouped in tickets and chats,
both one-sided tests reject by a wide margin, no workflow regresses and the candidate meets the
latency and format service levels.`,
		Workflows: supportWorkflows(mix{refund: 240, order: 220, policy: 140}),
		Systems: []System{
			ragBaseline("baseline.jsonl", "support-rag-v7", modelMini, priceMini, acceptance(0.76, 0.84, 0.72)),
			ftNano(acceptance(0.87, 0.92, 0.84)),
		},
		Expect: Expectation{Verdict: "PASS", ExitCode: 0,
			Why: "Quality and cost per accepted outcome both improve with p far below 0.05, and no segment regresses."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "The candidate must beat the baseline on quality and on cost per accepted outcome.",
		mix:   []Weight{{"refund-email", 0.40}, {"order-status", 0.40}, {"policy-qa", 0.20}},
	})
	return sc
}

// CostLoss: the fine-tune wins on quality but its dedicated hosting makes
// every accepted outcome about twice as expensive.
func CostLoss() Scenario {
	cand := System{
		File: "candidate.jsonl", Name: "support-llama70b-ft-v2", Role: "candidate", Model: modelLlama,
		RunID: "eval-2026-11-21", Commit: "c3d9e71",
		Acceptance: acceptance(0.88, 0.93, 0.84), Coupling: 0.6,
		Price: priceLlama, PerRequestUSD: 0.0006, PrefixTokens: 512,
		ContextScale: 1, OutputScale: 1.05, TokenSigma: 0.30,
		LatencyMS: 500, LatencySigma: 0.25, MSPerOutputToken: 5,
		SchemaValidRate: 0.995,
	}
	sc := Scenario{
		Name:    "cost-loss",
		Title:   "better answers, but each accepted outcome costs about twice as much",
		Dataset: "support-evals@v12",
		Seed:    20261102,
		About: `The same ` + "`gpt-4.1-mini`" + ` prompt+retrieval baseline as in ` + "`pass`" + `, against a fine-tuned
Llama 3.3 70B served from a dedicated GPU endpoint. The fine-tune is clearly better (about 0.77 → 0.88
acceptance), but it still needs the retrieved context, a 70B model costs more per token than
` + "`gpt-4.1-mini`" + `, and the endpoint's monthly fee, spread over the expected traffic, adds $0.0006 to every
request (it is in each case's ` + "`cost_usd`" + `). Per accepted outcome the candidate costs about twice the
baseline: the whole cost-ratio interval lies above 1, so cost is *missed*, not just unproven. A quality
win does not buy a release that makes every resolved ticket more expensive.`,
		Workflows: supportWorkflows(mix{refund: 240, order: 220, policy: 140}),
		Systems: []System{
			ragBaseline("baseline.jsonl", "support-rag-v7", modelMini, priceMini, acceptance(0.76, 0.84, 0.72)),
			cand,
		},
		Expect: Expectation{Verdict: "FAIL", ExitCode: 1,
			Why: "Quality is met, but cost is missed: the interval of the cost ratio (candidate CPA / baseline CPA) lies entirely above 1."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "The candidate must beat the baseline on quality and on cost per accepted outcome.\n" +
			"Its cost_usd includes the dedicated endpoint's fee per request, which no token price shows.",
		mix: []Weight{{"refund-email", 0.40}, {"order-status", 0.40}, {"policy-qa", 0.20}},
	})
	return sc
}

// Inconclusive: the pass scenario's flavour with only 40 cases and a
// small quality gain.
func Inconclusive() Scenario {
	base := ragBaseline("baseline.jsonl", "support-rag-v7", modelMini, priceMini, acceptance(0.78, 0.84, 0.72))
	base.Coupling = 0.8
	base.ErrorRate = 0
	cand := ftNano(acceptance(0.82, 0.88, 0.78))
	cand.Coupling = 0.8
	cand.SchemaValidRate = 1 // 39 valid of 40 would already break format's 0.98
	sc := Scenario{
		Name:    "inconclusive",
		Title:   "a small gain on 40 cases: not enough evidence either way",
		Dataset: "support-evals-smoke@v12",
		Seed:    20261103,
		About: `The ` + "`pass`" + ` systems on a 40-case smoke set, with a fine-tune that is only a few points better.
The candidate is much cheaper per accepted outcome, and that part is settled, but a gain of a few
points on 40 cases is within noise: the quality test cannot reject "no gain", and its interval still
reaches well above 0, so quality is neither met nor missed. The verdict is INCONCLUSIVE, which this
policy (` + "`inconclusive: fail`" + `) treats as not ready; the report says how many cases would settle it.
No workflow reaches the 30 cases a segment test needs, so segments are listed as not tested.`,
		Workflows: supportWorkflows(mix{refund: 16, order: 14, policy: 10}),
		Systems:   []System{base, cand},
		Expect: Expectation{Verdict: "INCONCLUSIVE", ExitCode: 1,
			Why: "Cost is met, but the quality gain is not significant (p well above 0.05) and not ruled out either; `inconclusive: fail` blocks the release."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "A 40-case smoke set: the gate must not pass a release on evidence this thin.",
		mix:   []Weight{{"refund-email", 0.40}, {"order-status", 0.35}, {"policy-qa", 0.25}},
	})
	return sc
}

// SegmentRegression: the total improves, but policy-qa regresses.
func SegmentRegression() Scenario {
	cand := ftNano(acceptance(0.92, 0.94, 0.56, 0.88))
	cand.FailureBias = map[string]float64{"tone": 0.5, "wrong-policy": 3}
	sc := Scenario{
		Name:    "segment-regression",
		Title:   "better overall, much worse on policy questions",
		Dataset: "support-evals@v12",
		Seed:    20261104,
		About: `The fine-tune was trained on last year's tickets, before the returns policy changed. It is
better on refund e-mails, order status and address changes, and better overall, and cheaper per
accepted outcome, so the two headline tests pass. But on ` + "`policy-qa`" + ` it quotes the old policy: its
acceptance there drops by about twenty points, and almost all the new failures are labelled
` + "`wrong-policy`" + `. Every workflow has at least 80 cases, so each is tested for a drop (Holm-adjusted
across workflows); the ` + "`policy-qa`" + ` drop is significant and, with ` + "`block_on_regression: true`" + `, blocks the release.
An average can hide a regression that a customer will not miss.`,
		Workflows: supportWorkflows(mix{refund: 200, order: 200, policy: 120, address: 80}),
		Systems: []System{
			ragBaseline("baseline.jsonl", "support-rag-v7", modelMini, priceMini, acceptance(0.74, 0.82, 0.86, 0.80)),
			cand,
		},
		Expect: Expectation{Verdict: "FAIL", ExitCode: 1,
			Why: "Quality and cost are met overall, but the segment `policy-qa` regresses significantly (Holm-adjusted p far below 0.05)."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "Overall wins must not hide a workflow that got worse.",
		mix:   []Weight{{"refund-email", 0.35}, {"order-status", 0.35}, {"policy-qa", 0.20}, {"address-change", 0.10}},
	})
	return sc
}

// Routed: three baseline tiers, and a candidate that beats the large tier
// on cost and the small tier on quality but loses to the routed baseline.
func Routed() Scenario {
	tier := func(t, model string, price Price, acc map[string]float64, latency, perToken float64) System {
		y := ragBaseline("baseline-"+t+".jsonl", "support-rag-v7-"+t, model, price, acc)
		y.Tier = t
		// Tiers share the prompt and the retrieval, so their outcomes are
		// driven by the same case difficulty: where two tiers are equally
		// good they fail the same cases.
		y.Coupling = 1
		y.ErrorRate = 0
		y.LatencyMS, y.MSPerOutputToken = latency, perToken
		return y
	}
	cand := System{
		File: "candidate.jsonl", Name: "support-ft-mini-v5", Role: "candidate", Model: modelFTMini,
		RunID: "eval-2026-11-21", Commit: "77ae310",
		Acceptance: acceptance(0.89, 0.95, 0.88), Coupling: 0.5,
		Price: priceFTMini, PrefixTokens: 1536, CacheHitRate: 0.5,
		ContextScale: 1, OutputScale: 1.1, TokenSigma: 0.30,
		LatencyMS: 450, LatencySigma: 0.25, MSPerOutputToken: 4.5,
		SchemaValidRate: 0.995,
	}
	sc := Scenario{
		Name:    "routed",
		Title:   "beats the wrong tier, loses to the routed baseline",
		Dataset: "support-evals@v12",
		Seed:    20261105,
		About: `Three prompt+retrieval tiers run the same prompt on the same 600 cases: ` + "`gpt-4.1-nano`" + ` (small),
` + "`gpt-4.1-mini`" + ` (medium) and ` + "`gpt-4.1`" + ` (large). The candidate is a fine-tuned ` + "`gpt-4.1-mini`" + ` that still sends the long
instructions and the retrieved context.

Taken one tier at a time the candidate looks good: it is far better than the small tier on quality
and under half of the large tier's cost per accepted outcome. But nobody has to run one tier for
everything. Order-status questions are easy: the small tier accepts exactly as many as the large
one, at a twentieth of the price. Refund e-mails need the medium tier, which is as good as the large
one there. Only policy questions need the large tier. The **routed baseline** sends each workflow to
the cheapest tier within 0.01 acceptance of that workflow's best tier; it keeps the large tier's
quality at a fraction of its cost, and against it the candidate costs clearly more per accepted
outcome: the cost-ratio interval lies above 1. Quality against the routed baseline is a wash. A
fine-tune that only beats the wrong tier has not beaten the baseline.`,
		Workflows: supportWorkflows(mix{refund: 260, order: 260, policy: 80}),
		Systems: []System{
			tier("small", modelNano, priceNano, acceptance(0.70, 0.93, 0.58), 450, 5),
			tier("medium", modelMini, priceMini, acceptance(0.87, 0.93, 0.72), 700, 7),
			tier("large", modelLarge, priceLarge, acceptance(0.87, 0.93, 0.88), 800, 9),
			cand,
		},
		Expect: Expectation{Verdict: "FAIL", ExitCode: 1,
			Why: "Against the routed baseline the cost ratio's interval lies entirely above 1 (cost missed)."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "Three baseline tiers: the candidate is gated against the routed baseline, each workflow\n" +
			"served by the cheapest tier that is as good as that workflow's best tier.",
		mix: []Weight{{"refund-email", 0.45}, {"order-status", 0.45}, {"policy-qa", 0.10}},
	})
	return sc
}

// Volume: a passing fine-tune whose hidden costs break even within a few
// months at high volume, after baseline work has plateaued.
func Volume() Scenario {
	base := func(file, name, run, commit string, acc map[string]float64) System {
		y := ragBaseline(file, name, modelLarge, priceLarge, acc)
		y.RunID, y.Commit = run, commit
		// Successive prompt versions fail mostly the same cases.
		y.Coupling = 0.98
		y.LatencyMS, y.MSPerOutputToken = 900, 10
		y.SchemaValidRate = 0.985
		return y
	}
	cand := System{
		File: "candidate.jsonl", Name: "support-ft-mini-v5", Role: "candidate", Model: modelFTMini,
		RunID: "eval-2026-11-21", Commit: "77ae310",
		Acceptance: acceptance(0.88, 0.92, 0.84), Coupling: 0.6,
		Price: priceFTMini, PrefixTokens: 384,
		ContextScale: 0.8, OutputScale: 0.95, TokenSigma: 0.30,
		LatencyMS: 450, LatencySigma: 0.25, MSPerOutputToken: 4.5,
		SchemaValidRate: 0.995,
	}
	sc := Scenario{
		Name:    "volume",
		Title:   "a fine-tune worth its hidden costs: high volume, plateaued baseline",
		Dataset: "support-evals@v12",
		Seed:    20261106,
		About: `A ` + "`gpt-4.1`" + ` prompt+retrieval baseline whose quality has stopped improving: three earlier prompt
versions (` + "`baseline-history-1..3.jsonl`" + `, oldest first, same case ids) score the same as the current one.
The fine-tuned ` + "`gpt-4.1-mini`" + ` is better and far cheaper per accepted outcome, so the gate passes.

The policy's ` + "`economics`" + ` block prices what the scorecards do not show: data curation, annotation QC,
four training cycles, deployment, a provisioned-throughput fee, monitoring, maintenance and a retrain
every quarter. At 5 million accepted outcomes a month the per-outcome saving pays the one-time costs
back in a few months. The threshold rule (at least 2 of 4 conditions, enforced here) is met by
volume (break-even volume well below the real one even at the pessimistic end of the cost interval),
latency (the baseline's p95 is far above 2.5 s) and plateau (the paired gain of the newest baseline
over the one two runs back is about zero with a tight interval); strict format is not met.`,
		Workflows: supportWorkflows(mix{refund: 400, order: 350, policy: 250}),
		Systems: []System{
			base("baseline-history-1.jsonl", "support-rag-v6", "eval-2026-08-14", "1a2b3c4", acceptance(0.80, 0.86, 0.77)),
			base("baseline-history-2.jsonl", "support-rag-v7", "eval-2026-09-18", "5d6e7f8", acceptance(0.80, 0.86, 0.76)),
			base("baseline-history-3.jsonl", "support-rag-v8", "eval-2026-10-16", "9a0b1c2", acceptance(0.80, 0.86, 0.76)),
			base("baseline.jsonl", "support-rag-v9", "eval-2026-11-20", "4f1c2e0", acceptance(0.80, 0.85, 0.76)),
			cand,
		},
		Expect: Expectation{Verdict: "PASS", ExitCode: 0,
			Why: "Quality and cost are met, nothing regresses, and the enforced economics clear the threshold rule (3 of 4 conditions)."},
	}
	for i := range 3 {
		sc.Systems[i].History = true
	}
	sc.Policy = sc.policy(policyOpts{
		intro: "The candidate must beat the baseline, and fine-tuning must pay for its hidden costs:\n" +
			"run with --baseline-history baseline-history-1.jsonl ... -3.jsonl (oldest first).",
		mix: []Weight{{"refund-email", 0.40}, {"order-status", 0.35}, {"policy-qa", 0.25}},
		economics: `# Is fine-tuning worth it at all? Hidden costs (USD) against the saving per accepted
# outcome measured above. enforce: true makes the threshold rule part of the verdict.
economics:
  enforce: true
  require: 2                              # of 4 conditions: volume, strict_format, latency, plateau
  horizon_months: 12
  accepted_outcomes_per_month: 5000000    # resolved tickets the product needs per month
  costs:
    data_curation: 18000                  # one-time
    annotation_qc: 9000
    training_run: 2500                    # per training/validation cycle
    training_cycles: 4
    deployment_setup: 5000
    hosting_monthly: 3000                 # provisioned throughput for the tuned deployment
    monitoring_monthly: 800               # drift detection
    maintenance_monthly: 1200             # rollback readiness, upkeep
    retrain_every_months: 3
    retrain_cost: 6000
  # Plateau: the newest baseline gains less than min_gain over the one "window" runs back.
  plateau: {min_runs: 3, window: 2, min_gain: 0.02}
`,
	})
	return sc
}

// Sequential: the evidence arrives in three batches, merged into one pooled
// scorecard per system and gated after each in sequential mode.
func Sequential() Scenario {
	sc := Scenario{
		Name:    "sequential",
		Title:   "evidence in three batches, gated after each in sequential mode",
		Dataset: "support-evals@v12",
		Seed:    20261107,
		About: `The ` + "`pass`" + ` systems, but the eval grows over three runs of about 200 new cases each, as a team
adds cases when the gate says INCONCLUSIVE. Each run's scorecards are merged into pooled evidence with
` + "`ftgate merge`" + ` and the gate runs after every merge, in sequential mode (` + "`statistics.sequential: true`" + `):
quality and cost are read off confidence sequences, which stay valid however often the gate looks, so
gating after every batch does not raise the false-pass rate. The fine-tune's gain (about six points)
is not established after the first or the second batch (INCONCLUSIVE, with the expected number of
cases to a decision); the pooled evidence of all three batches establishes it, and the report says
that the decision rests on three looks. The cost advantage is settled from the first batch on.`,
		Workflows: supportWorkflows(mix{refund: 240, order: 220, policy: 140}),
		Systems: []System{
			ragBaseline("baseline.jsonl", "support-rag-v7", modelMini, priceMini, acceptance(0.76, 0.84, 0.72)),
			ftNano(acceptance(0.81, 0.88, 0.77)),
		},
		Batches: 3,
		Expect: Expectation{Verdict: "PASS", ExitCode: 0,
			Why: "After the third batch both confidence sequences clear their limits (quality and cost met), no segment regresses; after the first and the second the gain is not yet established (INCONCLUSIVE, exit 1)."},
	}
	sc.Policy = sc.policy(policyOpts{
		intro:      "The candidate must beat the baseline on quality and on cost per accepted outcome,\nwith evidence pooled over several eval runs and gated after each.",
		mix:        []Weight{{"refund-email", 0.40}, {"order-status", 0.40}, {"policy-qa", 0.20}},
		sequential: true,
		effect:     0.05,
	})
	return sc
}
