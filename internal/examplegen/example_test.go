package examplegen_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/ftgate/ftgate/internal/examplegen"
)

func ExampleGenerate() {
	set, err := examplegen.Generate(examplegen.Pass(), 1)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range set.Summaries() {
		fmt.Printf("%-15s %s: %d cases, acceptance %.3f, $%.3f per 1k accepted\n",
			m.System.File, m.System.Role, m.Total.Cases, m.Total.Acceptance(), 1000*m.Total.CPA())
	}
	// Output:
	// baseline.jsonl  baseline: 600 cases, acceptance 0.787, $1.417 per 1k accepted
	// candidate.jsonl candidate: 600 cases, acceptance 0.875, $0.443 per 1k accepted
}

// Stream writes a scorecard of any size without holding its cases: here the
// candidate of the pass scenario at 1,000 times its case count.
func ExampleStream() {
	r, w := io.Pipe()
	go func() { w.CloseWithError(examplegen.Stream(w, examplegen.Pass(), "candidate.jsonl", 1000)) }()
	s := bufio.NewScanner(r)
	lines := 0
	for s.Scan() {
		if lines == 0 {
			fmt.Println(strings.SplitN(s.Text(), `,"run"`, 2)[0])
		}
		lines++
	}
	fmt.Println(lines-1, "cases")
	// Output:
	// {"scorecard":1,"system":{"name":"support-ft-nano-v3","role":"candidate","model":"ft:gpt-4.1-nano-2025-04-14:acme:support-v3:C4x9Qm2L"}
	// 600000 cases
}
