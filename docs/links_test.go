// Package docs holds ftgate's documentation; its test checks that every
// link from one page of the repository to another, or to a heading, leads
// somewhere.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// pages are the documents a user reads, relative to the repository root
// (patterns for filepath.Glob). Goldens and generated tables are left out.
var pages = []string{
	"README.md",
	"CHANGELOG.md",
	"docs/*.md",
	"bench/README.md",
	"examples/README.md",
	"examples/*/README.md",
	"testdata/oracle/README.md",
}

// inlineLink matches [text](target) and ![alt](target); the target ends at
// the first space or closing parenthesis (a title after it is ignored).
var inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)[^)]*\)`)

// inlineCode matches a code span, whose text is not a link.
var inlineCode = regexp.MustCompile("`+[^`]*`+")

// TestLinks checks every relative link of the pages: the file or folder it
// names exists, and its #fragment, if any, is a heading of that Markdown
// file as GitHub anchors it.
func TestLinks(t *testing.T) {
	root := filepath.Join("..")
	var files []string
	for _, p := range pages {
		m, err := filepath.Glob(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d pages: %q", len(files), files)
	}
	anchors := map[string]map[string]bool{}
	anchorsOf := func(path string) map[string]bool {
		if a, ok := anchors[path]; ok {
			return a
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a := headingAnchors(string(data))
		anchors[path] = a
		return a
	}
	checked := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		for n, line := range proseLines(string(data)) {
			if line == "" {
				continue
			}
			for _, m := range inlineLink.FindAllStringSubmatch(inlineCode.ReplaceAllString(line, ""), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				checked++
				path, fragment, _ := strings.Cut(target, "#")
				dest := file
				if path != "" {
					dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
					if _, err := os.Stat(dest); err != nil {
						t.Errorf("%s:%d: link %q: no such file or folder", rel, n+1, target)
						continue
					}
				}
				if fragment == "" {
					continue
				}
				if !strings.HasSuffix(dest, ".md") {
					t.Errorf("%s:%d: link %q: a fragment on a file that is not Markdown", rel, n+1, target)
					continue
				}
				if !anchorsOf(dest)[fragment] {
					t.Errorf("%s:%d: link %q: %s has no heading with the anchor #%s", rel, n+1, target, filepath.Base(dest), fragment)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d links: is the link pattern still right?", checked)
	}
}

// proseLines returns the page's lines with those of fenced code blocks
// blanked, so that line numbers stay those of the file.
func proseLines(text string) []string {
	lines := strings.Split(text, "\n")
	fence := ""
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			lines[i] = ""
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			lines[i] = ""
		}
	}
	return lines
}

// headingAnchors returns the anchors GitHub gives a page's ATX headings:
// the heading's text in lower case, without punctuation other than hyphens
// and underscores, spaces turned into hyphens; a repeated anchor gets -1,
// -2, ... in order.
func headingAnchors(text string) map[string]bool {
	seen := map[string]int{}
	anchors := map[string]bool{}
	for _, line := range proseLines(text) {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimLeft(line, "#")
		if len(line)-len(title) > 6 || (title != "" && title[0] != ' ') {
			continue
		}
		a := slug(strings.TrimSpace(title))
		if k := seen[a]; k > 0 {
			anchors[a+"-"+itoa(k)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	}
	return anchors
}

func slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(k int) string {
	const digits = "0123456789"
	if k < 10 {
		return digits[k : k+1]
	}
	return itoa(k/10) + digits[k%10:k%10+1]
}

// The anchors of a few headings, as GitHub writes them.
func TestSlug(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"9. Where ftgate departs from the textbook methods, or fills a gap", "9-where-ftgate-departs-from-the-textbook-methods-or-fills-a-gap"},
		{"3.3 The gate's cost rule, and why it changed", "33-the-gates-cost-rule-and-why-it-changed"},
		{"Detection and `--format`", "detection-and---format"},
		{"12. Sequential mode: evidence that accumulates", "12-sequential-mode-evidence-that-accumulates"},
		{"What a user pins", "what-a-user-pins"},
	} {
		if got := slug(c.title); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.title, got, c.want)
		}
	}
	a := headingAnchors("# A\n## A\n```\n# not a heading\n```\n#hashtag\n### A\n")
	for _, want := range []string{"a", "a-1", "a-2"} {
		if !a[want] {
			t.Errorf("no anchor %q in %v", want, a)
		}
	}
	if len(a) != 3 {
		t.Errorf("anchors %v, want three", a)
	}
}
