// Package scorecard reads per-case eval scorecards (the native format and the
// outputs of common eval tools), validates them, prices them and pairs the
// cases of several scorecards by id.
//
// A scorecard is the per-case record of one eval run of one system over a
// fixed case set. Nothing in this package trusts an aggregate: every
// statistic downstream is recomputed from the samples read here.
package scorecard

// A Scorecard is one eval run of one system, as read from one file.
type Scorecard struct {
	// Source is the file name as the user gave it ("-" for standard input).
	Source string
	// Format names the reader that produced it: "native", "csv",
	// "promptfoo", "inspect", "lm-eval" or "openai-evals".
	Format string
	// SHA256 is the hex digest of the raw input bytes.
	SHA256 string
	System System
	// SystemLine is the line of the header's system block (0 when the
	// format has none): messages about the system's name or role point
	// there.
	SystemLine int
	Run        Run
	// Samples are in input order. One case may have several samples.
	Samples []Sample
	// Warnings are problems that did not stop the read (lenient mode,
	// fields the source format lacks, records dropped by an importer).
	Warnings []string
}

// System describes the system under evaluation.
type System struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Model string `json:"model,omitempty"`
	Tier  string `json:"tier,omitempty"`
}

// Run describes the eval run.
type Run struct {
	ID      string `json:"id,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	Commit  string `json:"commit,omitempty"`
}

// A Sample is one scored attempt at one case. Optional fields are pointers
// (nil when the input did not have them) so that "absent" and "zero" never
// blur.
type Sample struct {
	ID           string
	Sample       int
	Workflow     string
	Cluster      string
	Accepted     bool
	Score        *float64
	CostUSD      *float64
	Usage        *Usage
	LatencyMS    *float64
	SchemaValid  *bool
	FailureClass string
	Error        string
	// Batch names the eval run (batch of evidence) the sample came from,
	// when the scorecard pools several runs ("ftgate merge" writes it);
	// empty otherwise. Batches are ordered by first appearance.
	Batch string
	// Line is the 1-based line in Source where the sample starts (0 when
	// the format has no meaningful line, such as a zip archive member).
	Line int
}

// Usage is the token usage of one sample.
type Usage struct {
	Model             string
	InputTokens       int64
	OutputTokens      int64
	CachedInputTokens int64
}

// Fields reports which optional fields at least one sample carries.
type Fields struct {
	Workflow, Cluster, Score, Cost, Usage, Latency, SchemaValid, FailureClass bool
}

// PresentFields reports which optional fields the scorecard's samples carry.
func (s *Scorecard) PresentFields() Fields {
	var f Fields
	for i := range s.Samples {
		x := &s.Samples[i]
		f.Workflow = f.Workflow || x.Workflow != ""
		f.Cluster = f.Cluster || x.Cluster != ""
		f.Score = f.Score || x.Score != nil
		f.Cost = f.Cost || x.CostUSD != nil
		f.Usage = f.Usage || x.Usage != nil
		f.Latency = f.Latency || x.LatencyMS != nil
		f.SchemaValid = f.SchemaValid || x.SchemaValid != nil
		f.FailureClass = f.FailureClass || x.FailureClass != ""
	}
	return f
}
