// Package formats registers every reader ftgate ships with package
// scorecard and fixes the order in which format detection tries them. It
// is the one place that lists the readers: a program gets them all with
//
//	import _ "github.com/ftgate/ftgate/scorecard/formats"
//
// Adding a tool is adding its folder under scorecard/ and a line here.
package formats

import (
	"github.com/ftgate/ftgate/scorecard"
	_ "github.com/ftgate/ftgate/scorecard/deepeval"
	_ "github.com/ftgate/ftgate/scorecard/inspect"
	_ "github.com/ftgate/ftgate/scorecard/lmeval"
	_ "github.com/ftgate/ftgate/scorecard/openaievals"
	_ "github.com/ftgate/ftgate/scorecard/promptfoo"
)

// The detection order: the most specific signatures first, CSV (the
// loosest: any first line with a comma) last. A tool's sniffer never
// claims a native scorecard, so native may come after them all.
func init() {
	scorecard.SetDetectionOrder(
		"inspect",      // a zip archive with Inspect's members, or {"eval": {...}, "samples": [...]}
		"deepeval",     // {"testRunData": {...}}, or testCases beside DeepEval's run keys
		"promptfoo",    // {"results": {"version", "results": [...]}}, or result rows a line
		"openai-evals", // a spec, final_report or event line
		"lm-eval",      // a line with doc_id and the harness's metrics
		"native",       // "scorecard" or "cases", or lines with id and accepted
		"csv",          // a header line with commas
	)
}
