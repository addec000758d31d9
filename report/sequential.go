package report

import (
	"fmt"
	"math"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
)

// The pieces of every report that describe sequential mode
// (statistics.sequential; docs/methods.md §12).

// jsonSequential is the "sequential" object of the JSON report.
type jsonSequential struct {
	Looks            int              `json:"looks"`
	Labelled         bool             `json:"labelled"`
	BaselineSamples  int              `json:"baseline_samples"`
	CandidateSamples int              `json:"candidate_samples"`
	PlannedCases     Float            `json:"planned_cases"`
	Rho2             Float            `json:"rho2"`
	Quality          jsonSeqBound     `json:"quality"`
	Cost             jsonSeqBound     `json:"cost"`
	Futile           bool             `json:"futile"`
	Futility         string           `json:"futility,omitempty"`
	ExpectedCases    Float            `json:"expected_cases"`
	CasesForPower    Float            `json:"cases_for_power"`
	FixedCases       Float            `json:"fixed_cases"`
	LookEvery        int              `json:"look_every"`
	History          []jsonSeqHistory `json:"history"`
}

type jsonSeqBound struct {
	Method    string `json:"method"`
	Measured  bool   `json:"measured"`
	Estimate  Float  `json:"estimate"`
	Low       Float  `json:"low"`
	High      Float  `json:"high"`
	PValue    Float  `json:"p_value"`
	Met       bool   `json:"met"`
	Missed    bool   `json:"missed"`
	DecidedAt int    `json:"decided_at"`
}

type jsonSeqHistory struct {
	Look             int   `json:"look"`
	Cases            int   `json:"cases"`
	CandidateSamples int   `json:"candidate_samples"`
	QualityLow       Float `json:"quality_low"`
	QualityHigh      Float `json:"quality_high"`
	CostLow          Float `json:"cost_low"`
	CostHigh         Float `json:"cost_high"`
}

func newJSONSequential(s *gate.Sequential) *jsonSequential {
	if s == nil {
		return nil
	}
	bound := func(b gate.SeqBound) jsonSeqBound {
		return jsonSeqBound{b.Method, b.Measured, Float(b.Estimate), Float(b.Lo), Float(b.Hi), Float(b.PValue), b.Met, b.Missed, b.DecidedAt}
	}
	j := &jsonSequential{Looks: s.Looks, Labelled: s.Labelled, BaselineSamples: s.BaselineSamples, CandidateSamples: s.CandidateSamples,
		PlannedCases: Float(s.PlannedCases), Rho2: Float(s.Rho2), Quality: bound(s.Quality), Cost: bound(s.Cost),
		Futile: s.Futile, Futility: s.Futility, ExpectedCases: Float(s.ExpectedCases), CasesForPower: Float(s.CasesForPower),
		FixedCases: Float(s.FixedCases), LookEvery: s.LookEvery, History: make([]jsonSeqHistory, 0, len(s.History))}
	for _, h := range s.History {
		j.History = append(j.History, jsonSeqHistory{h.Look, h.Cases, h.CandidateSamples, Float(h.QualityLo), Float(h.QualityHi), Float(h.CostLo), Float(h.CostHi)})
	}
	return j
}

// sequentialLine is the one-line statement of sequential mode: that the
// gate is sequential, how many looks and samples the decision rests on.
func sequentialLine(s *gate.Sequential) string {
	looks := fmt.Sprintf("%d looks so far", s.Looks)
	if s.Looks == 1 {
		looks = "1 look so far"
	}
	if !s.Labelled {
		looks += " (no batch labels: pool runs with ftgate merge)"
	}
	line := fmt.Sprintf("sequential gate (confidence sequences, valid at every look): %s, %s candidate and %s baseline samples", looks, numfmt.Int(s.CandidateSamples), numfmt.Int(s.BaselineSamples))
	if s.Futile {
		line += "; futile: more cases cannot reach a pass at the planned gain"
	} else if !math.IsInf(s.ExpectedCases, 0) && !s.Quality.Met && !s.Quality.Missed {
		line += fmt.Sprintf("; expected about %s paired cases to a decision (fixed-sample plan %s)", numfmt.Cases(s.ExpectedCases), numfmt.Cases(s.FixedCases))
	}
	return line
}

// markdownSequential writes the sequential line of the job summary and
// the pull-request comment.
func markdownSequential(p func(string, ...any), d *gate.Decision) {
	if d.Sequential == nil {
		return
	}
	p("\n**Sequential:** %s.\n", MarkdownText(sequentialLine(d.Sequential)))
}
