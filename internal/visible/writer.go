package visible

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The GitHub Actions runner reads every line a step prints, on standard
// output and standard error alike, and acts on two forms of workflow
// command (actions/runner, ActionCommand.TryParseV2 and TryParse):
//
//   - "::name props::data": the line, trimmed of white space as .NET's
//     String.Trim does (unicode.IsSpace), starts with "::";
//   - "##[name props]data": "##[" anywhere in the line.
//
// It splits lines at \n, \r and \r\n. A scorecard whose workflow is named
// "::error::x", "::add-mask::..." or "a ##[error]b" would otherwise forge
// an annotation, hide log text or set an output from ftgate's report.

// IsCommandLine reports whether the runner could read line (one line,
// without its line break) as a workflow command.
func IsCommandLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") || strings.Contains(line, "##[")
}

// Options configure a Writer.
type Options struct {
	// SGR lets well-formed Select Graphic Rendition sequences (ESC [
	// digits and semicolons m: colour, bold, reset) through unchanged.
	// Set it only for a terminal; every other escape sequence is still
	// shown as text.
	SGR bool
	// Status lets Status show a line that redraws itself (a carriage
	// return, then an erase to the end of the line). Set it only for a
	// terminal; without it Status writes nothing.
	Status bool
}

// maxHeld bounds the bytes of an unfinished line a Writer holds: a longer
// line is written out in pieces (still escaped, with its state kept).
const maxHeld = 64 << 10

// A Writer passes a stream through to another writer with every line
// made inert: unsafe runes and invalid bytes escaped as Escape does (the
// line break \n and the tab are kept), "##[" anywhere written as
// "#\x23[", and "::" after a line's leading white space written as
// ":\x3a". No line it writes can be read as a workflow command or move a
// terminal's cursor; Command is the only way to write a real command.
//
// It holds an unfinished line until its end (or until Flush), so lines
// written to two streams that share a file are not interleaved mid-line.
// Flush must be called when the stream ends. A Writer is safe for
// concurrent use.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	opts Options
	in   []byte // input not yet processed: an unfinished rune or marker
	out  []byte // processed output not yet written
	lead bool   // nothing but white space so far on the current line
	err  error
	// status is true while a status line is shown: the next write
	// erases it first.
	status bool
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer, opts Options) *Writer {
	return &Writer{w: w, opts: opts, lead: true}
}

// Write processes p; it returns len(p) unless an earlier write to the
// underlying writer failed.
func (g *Writer) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return 0, g.err
	}
	g.in = append(g.in, p...)
	g.process(false)
	g.clearStatus()
	g.emit(false)
	if g.err != nil {
		return 0, g.err
	}
	return len(p), nil
}

// Flush writes out everything held, an unfinished last line included.
func (g *Writer) Flush() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.process(true)
	g.clearStatus()
	g.emit(true)
	return g.err
}

// statusErase returns to the start of the line and erases it (ESC [ K).
const statusErase = "\r\x1b[K"

// Status shows text (one line, escaped as Escape does, cut to width runes)
// as a status line on a terminal: it replaces the status line shown
// before and is erased by the next write, so progress can be shown while
// nothing else is printed. It writes nothing unless Options.Status is set,
// or while an unfinished line is held; Status("") erases the status line.
func (g *Writer) Status(text string, width int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opts.Status || g.err != nil || len(g.in) > 0 || len(g.out) > 0 || !g.lead {
		return g.err
	}
	line := Escape(text, nil)
	if r := []rune(line); len(r) > width {
		line = string(r[:width])
	}
	b := statusErase + line
	if text == "" {
		if !g.status {
			return nil
		}
		b = statusErase
	}
	_, g.err = io.WriteString(g.w, b)
	g.status = text != ""
	return g.err
}

// clearStatus erases a status line shown before output that is about to
// be written.
func (g *Writer) clearStatus() {
	if g.status && len(g.out) > 0 {
		g.out = append([]byte(statusErase), g.out...)
		g.status = false
	}
}

// emit writes the finished lines of out, or all of it when all is true or
// the unfinished line is too long to hold.
func (g *Writer) emit(all bool) {
	n := len(g.out)
	if !all && n <= maxHeld {
		n = strings.LastIndexByte(string(g.out), '\n') + 1
	}
	if n == 0 || g.err != nil {
		return
	}
	_, g.err = g.w.Write(g.out[:n])
	g.out = append(g.out[:0], g.out[n:]...)
}

