package report_test

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// ExampleHTML writes the page of a decision and reads back its verdict, a
// reason quoting a scorecard's name (escaped), and its policy: nothing is
// allowed by default, and the page has one script of its own.
func ExampleHTML() {
	nan := math.NaN()
	d := &gate.Decision{
		Verdict: gate.Fail, ExitCode: gate.ExitNotPass, Policy: gate.DefaultPolicy(),
		Reasons:  []string{`Segment "<b>qa</b>" regresses.`},
		Findings: []gate.Finding{{Check: gate.CheckSegment, Status: gate.FindingFail, Text: `Segment "<b>qa</b>" regresses.`}},
		Cases:    gate.CaseCounts{Paired: 100, Clusters: 100, MaxSamplesPerCase: 1},
		Quality:  gate.Quality{Method: "mcnemar-exact", Baseline: 0.8, Candidate: 0.82, Delta: 0.02, CILow: -0.03, CIHigh: 0.07, CILevel: 0.9, PValue: 0.3},
		Cost:     gate.Cost{CILow: nan, CIHigh: nan, Ratio: nan},
		Latency:  gate.Latency{BaselineP95: nan, CandidateP95: nan},
		Format:   gate.Format{BaselineValidRate: nan, CandidateValidRate: nan},
	}
	var page bytes.Buffer
	if err := report.HTML(&page, d, nil, report.Names{Baseline: "base", Candidate: "cand"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(regexp.MustCompile(`<h1>.*</h1>`).FindString(page.String()))
	fmt.Println(regexp.MustCompile(`<li class="bad">.*</li>`).FindString(page.String()))
	fmt.Println(strings.Count(page.String(), "<script"), "script,", strings.Contains(page.String(), `content="default-src &#39;none&#39;;`))
	// Output:
	// <h1><span class="badge">FAIL</span> <span class="effect">blocks the release</span></h1>
	// <li class="bad">Segment &#34;&lt;b&gt;qa&lt;/b&gt;&#34; regresses.</li>
	// 1 script, true
}
