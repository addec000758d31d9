package examplegen

import (
	"fmt"
	"math"
	"strings"

	"github.com/ftgate/ftgate/internal/numfmt"
)

// MaxQualityLoss is the routing tolerance the examples use (the policy
// default): a tier within this much acceptance of a workflow's best tier
// is as good as the best.
const MaxQualityLoss = 0.01

// Command returns the ftgate command line that gates the scenario folder
// dir (a slash-separated path, such as "examples/pass").
func (sc *Scenario) Command(dir string) string {
	if sc.Batches > 1 {
		return sc.batchCommands(dir)
	}
	var b strings.Builder
	b.WriteString("ftgate compare")
	for _, y := range sc.Systems {
		if y.Role == "baseline" && !y.History {
			fmt.Fprintf(&b, " \\\n    --baseline %s/%s", dir, y.File)
		}
	}
	for _, y := range sc.Systems {
		if y.History {
			fmt.Fprintf(&b, " \\\n    --baseline-history %s/%s", dir, y.File)
		}
	}
	for _, y := range sc.Systems {
		if y.Role == "candidate" {
			fmt.Fprintf(&b, " \\\n    --candidate %s/%s", dir, y.File)
		}
	}
	fmt.Fprintf(&b, " \\\n    --policy %s/gate.yaml", dir)
	return b.String()
}

// batchCommands is the sequential workflow on a batched scenario: merge
// each batch into the pooled evidence, then gate on the union.
func (sc *Scenario) batchCommands(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "mkdir -p evidence\nfor k in $(seq %d); do\n", sc.Batches)
	for _, y := range sc.Systems {
		stem := strings.TrimSuffix(y.File, ".jsonl")
		fmt.Fprintf(&b, "  ftgate merge --into evidence/%s %s/%s-$k.jsonl\n", y.File, dir, stem)
	}
	b.WriteString("  ftgate compare")
	for _, y := range sc.Systems {
		if y.Role == "baseline" && !y.History {
			fmt.Fprintf(&b, " --baseline evidence/%s", y.File)
		}
	}
	for _, y := range sc.Systems {
		if y.Role == "candidate" {
			fmt.Fprintf(&b, " --candidate evidence/%s", y.File)
		}
	}
	fmt.Fprintf(&b, " --policy %s/gate.yaml\ndone", dir)
	return b.String()
}

// fileLabel names a system's scorecard file(s) in the README.
func (sc *Scenario) fileLabel(y *System) string {
	if sc.Batches > 1 {
		return fmt.Sprintf("%s-1…%d.jsonl", strings.TrimSuffix(y.File, ".jsonl"), sc.Batches)
	}
	return y.File
}

