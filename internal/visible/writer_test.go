package visible

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// hostile holds text that the runner or a terminal would act on.
var hostile = []string{
	"k\n::error title=X::forged",
	"::set-output name=verdict::pass",
	"::add-mask::ftgate",
	"  \t::warning::indented",
	"\u00a0\u3000::notice::unicode spaces",
	"\u0085::error::after NEL",
	"x\u2028::error::after LS",
	"a\r::error::after CR",
	"a\r\n::error::after CRLF",
	"see ##[error]legacy",
	"###[error]three",
	"##[##[",
	"\x1b[2J\x1b]0;title\x07\x1b[31mred",
	"\u009b31m C1 CSI",
	"\u202eevil\u2066",
	"\xff\xfe::error::invalid",
	"::stop-commands::tok",
	"trailing #",
	"trailing ##",
	"trailing :",
}

func guarded(t *testing.T, opts Options, writes ...string) string {
	t.Helper()
	var buf bytes.Buffer
	g := NewWriter(&buf, opts)
	for _, w := range writes {
		if n, err := g.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", w, n, err)
		}
	}
	if err := g.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkInert fails when any line of out could be read as a workflow
// command, or out holds an unsafe rune or invalid UTF-8.
func checkInert(t *testing.T, in, out string) {
	t.Helper()
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if IsCommandLine(line) {
			t.Errorf("%q: line %q reads as a workflow command", in, line)
		}
	}
	if !utf8.ValidString(out) || strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && r != '\t' && Unsafe(r) }) {
		t.Errorf("%q: output %q has an unsafe rune", in, out)
	}
}

func TestWriter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"verdict: PASS\n  - fine\tok\n", "verdict: PASS\n  - fine\tok\n"},
		{"ft:gpt-4.1-nano:acme:v3 a :: b\n", "ft:gpt-4.1-nano:acme:v3 a :: b\n"},
		{"k\n::error title=X::forged", "k\n:\\x3aerror title=X::forged"},
		{"  \t::warning::x\n", "  \t:\\x3awarning::x\n"},
		{"\u00a0\u3000::notice::x", "\u00a0\u3000:\\x3anotice::x"},
		{"\u0085::error::x", `\x85::error::x`},
		{"a\r::error::x", `a\x0d::error::x`},
		{"see ##[error]x", `see #\x23[error]x`},
		{"###[e]", `##\x23[e]`},
		{"##[##[", `#\x23[#\x23[`},
		{"# a ## b #[ c", "# a ## b #[ c"},
		{":x\n: :y\n::", ":x\n: :y\n:\\x3a"},
		{"trailing ##", "trailing ##"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\u009b31m \u202e \u2028 \x7f", `\x9b31m \u202e \u2028 \x7f`},
		{"\xff\xfe \xe2\x82", `\xff\xfe \xe2\x82`},
	} {
		got := guarded(t, Options{}, tc.in)
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
		checkInert(t, tc.in, got)
	}
}

// Output does not depend on how the input is cut into writes: every cut
// point, and one byte at a time.
func TestWriterSplitWrites(t *testing.T) {
	t.Parallel()
	for _, in := range hostile {
		in := "text " + in + "\n" + in
		whole := guarded(t, Options{}, in)
		checkInert(t, in, whole)
		for i := 0; i <= len(in); i++ {
			if got := guarded(t, Options{}, in[:i], in[i:]); got != whole {
				t.Errorf("%q cut at %d: %q, want %q", in, i, got, whole)
			}
		}
		var bytewise []string
		for i := 0; i < len(in); i++ {
			bytewise = append(bytewise, in[i:i+1])
		}
		if got := guarded(t, Options{}, bytewise...); got != whole {
			t.Errorf("%q byte by byte: %q, want %q", in, got, whole)
		}
	}
}

// Finished lines are written at once, an unfinished one only at its end
// or at Flush.
func TestWriterHoldsUnfinishedLines(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	g := NewWriter(&buf, Options{})
	g.Write([]byte("one\ntw"))
	if buf.String() != "one\n" {
		t.Errorf("after one write: %q", buf.String())
	}
	g.Write([]byte("o\nthree"))
	if buf.String() != "one\ntwo\n" {
		t.Errorf("after two writes: %q", buf.String())
	}
	g.Flush()
	if buf.String() != "one\ntwo\nthree" {
		t.Errorf("after Flush: %q", buf.String())
	}
	// A very long line is written in pieces, still guarded.
	buf.Reset()
	g = NewWriter(&buf, Options{})
	long := strings.Repeat(" ", maxHeld+10) + "::error::x"
	g.Write([]byte(long[:maxHeld+5]))
	if buf.Len() == 0 {
		t.Errorf("a line longer than %d bytes is held whole", maxHeld)
	}
	g.Write([]byte(long[maxHeld+5:]))
	g.Flush()
	checkInert(t, "long", buf.String())
}