// process moves g.in to g.out, escaped; unless final, it stops before an
// unfinished rune or a possible marker at the end of the input.
func (g *Writer) process(final bool) {
	in := g.in
	i := 0
loop:
	for i < len(in) {
		c, rest := in[i], in[i:]
		n, lead := 1, false
		switch {
		case c == '\n':
			g.out = append(g.out, c)
			lead = true
		case c == ' ' || c == '\t':
			g.out = append(g.out, c)
			lead = g.lead
		case c == '#':
			if !final && len(rest) < 3 && strings.HasPrefix("##[", string(rest)) {
				break loop
			}
			if strings.HasPrefix(string(rest), "##[") {
				g.out = append(g.out, `#\x23[`...)
				n = 3
			} else {
				g.out = append(g.out, c)
			}
		case c == ':' && g.lead:
			if !final && len(rest) < 2 {
				break loop
			}
			if len(rest) >= 2 && rest[1] == ':' {
				g.out = append(g.out, `:\x3a`...)
				n = 2
			} else {
				g.out = append(g.out, c)
			}
		case c == 0x1b && g.opts.SGR:
			m := sgrLen(rest)
			if m < 0 && !final {
				break loop
			}
			if m > 0 {
				g.out = append(g.out, rest[:m]...)
				n, lead = m, g.lead
			} else {
				g.out = append(g.out, `\x1b`...)
			}
		case c < utf8.RuneSelf:
			if IsControl(rune(c)) {
				g.out = append(g.out, escapeRune(rune(c))...)
			} else {
				g.out = append(g.out, c)
			}
		default:
			if !final && !utf8.FullRune(rest) {
				break loop
			}
			r, size := utf8.DecodeRune(rest)
			n = size
			switch {
			case r == utf8.RuneError && size == 1:
				g.out = fmt.Appendf(g.out, `\x%02x`, c)
			case Unsafe(r):
				g.out = append(g.out, escapeRune(r)...)
			default:
				g.out = append(g.out, rest[:size]...)
				lead = g.lead && unicode.IsSpace(r)
			}
		}
		g.lead = lead
		i += n
	}
	g.in = append(g.in[:0], in[i:]...)
}

// sgrLen returns the length of the SGR sequence ESC [ [0-9;]* m at the
// start of b, 0 when b does not start with one, and -1 when b could be
// the start of one (it ends too early to tell).
func sgrLen(b []byte) int {
	const maxSGR = 32
	for i := 1; i < len(b) && i < maxSGR; i++ {
		c := b[i]
		switch {
		case i == 1 && c != '[':
			return 0
		case i == 1:
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9', c == ';':
		default:
			return 0
		}
	}
	if len(b) >= maxSGR {
		return 0
	}
	return -1
}

var (
	commandName = regexp.MustCompile(`^[a-z][a-z-]*$`)
	propertyKey = regexp.MustCompile(`^[a-z][a-zA-Z]*$`)
)

// Command writes one workflow command, "::name key=value,...::data", on
// a line of its own (an unfinished line is ended first). The values and
// the data are escaped as Escape does (the data keeps its line breaks)
// with "##[" written as "#\x23[", then as the runner's command syntax
// requires: "%" as %25, \r as %0D, \n as %0A, and in property values ":"
// as %3A and "," as %2C. name and the keys are ftgate's own and must be
// lowercase words; a property with an empty value is left out.
func (g *Writer) Command(name string, props [][2]string, data string) error {
	if !commandName.MatchString(name) {
		return fmt.Errorf("workflow command name %q is not a lowercase word", name)
	}
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	sep := " "
	for _, kv := range props {
		if !propertyKey.MatchString(kv[0]) {
			return fmt.Errorf("workflow command property %q is not a word", kv[0])
		}
		if kv[1] == "" {
			continue
		}
		b.WriteString(sep)
		b.WriteString(kv[0])
		b.WriteByte('=')
		b.WriteString(commandValue(kv[1], true))
		sep = ","
	}
	b.WriteString("::")
	b.WriteString(commandValue(data, false))
	b.WriteByte('\n')

	g.mu.Lock()
	defer g.mu.Unlock()
	g.process(true)
	if len(g.out) > 0 && g.out[len(g.out)-1] != '\n' {
		g.out = append(g.out, '\n')
	}
	if g.status {
		g.out = append([]byte(statusErase), g.out...)
		g.status = false
	}
	g.out = append(g.out, b.String()...)
	g.lead = true
	g.emit(true)
	return g.err
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func commandValue(s string, property bool) string {
	s = strings.ReplaceAll(Escape(s, func(r rune) bool { return r == '\n' || r == '\t' }), "##[", `#\x23[`)
	if property {
		return propertyEscaper.Replace(s)
	}
	return dataEscaper.Replace(s)
}
