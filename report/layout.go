package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// The terminal report is laid out for a fixed width: tables shrink their
// text columns (names, results) and wrap or abbreviate them, never a
// number, and sentences wrap at spaces without splitting a number from its
// unit or an interval across lines.

// DefaultWidth is the widest line of the terminal report, in columns.
const DefaultWidth = 100

// A style is how a piece of terminal text is marked when colour is on.
type style uint8

const (
	plain style = iota
	bold
	red
	green
	yellow
	dim
)

// sgr holds the Select Graphic Rendition sequence of each style.
var sgr = [...]string{plain: "", bold: "\x1b[1m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", dim: "\x1b[2m"}

// painter writes styled text, with or without colour.
type painter struct{ color bool }

func (p painter) paint(s string, st style) string {
	if !p.color || st == plain || s == "" {
		return s
	}
	return sgr[st] + s + "\x1b[0m"
}

// width is the number of columns s takes (one per rune: ftgate's own text
// and the reports' symbols are all single-width).
func width(s string) int { return utf8.RuneCountInString(s) }

// abbreviate shortens s to at most n columns by cutting out its middle,
// marked with "…": names of one family often differ only at the end
// ("support-rag-v7-small", "support-rag-v7-medium").
func abbreviate(s string, n int) string {
	if width(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	r := []rune(s)
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// units are words that stay on the line of the number before them.
var units = map[string]bool{"pts": true, "ms": true, "months": true}

// operators stay on the line of the words on both sides ("p = 0.0001",
// "≤ α = 0.05").
var operators = map[string]bool{"=": true, "≤": true, "<": true, ">": true, "≥": true, "→": true}

// wordsOf splits text into the pieces that wrapping keeps whole: words,
// a number with its unit ("+8.8 pts"), and bracketed intervals with their
// unit ("[+5.8, +11.9] pts").
func wordsOf(text string) []string {
	raw := strings.Fields(text)
	var out []string
	depth := 0
	glue := false // the previous word is an operator that binds the next
	for _, w := range raw {
		join := len(out) > 0 && (depth > 0 || glue || units[strings.TrimRight(w, ".,;:)")] || operators[w])
		glue = operators[w]
		if join {
			out[len(out)-1] += " " + w
		} else {
			out = append(out, w)
		}
		depth += strings.Count(w, "[") - strings.Count(w, "]")
		if depth < 0 {
			depth = 0
		}
	}
	return out
}

// wrap breaks text into lines of at most width columns: the first line
// starts with first, the others with rest (both count toward the width).
// A piece longer than a line is abbreviated unless it holds a digit, in
// which case it is left whole: a number is never cut.
func wrap(text string, limit int, first, rest string) []string {
	return wrapWords(text, limit, first, rest, false)
}

// wrapName is wrap for a table cell of names and words, where any piece
// too long for the cell is abbreviated (a name such as "gpt-4.1-mini" is
// not a number of the report).
func wrapName(text string, limit int) []string { return wrapWords(text, limit, "", "", true) }

func wrapWords(text string, limit int, first, rest string, names bool) []string {
	var lines []string
	line, prefix := "", first
	for _, w := range wordsOf(text) {
		room := limit - width(prefix)
		if names || !strings.ContainsAny(w, "0123456789") {
			w = abbreviate(w, room)
		}
		switch {
		case line == "":
			line = w
		case width(line)+1+width(w) <= room:
			line += " " + w
		default:
			lines = append(lines, prefix+line)
			prefix, line = rest, w
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, prefix+line)
	}
	return lines
}

// A cell is one table cell: its text and its style.
type cell struct {
	text  string
	style style
}

// c makes a plain cell.
func c(s string) cell { return cell{text: s} }

// A column describes how a table column lays out.
type column struct {
	// right aligns the column to the right (numbers).
	right bool
	// flex columns hold words (names, results): when the table is too
	// wide they narrow, down to minFlex columns, and their text wraps
	// onto more lines (a single long word is abbreviated).
	flex bool
}

// minFlex is the narrowest a flexible column becomes.
const minFlex = 10

// A table is a terminal table with a header row.
type table struct {
	indent string
	cols   []column
	header []string
	rows   [][]cell
}

// add appends a row; cells beyond the table's columns are dropped, so a
// row can be written once for a table with or without its last columns.
func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells[:min(len(cells), len(t.cols))]) }

// write lays the table out within max columns and writes it.
func (t *table) write(w io.Writer, limit int, pt painter) {
	n := len(t.cols)
	widths := make([]int, n)
	measure := func(i int, s string) { widths[i] = max(widths[i], width(s)) }
	for i, h := range t.header {
		measure(i, h)
	}
	for _, r := range t.rows {
		for i, x := range r {
			measure(i, x.text)
		}
	}
	gap := 2
	total := func() int {
		s := width(t.indent) + gap*(n-1)
		for _, x := range widths {
			s += x
		}
		return s
	}
	// Narrow the widest flexible column, one column at a time, until the
	// table fits or no flexible column can give more.
	for total() > limit {
		widest := -1
		for i, col := range t.cols {
			if col.flex && widths[i] > minFlex && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest] = max(minFlex, widths[widest]-(total()-limit))
	}
	emit := func(cells []cell) {
		// Each cell becomes one or more lines.
		lines := make([][]string, n)
		height := 1
		for i := range n {
			text := ""
			if i < len(cells) {
				text = cells[i].text
			}
			if t.cols[i].flex && width(text) > widths[i] {
				lines[i] = wrapName(text, widths[i])
			} else {
				lines[i] = []string{text}
			}
			height = max(height, len(lines[i]))
		}
		for k := range height {
			var b strings.Builder
			b.WriteString(t.indent)
			last := n - 1
			for last > 0 && (k >= len(lines[last]) || lines[last][k] == "") {
				last--
			}
			for i := 0; i <= last; i++ {
				s := ""
				if k < len(lines[i]) {
					s = lines[i][k]
				}
				pad := strings.Repeat(" ", max(0, widths[i]-width(s)))
				st := plain
				if i < len(cells) {
					st = cells[i].style
				}
				if t.cols[i].right {
					b.WriteString(pad + pt.paint(s, st))
				} else if i < last {
					b.WriteString(pt.paint(s, st) + pad)
				} else {
					b.WriteString(pt.paint(s, st))
				}
				if i < last {
					b.WriteString(strings.Repeat(" ", gap))
				}
			}
			io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
		}
	}
	if t.header != nil {
		h := make([]cell, len(t.header))
		for i, x := range t.header {
			h[i] = cell{x, dim}
		}
		emit(h)
	}
	for _, r := range t.rows {
		emit(r)
	}
}
