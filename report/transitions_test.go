package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
)

// A decision whose scorecards name 2 000 failure classes renders the
// class table and the transition matrix with the most frequent classes
// and one row for the others, in every renderer: the reports stay a few
// kilobytes where the full matrix would hold four million cells.
func TestManyFailureClassesStaySmall(t *testing.T) {
	t.Parallel()
	f := fixtures()[1]
	d := *f.d
	d.FailureClasses = nil
	d.FailureTransitions = []gate.Transition{{From: gate.Accepted, To: gate.OtherClasses, Cases: 1000}}
	for i := range 1000 {
		d.FailureClasses = append(d.FailureClasses, gate.FailureClassCount{Class: fmt.Sprintf("b%04d", i), Baseline: 1})
	}
	for i := range 1000 {
		d.FailureClasses = append(d.FailureClasses, gate.FailureClassCount{Class: fmt.Sprintf("c%04d", i), Candidate: 1})
	}
	d.TransitionTotals = gate.TransitionTotals{Changed: 1000}
	var md, txt bytes.Buffer
	if err := Markdown(&md, &d, f.names); err != nil {
		t.Fatal(err)
	}
	if err := TextWith(&txt, &d, f.names, TextOptions{Details: true, Width: 100}); err != nil {
		t.Fatal(err)
	}
	page := renderFixture(t, &d, f.names)
	for name, out := range map[string]string{"markdown": md.String(), "text": txt.String(), "html": page} {
		if strings.Contains(out, "b0010") || !strings.Contains(out, "b0009") || !strings.Contains(out, "other 1,990") {
			t.Errorf("%s: the class table is not the ten most frequent and the others", name)
		}
		if strings.Count(out, "other classes") < 3 {
			t.Errorf("%s: %q is not a class row, a matrix row and a column", name, gate.OtherClasses)
		}
	}
	if !strings.Contains(txt.String(), "changed class 1,000, same class 0") {
		t.Errorf("text: the totals are not the decision's")
	}
	// The fixture's page without the classes, for scale.
	if n := md.Len(); n > 64<<10 {
		t.Errorf("markdown: %d bytes", n)
	}
}
