// Package examplegen generates the example scorecards of ftgate: realistic,
// deterministic per-case eval results of customer-support systems (a
// prompt+retrieval baseline in one or several model tiers, and a fine-tuned
// candidate) over the same case set.
//
// A [Scenario] is a plain Go value: the workflows of the case set (how many
// cases, how they group into tickets or conversations, how many tokens they
// take) and the systems evaluated on it (per-workflow acceptance
// probability, how strongly their outcomes follow each case's shared
// difficulty, model and price, latency and schema-validity). [Generate]
// turns a scenario into scorecards; [Set.Write] writes a scenario folder;
// [Stream] writes one scorecard as native JSONL without holding its cases in
// memory, for benchmarks with up to millions of cases.
//
// The generator is a simulation, not a statistics library: it draws outcomes
// from a mixture copula (each system follows the case's shared latent
// difficulty with probability [System.Coupling], else an independent draw),
// so two systems agree on a case beyond chance in proportion to the product
// of their couplings, and cases of one cluster share difficulty with
// probability [Workflow.ClusterCoupling]. All randomness comes from
// math/rand/v2 PCG streams seeded by [Scenario.Seed] and the name of what
// they drive, so output is byte-identical from run to run and adding a
// system to a scenario does not change the others.
package examplegen

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// A Scenario is one example: a case set and the systems evaluated on it,
// with the policy, the expected verdict and the prose of its README.
type Scenario struct {
	// Name is the folder name, such as "pass".
	Name string
	// Title is a one-line description.
	Title string
	// About is the Markdown body of the README: what the example shows.
	About string
	// Dataset names the eval set in every scorecard's run header.
	Dataset string
	// Seed seeds every random stream of the scenario.
	Seed uint64
	// Workflows are generated in this order, each case id in order within.
	Workflows []Workflow
	// Systems are the scorecards: baselines (one per tier), the candidate
	// and any older baseline runs.
	Systems []System
	// Policy is the gate.yaml text written next to the scorecards.
	Policy string
	// Expect is what ftgate should decide on this folder.
	Expect Expectation
	// Batches, when above 1, splits every scorecard into this many eval
	// runs, the evidence of sequential mode arriving batch by batch: files
	// STEM-1.jsonl, STEM-2.jsonl, ... with run ids RUNID-1, RUNID-2, ...
	// Each cluster goes whole to one batch, chosen by a hash of its id.
	Batches int
}

// An Expectation is the verdict an example is built to produce.
type Expectation struct {
	Verdict  string // "PASS", "FAIL" or "INCONCLUSIVE"
	ExitCode int
	// Why says which check decides it, in one sentence.
	Why string
}

// A Workflow is one product workflow (a segment of the case set).
type Workflow struct {
	Name string // "refund-email"
	// IDPrefix starts case ids: "refund" gives refund-0001, refund-0002, ...
	IDPrefix string
	// ClusterPrefix starts cluster ids: "ticket" gives ticket-48213.
	ClusterPrefix string
	// Cases is the number of cases at scale 1.
	Cases int
	// MinCluster and MaxCluster bound the cases per cluster (uniform);
	// 1 and 1 make every case its own cluster.
	MinCluster, MaxCluster int
	// ClusterCoupling is the probability that a case's latent difficulty is
	// its cluster's rather than its own.
	ClusterCoupling float64
	// ContextTokens is the median of the retrieved-context input tokens a
	// prompt+retrieval system adds to its prompt for this workflow.
	ContextTokens float64
	// OutputTokens is the median length of a reply.
	OutputTokens float64
	// Failures weighs the failure classes of not-accepted cases, in a fixed
	// order. The class "format" is reserved for schema-invalid outputs.
	Failures []Weight
}

// A Weight is a named weight.
type Weight struct {
	Name   string
	Weight float64
}

// A Price is a per-million-token price in USD.
type Price struct {
	InputPerMTok       float64
	OutputPerMTok      float64
	CachedInputPerMTok float64
}

// A System is one evaluated system and the scorecard file written for it.
type System struct {
	// File is the scorecard's file name, such as "baseline.jsonl".
	File string
	// Name, Role ("baseline" or "candidate"), Model and Tier go to the
	// scorecard header.
	Name, Role, Model, Tier string
	// RunID and Commit go to the header's run object.
	RunID, Commit string
	// History marks an older baseline run, given to ftgate with
	// --baseline-history rather than --baseline.
	History bool
	// Acceptance is the probability that a case of each workflow is
	// accepted; every workflow of the scenario must have one.
	Acceptance map[string]float64
	// Coupling is the probability that the system's outcome on a case is
	// decided by the case's shared latent difficulty (else by an
	// independent draw). Systems with coupling 1 and equal acceptance
	// produce identical outcomes.
	Coupling float64
	// Price is the token price of Model; PerRequestUSD is added to every
	// request (a dedicated endpoint's fee spread over its requests).
	Price         Price
	PerRequestUSD float64
	// PrefixTokens is the static prompt (instructions, few-shot examples).
	// At 1024 tokens or more it is cacheable in 128-token steps, and a
	// request finds it cached with probability CacheHitRate.
	PrefixTokens int
	CacheHitRate float64
	// ContextScale and OutputScale multiply the workflow's token medians
	// (a fine-tune needs less retrieved context); TokenSigma is the
	// log-normal spread of both.
	ContextScale, OutputScale, TokenSigma float64
	// Latency is LatencyMS·exp(LatencySigma·Z) plus MSPerOutputToken per
	// output token, in whole milliseconds.
	LatencyMS, LatencySigma, MSPerOutputToken float64
	// SchemaValidRate is the share of outputs that validate against the
	// reply schema; invalid outputs are not accepted and are labelled
	// "format". It must not be below Acceptance allows.
	SchemaValidRate float64
	// ErrorRate is the share of requests that fail in the infrastructure
	// (timeouts): not accepted, no failure class, the error text set.
	ErrorRate float64
	// FailureBias multiplies the workflows' failure-class weights for this
	// system (a class absent from the map keeps its weight).
	FailureBias map[string]float64
	// UnlabelledRate is the share of not-accepted cases left without a
	// failure class.
	UnlabelledRate float64
}

