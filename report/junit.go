package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/internal/visible"
)

// The JUnit XML document, in the dialect that GitLab, Jenkins, Buildkite,
// Azure Pipelines and CircleCI all read: <testsuites> holding one
// <testsuite> whose <testcase>s are the gate's checks.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes the decision as JUnit XML with one test case per check:
// quality, cost, each segment, each service-level constraint and, when the
// policy enforces it, the economics threshold rule. A check that did not
// pass is a failure whose message is the gate's reason for it (type
// "missed", "regression", "broken" or "inconclusive" when the evidence is
// not there either way); a check with no data, or a segment with too few
// cases to test, is skipped. A regression in a segment that the policy
// does not block on passes, with the reason in the case's system-out.
//
// The output is deterministic (no timestamps, times are 0) and valid XML
// whatever the scorecards contain: encoding/xml escapes markup, and
// control characters are shown as \xNN escapes.
func JUnit(w io.Writer, d *gate.Decision, names Names) error {
	suite := junitSuite{
		Name: xmlText(fmt.Sprintf("ftgate: %s against %s", names.Candidate, names.Baseline)),
		Time: "0",
		Properties: []junitProperty{
			{"verdict", string(d.Verdict)},
			{"exit_code", strconv.Itoa(d.ExitCode)},
			{"alpha", numfmt.Num(d.Policy.Alpha)},
			{"baseline", xmlText(names.Baseline)},
			{"candidate", xmlText(names.Candidate)},
			{"paired_cases", strconv.Itoa(d.Cases.Paired)},
			{"policy_file", xmlText(policyName(d.Provenance))},
			{"policy_sha256", d.Provenance.PolicySHA256},
			{"ftgate_version", xmlText(d.Provenance.Version)},
		},
	}
	add := func(c junitCase) {
		c.Name, c.Time = xmlText(c.Name), "0"
		suite.Cases = append(suite.Cases, c)
	}
	reason := func(prefix, fallback string) string {
		for _, r := range d.Reasons {
			if strings.HasPrefix(r, prefix) {
				return xmlText(r)
			}
		}
		return xmlText(fallback)
	}

	q := d.Quality
	qc := junitCase{Name: "quality: acceptance rate", Classname: "ftgate.quality"}
	switch {
	case q.Met:
	case q.Missed:
		qc.Failure = junitFail("missed", reason("Quality:", "the candidate does not clear the quality margin"))
	default:
		qc.Failure = junitFail("inconclusive", reason("Quality:", "a quality gain is not established"))
	}
	add(qc)

	k := d.Cost
	kc := junitCase{Name: "cost: cost per accepted outcome", Classname: "ftgate.cost"}
	switch {
	case !k.Measured && !d.Policy.Cost.Required:
		kc.Skipped = &junitSkipped{reason("Cost:", "cost not measured")}
	case !k.Measured:
		kc.Failure = junitFail("inconclusive", reason("Cost:", "cost not measured, and the policy requires it"))
	case k.Met:
	case k.Missed:
		kc.Failure = junitFail("missed", reason("Cost:", "the candidate costs more per accepted outcome"))
	default:
		kc.Failure = junitFail("inconclusive", reason("Cost:", "being below the cost limit is not established"))
	}
	add(kc)

	for _, s := range d.Segments {
		sc := junitCase{Name: "segment: " + s.Name, Classname: "ftgate.segments"}
		msg := fmt.Sprintf("Segment %q: %s → %s (%s) over %s", s.Name, numfmt.Pct(s.Baseline), numfmt.Pct(s.Candidate), numfmt.Points(s.Delta), numfmt.Counted(s.Cases, "case", "cases"))
		switch {
		case !s.Tested:
			sc.Skipped = &junitSkipped{xmlText(msg + ": not tested (" + notTested(s) + ")")}
		case s.Regression && d.Policy.Segments.BlockOnRegression:
			sc.Failure = junitFail("regression", reason(fmt.Sprintf("Segment %q", s.Name), msg+": regression"))
		case s.Regression:
			sc.SystemOut = reason(fmt.Sprintf("Segment %q", s.Name), msg+": regression, not blocking")
		}
		add(sc)
	}

	var ks []gate.Constraint
	ks = append(ks, d.Latency.Constraints...)
	ks = append(ks, d.Format.Constraints...)
	for _, k := range ks {
		cc := junitCase{Name: "constraint: " + k.Name, Classname: "ftgate.constraints"}
		prefix := "Constraint " + k.Name + ":"
		switch {
		case !k.Measured && k.Required:
			cc.Failure = junitFail("inconclusive", reason(prefix, "not measured, and the policy marks it required"))
		case !k.Measured:
			cc.Skipped = &junitSkipped{reason(prefix, "not measured")}
		case !k.Held:
			cc.Failure = junitFail("broken", reason(prefix, fmt.Sprintf("broken: %s against the limit %s", numfmt.Num(k.Value), numfmt.Num(k.Limit))))
		}
		add(cc)
	}

	if e := d.Economics; e != nil && e.Enforced {
		ec := junitCase{Name: "economics: threshold rule", Classname: "ftgate.economics"}
		if e.Blocks {
			ec.Failure = junitFail("missed", reason("Economics:", fmt.Sprintf("%d of 4 conditions met, %d required", e.Met, e.Required)))
		}
		add(ec)
	}

	for _, c := range suite.Cases {
		suite.Tests++
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Skipped != nil:
			suite.Skipped++
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "verdict: %s (exit code %d)\n", strings.ToUpper(string(d.Verdict)), d.ExitCode)
	// What blocks the release first, as in every report.
	for _, g := range groupFindings(d) {
		if len(g.findings) == 0 {
			continue
		}
		fmt.Fprintf(&out, "%s:\n", g.title)
		for _, f := range g.findings {
			fmt.Fprintf(&out, "- %s\n", f.Text)
		}
	}
	if len(d.Findings) == 0 {
		for _, r := range d.Reasons {
			fmt.Fprintf(&out, "- %s\n", r)
		}
	}
	out.WriteString(decidedBy(d, func(s string) string { return s }) + "\n")
	if len(d.Warnings) > 0 {
		out.WriteString("warnings:\n")
		for _, w := range d.Warnings {
			fmt.Fprintf(&out, "- %s\n", w)
		}
	}
	suite.SystemOut = xmlText(out.String())

	doc := junitSuites{Name: "ftgate", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	buf.WriteString("\n")
	_, err := w.Write(visible.XML(buf.Bytes()))
	return err
}

// policyName is the policy file, or "defaults" when none was given.
func policyName(p gate.Provenance) string {
	if p.PolicyFile == "" {
		return "defaults"
	}
	return p.PolicyFile
}

func junitFail(typ, msg string) *junitFailure {
	return &junitFailure{Message: junitFirstLine(msg), Type: typ, Text: msg}
}

// firstLine returns the first sentence-sized part of msg for the failure's
// message attribute; the element's text carries all of it.
func junitFirstLine(msg string) string {
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		return msg[:i]
	}
	return msg
}