// Readme renders the scenario folder's README.md: the scenario's prose,
// the command, the expected verdict and the descriptive numbers of the
// generated scorecards.
func (s *Set) Readme() string {
	sc := &s.Scenario
	sums := s.Summaries()
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s: %s\n\n", sc.Name, sc.Title)
	p("%s\n\n", strings.TrimSpace(sc.About))
	p("## Run it\n\nFrom the repository root:\n\n```sh\n%s\n```\n\n", sc.Command("examples/"+sc.Name))
	p("Expected verdict: **%s**, exit code **%d**. %s\n\n", sc.Expect.Verdict, sc.Expect.ExitCode, sc.Expect.Why)

	p("## The scorecards\n\n")
	p("%d cases in %d workflows", sc.Cases(s.Scale), len(sc.Workflows))
	clusters := countClusters(s)
	if clusters < sc.Cases(s.Scale) {
		p(", grouped in %d clusters (tickets and conversations): ftgate resamples clusters, not cases", clusters)
	}
	p(". CPA is the cost per accepted outcome (total cost / accepted cases), in USD as in ftgate's reports.\n\n")
	p("| file | system | role | model | accepted | acceptance | total cost | CPA | p95 latency | schema-valid |\n")
	p("|---|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range sums {
		y := m.System
		role := y.Role
		switch {
		case y.History:
			role = "baseline history"
		case y.Tier != "":
			role += " (" + y.Tier + ")"
		}
		p("| `%s` | %s | %s | `%s` | %d / %d | %s | %s | %s | %s | %s |\n", sc.fileLabel(y), y.Name, role, y.Model,
			m.Total.Accepted, m.Total.Cases, numfmt.Pct(m.Total.Acceptance()), usd(m.Total.CostUSD), usd(m.Total.CPA()), numfmt.Ms(m.P95LatencyMS, "n/a"), numfmt.Pct(m.SchemaValidRate))
	}

	p("\nAcceptance (CPA) by workflow:\n\n| workflow | cases |")
	for _, m := range sums {
		p(" %s |", shortName(m.System))
	}
	p("\n|---|---:|%s\n", strings.Repeat("---:|", len(sums)))
	for w, wf := range sc.Workflows {
		p("| %s | %d |", wf.Name, sums[0].Workflows[w].Cases)
		for _, m := range sums {
			t := m.Workflows[w]
			p(" %s (%s) |", numfmt.Pct(t.Acceptance()), usd(t.CPA()))
		}
		p("\n")
	}

	var tiers []Summary
	var cand *Summary
	for i, m := range sums {
		switch {
		case m.System.Role == "baseline" && !m.System.History:
			tiers = append(tiers, m)
		case m.System.Role == "candidate":
			cand = &sums[i]
		}
	}
	if cand != nil && len(tiers) == 1 {
		b0 := tiers[0].Total
		p("\nCandidate against baseline: acceptance %s (%s → %s); CPA ratio %s (%s → %s per accepted outcome).\n",
			numfmt.Points(cand.Total.Acceptance()-b0.Acceptance()), numfmt.Pct(b0.Acceptance()), numfmt.Pct(cand.Total.Acceptance()),
			numfmt.Ratio(cand.Total.CPA()/b0.CPA()), usd(b0.CPA()), usd(cand.Total.CPA()))
	}
	if cand != nil && len(tiers) > 1 {
		r := Route(tiers, MaxQualityLoss)
		p("\n## The routed baseline\n\n")
		p("For each workflow, the cheapest tier (lowest CPA) among those within %s of that workflow's best tier's acceptance:\n\n", strings.TrimPrefix(numfmt.Points(MaxQualityLoss), "+"))
		p("| workflow | best tier acceptance | routed to | routed acceptance | routed CPA | candidate acceptance | candidate CPA |\n")
		p("|---|---:|---|---:|---:|---:|---:|\n")
		for w, wf := range sc.Workflows {
			best := 0.0
			for _, t := range tiers {
				best = max(best, t.Workflows[w].Acceptance())
			}
			t := r.Workflows[w]
			c := cand.Workflows[w]
			p("| %s | %s | %s | %s | %s | %s | %s |\n", wf.Name, numfmt.Pct(best), shortName(tiers[r.Choice[w]].System),
				numfmt.Pct(t.Acceptance()), usd(t.CPA()), numfmt.Pct(c.Acceptance()), usd(c.CPA()))
		}
		p("| **all** | | | %s | %s | %s | %s |\n\n", numfmt.Pct(r.Total.Acceptance()), usd(r.Total.CPA()), numfmt.Pct(cand.Total.Acceptance()), usd(cand.Total.CPA()))
		p("Candidate CPA / baseline CPA: ")
		for i, t := range tiers {
			if i > 0 {
				p("; ")
			}
			p("%s %s", shortName(t.System), numfmt.Ratio(cand.Total.CPA()/t.Total.CPA()))
		}
		p("; **routed %s**.\n", numfmt.Ratio(cand.Total.CPA()/r.Total.CPA()))
	}

	p("\n---\nGenerated by `go run ./examples/gen` (package `internal/examplegen`, scenario %q, seed %d, scale %d). "+
		"Do not edit the files of this folder by hand: change the scenario and regenerate.\n", sc.Name, sc.Seed, s.Scale)
	return b.String()
}

// shortName is the tier when there is one, else the file name without
// its extension.
func shortName(y *System) string {
	if y.Tier != "" && !y.History {
		return y.Tier
	}
	return strings.TrimSuffix(y.File, ".jsonl")
}

// usd formats dollars as ftgate's reports do (in Markdown, where "$"
// must be escaped), "n/a" when undefined.
func usd(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "n/a"
	}
	return `\` + numfmt.USD(x)
}

func countClusters(s *Set) int {
	if len(s.Scorecards) == 0 {
		return 0
	}
	seen := map[string]bool{}
	for _, c := range s.Scorecards[0].Cases {
		seen[c.Cluster] = true
	}
	return len(seen)
}
