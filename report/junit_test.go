package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/visible"
)

func TestJUnitGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JUnit(&buf, f.d, f.names); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "junit/"+f.name+".xml", buf.Bytes())

			// Whatever the names, the document parses back, with the
			// counts right and every name intact.
			var doc junitSuites
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("not valid XML: %v\n%s", err, buf.String())
			}
			if len(doc.Suites) != 1 {
				t.Fatalf("%d test suites, want 1", len(doc.Suites))
			}
			s := doc.Suites[0]
			fails, skips := 0, 0
			for _, c := range s.Cases {
				if c.Failure != nil {
					fails++
					if c.Failure.Message == "" || c.Failure.Text == "" {
						t.Errorf("test case %q fails without a reason", c.Name)
					}
				}
				if c.Skipped != nil {
					skips++
				}
			}
			if s.Tests != len(s.Cases) || s.Failures != fails || s.Skipped != skips || doc.Tests != s.Tests || doc.Failures != fails {
				t.Errorf("counts: suite tests=%d failures=%d skipped=%d, cases %d failing %d skipped %d", s.Tests, s.Failures, s.Skipped, len(s.Cases), fails, skips)
			}
			wantCases := 2 + len(f.d.Segments) + len(f.d.Latency.Constraints) + len(f.d.Format.Constraints)
			if e := f.d.Economics; e != nil && e.Enforced {
				wantCases++
			}
			if len(s.Cases) != wantCases {
				t.Errorf("%d test cases, want %d", len(s.Cases), wantCases)
			}
			if (fails > 0) != (f.d.ExitCode != 0) {
				t.Errorf("%d failing test cases with exit code %d", fails, f.d.ExitCode)
			}
			for _, seg := range f.d.Segments {
				found := false
				for _, c := range s.Cases {
					found = found || c.Name == "segment: "+xmlText(seg.Name)
				}
				if !found {
					t.Errorf("no test case for segment %q", seg.Name)
				}
			}
		})
	}
}

func TestJUnitHostileNamesStayText(t *testing.T) {
	t.Parallel()
	var h fixture
	for _, f := range fixtures() {
		if f.name == "hostile" {
			h = f
		}
	}
	var buf bytes.Buffer
	if err := JUnit(&buf, h.d, h.names); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script") || strings.Contains(out, "<img") {
		t.Errorf("markup from a name reached the XML unescaped:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("the escaped name is missing:\n%s", out)
	}
	if strings.ContainsFunc(out, visible.IsBidi) || !strings.Contains(out, `\u202etxt.exe`) {
		t.Errorf("a bidirectional control reached the XML unescaped:\n%s", out)
	}
}