func TestWriterSGR(t *testing.T) {
	t.Parallel()
	in := "\x1b[1;31mFAIL\x1b[0m \x1b[2J \x1b]8;;http://x\x07\n \x1b[0m::error::x\n"
	want := "\x1b[1;31mFAIL\x1b[0m \\x1b[2J \\x1b]8;;http://x\\x07\n \x1b[0m:\\x3aerror::x\n"
	if got := guarded(t, Options{SGR: true}, in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for i := 0; i <= len(in); i++ {
		if got := guarded(t, Options{SGR: true}, in[:i], in[i:]); got != want {
			t.Errorf("cut at %d: %q", i, got)
		}
	}
	if got := guarded(t, Options{SGR: true}, "\x1b[3"); got != `\x1b[3` {
		t.Errorf("unfinished SGR at the end: %q", got)
	}
}

func TestCommand(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	g := NewWriter(&buf, Options{})
	g.Write([]byte("partial"))
	err := g.Command("error", [][2]string{{"title", "a:b,c ##[x] 50%\n"}, {"file", ""}}, "line1\nline2\r ##[error] \x1b[2J 100%")
	if err != nil {
		t.Fatal(err)
	}
	g.Write([]byte("::after\n"))
	g.Flush()
	want := "partial\n::error title=a%3Ab%2Cc #\\x23[x] 50%25%0A::line1%0Aline2\\x0d #\\x23[error] \\x1b[2J 100%25\n:\\x3aafter\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range [][2]string{{"set-output\nx", "title"}, {"error", "ti tle"}, {"Error", "title"}} {
		if err := g.Command(bad[0], [][2]string{{bad[1], "v"}}, ""); err == nil {
			t.Errorf("Command(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterReportsWriteErrors(t *testing.T) {
	t.Parallel()
	g := NewWriter(failWriter{}, Options{})
	if _, err := g.Write([]byte("line\n")); err == nil {
		t.Error("no error from a failing writer")
	}
	if err := g.Flush(); err == nil {
		t.Error("Flush forgot the error")
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	values := map[string]string{}
	for i, h := range hostile {
		values[string(rune('a'+i))] = h
	}
	values["##[key]"] = "::x"
	raw, err := json.MarshalIndent(values, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	safe := JSON(raw)
	if bytes.Contains(safe, []byte("##[")) {
		t.Errorf("##[ left in %s", safe)
	}
	var back map[string]string
	if err := json.Unmarshal(safe, &back); err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		if !utf8.ValidString(v) { // encoding/json writes U+FFFD for invalid bytes
			continue
		}
		if back[k] != v {
			t.Errorf("%q: read back %q, want %q", k, back[k], v)
		}
	}
	if got := guarded(t, Options{}, string(safe)); got != string(safe) {
		t.Errorf("the guard changed the JSON:\n%s\nto\n%s", safe, got)
	}
	if plain := []byte(`{"a": "b"}`); &JSON(plain)[0] != &plain[0] {
		t.Error("clean JSON copied")
	}
}

func TestXML(t *testing.T) {
	t.Parallel()
	if got := string(XML([]byte(`<a t="##[x">###[y</a>`))); got != `<a t="&#35;#[x">#&#35;#[y</a>` {
		t.Errorf("XML = %s", got)
	}
}

// FuzzWriter: whatever the input and however it is cut, no line reads as
// a command, no unsafe rune is left, and the cut does not matter.
func FuzzWriter(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, uint(3), false)
	}
	f.Fuzz(func(t *testing.T, in string, cut uint, sgr bool) {
		opts := Options{SGR: sgr}
		whole := guarded(t, opts, in)
		i := int(cut % uint(len(in)+1))
		if got := guarded(t, opts, in[:i], in[i:]); got != whole {
			t.Fatalf("cut at %d: %q, whole %q", i, got, whole)
		}
		for _, line := range strings.FieldsFunc(whole, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if IsCommandLine(line) {
				t.Fatalf("line %q reads as a command", line)
			}
		}
		if !utf8.ValidString(whole) {
			t.Fatalf("invalid UTF-8 in %q", whole)
		}
		if !sgr && strings.ContainsFunc(whole, func(r rune) bool { return r != '\n' && r != '\t' && Unsafe(r) }) {
			t.Fatalf("unsafe rune in %q", whole)
		}
	})
}

// TestStatus: a status line is drawn only on a writer for a terminal,
// replaced by the next one, erased before other output, never drawn in
// the middle of a line, and escaped like everything else.
func TestStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status bool
		steps  func(w *Writer)
		want   string
	}{
		{"off", false, func(w *Writer) { w.Status("reading", 80); w.Write([]byte("done\n")) }, "done\n"},
		{"drawn and erased", true, func(w *Writer) {
			w.Status("reading", 80)
			w.Status("pairing", 80)
			w.Write([]byte("done\n"))
		}, "\r\x1b[Kreading\r\x1b[Kpairing\r\x1b[Kdone\n"},
		{"erased by Status empty", true, func(w *Writer) { w.Status("x", 80); w.Status("", 80); w.Status("", 80) }, "\r\x1b[Kx\r\x1b[K"},
		{"not mid-line", true, func(w *Writer) { w.Write([]byte("half")); w.Status("x", 80); w.Write([]byte(" line\n")) }, "half line\n"},
		{"escaped and cut", true, func(w *Writer) { w.Status("a\x1b[2Jb\rcdefgh", 8) }, "\r\x1b[Ka\\x1b[2J"},
		{"before a command", true, func(w *Writer) { w.Status("x", 80); w.Command("notice", nil, "n") }, "\r\x1b[Kx\r\x1b[K::notice::n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, Options{Status: tc.status})
			tc.steps(w)
			w.Flush()
			if got := buf.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
