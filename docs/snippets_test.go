package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
)

// setSpan matches a code span that is one or more --set options with
// concrete values, and flowSpan one that is a policy block in YAML flow
// style (`statistics: {sequential: true}`).
var (
	setSpan  = regexp.MustCompile("`((?:--set [a-z_.0-9-]+=[^ `]+ ?)+)`")
	flowSpan = regexp.MustCompile("`([a-z_]+: \\{[^`{}]*\\})`")
)

// invalidOnPurpose are spans the pages quote as mistakes.
var invalidOnPurpose = map[string]bool{
	"--set power.target=2": true, // methods.md: an out-of-range value on the command line is an error
}

// TestPolicySnippets gives every --set example and every policy block
// written inline in the pages to the policy parser: the README and the
// docs must not show policy syntax that ftgate refuses.
func TestPolicySnippets(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "README.md"))
	checked := 0
	seen := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// A code span may wrap onto the next line; it reads as one space.
		text := strings.Join(proseLines(string(data)), " ")
		rel, _ := filepath.Rel("..", file)
		for _, m := range setSpan.FindAllStringSubmatch(text, -1) {
			span := strings.TrimSpace(m[1])
			if invalidOnPurpose[span] || strings.Contains(span, "...") {
				continue
			}
			seen[span] = true
			var sets []gate.Override
			for _, kv := range strings.Split(strings.TrimPrefix(span, "--set "), " --set ") {
				o, err := gate.ParseOverride(kv)
				if err != nil {
					t.Errorf("%s: `%s`: %v", rel, span, err)
					continue
				}
				sets = append(sets, o)
			}
			checked++
			if _, err := gate.ParsePolicy("", nil, sets...); err != nil {
				t.Errorf("%s: `%s` is refused: %v", rel, span, err)
			}
		}
		for _, m := range flowSpan.FindAllStringSubmatch(text, -1) {
			checked++
			if _, err := gate.ParsePolicy("snippet.yaml", []byte(m[1]+"\n")); err != nil {
				t.Errorf("%s: `%s` is refused: %v", rel, m[1], err)
			}
		}
	}
	// The README's own examples, found and checked.
	for _, span := range []string{"--set cost.required=false", "--set pricing.my-model.input_per_mtok=0.4 --set pricing.my-model.output_per_mtok=1.6"} {
		if !seen[span] {
			t.Errorf("README.md: `%s` was not found", span)
		}
	}
	if checked < 5 {
		t.Errorf("checked only %d snippets: are the patterns still right?", checked)
	}
}