// Validate reports every problem with the scenario.
func (s *Scenario) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("scenario %q: "+format, append([]any{s.Name}, args...)...))
	}
	if s.Name == "" {
		bad("no name")
	}
	if len(s.Workflows) == 0 {
		bad("no workflows")
	}
	if len(s.Systems) == 0 {
		bad("no systems")
	}
	prob := func(what string, p float64) {
		if !(p >= 0 && p <= 1) {
			bad("%s = %v, want a probability in [0, 1]", what, p)
		}
	}
	names := map[string]bool{}
	prefixes := map[string]bool{}
	for _, w := range s.Workflows {
		if w.Name == "" || w.IDPrefix == "" || w.ClusterPrefix == "" {
			bad("workflow %q: name, id prefix and cluster prefix are required", w.Name)
		}
		if names[w.Name] || prefixes[w.IDPrefix] {
			bad("workflow %q: duplicate name or id prefix", w.Name)
		}
		names[w.Name], prefixes[w.IDPrefix] = true, true
		if w.Cases < 1 {
			bad("workflow %q: %d cases, want at least 1", w.Name, w.Cases)
		}
		if w.MinCluster < 1 || w.MaxCluster < w.MinCluster {
			bad("workflow %q: cluster size [%d, %d] is not a range of positive sizes", w.Name, w.MinCluster, w.MaxCluster)
		}
		prob(fmt.Sprintf("workflow %q cluster coupling", w.Name), w.ClusterCoupling)
		if !(w.ContextTokens >= 0) || !(w.OutputTokens >= 1) {
			bad("workflow %q: context tokens must be >= 0 and output tokens >= 1", w.Name)
		}
		total := 0.0
		for _, f := range w.Failures {
			if f.Name == "format" || f.Name == "" || !(f.Weight >= 0) {
				bad("workflow %q: failure class %q: want a non-empty name other than \"format\" and a weight >= 0", w.Name, f.Name)
			}
			total += f.Weight
		}
		if !(total > 0) {
			bad("workflow %q: no failure class with a positive weight", w.Name)
		}
	}
	files := map[string]bool{}
	for _, y := range s.Systems {
		if y.File == "" || files[y.File] {
			bad("system %q: empty or duplicate file name %q", y.Name, y.File)
		}
		files[y.File] = true
		if y.Role != "baseline" && y.Role != "candidate" {
			bad("system %q: role %q, want \"baseline\" or \"candidate\"", y.Name, y.Role)
		}
		if y.History && y.Role != "baseline" {
			bad("system %q: only a baseline can be a history run", y.Name)
		}
		for _, w := range s.Workflows {
			p, ok := y.Acceptance[w.Name]
			if !ok {
				bad("system %q: no acceptance for workflow %q", y.Name, w.Name)
				continue
			}
			prob(fmt.Sprintf("system %q acceptance of %q", y.Name, w.Name), p)
			if y.SchemaValidRate < p-1e-12 {
				bad("system %q: schema-valid rate %v is below the acceptance %v of %q (invalid outputs are never accepted)", y.Name, y.SchemaValidRate, p, w.Name)
			}
		}
		for wf := range y.Acceptance {
			if !names[wf] {
				bad("system %q: acceptance for unknown workflow %q", y.Name, wf)
			}
		}
		prob(fmt.Sprintf("system %q coupling", y.Name), y.Coupling)
		prob(fmt.Sprintf("system %q cache hit rate", y.Name), y.CacheHitRate)
		prob(fmt.Sprintf("system %q schema-valid rate", y.Name), y.SchemaValidRate)
		prob(fmt.Sprintf("system %q error rate", y.Name), y.ErrorRate)
		prob(fmt.Sprintf("system %q unlabelled rate", y.Name), y.UnlabelledRate)
		for _, v := range []float64{y.Price.InputPerMTok, y.Price.OutputPerMTok, y.Price.CachedInputPerMTok,
			y.PerRequestUSD, y.ContextScale, y.OutputScale, y.TokenSigma, y.LatencyMS, y.LatencySigma, y.MSPerOutputToken} {
			if !(v >= 0) || math.IsInf(v, 0) {
				bad("system %q: prices, scales, spreads and latencies must be finite and >= 0", y.Name)
				break
			}
		}
		if y.PrefixTokens < 0 {
			bad("system %q: negative prefix tokens", y.Name)
		}
		for class, m := range y.FailureBias {
			if !(m >= 0) || math.IsInf(m, 0) {
				bad("system %q: failure bias of %q = %v, want a finite value >= 0", y.Name, class, m)
			}
		}
	}
	return errors.Join(errs...)
}

// System returns the system that writes file.
func (s *Scenario) System(file string) (*System, bool) {
	i := slices.IndexFunc(s.Systems, func(y System) bool { return y.File == file })
	if i < 0 {
		return nil, false
	}
	return &s.Systems[i], true
}

// Cases returns the number of cases at the given scale.
func (s *Scenario) Cases(scale int) int {
	n := 0
	for _, w := range s.Workflows {
		n += w.Cases * scale
	}
	return n
}
