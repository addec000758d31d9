package browser_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostile are strings a pull request could put in a scorecard, each trying
// to run script in the page (setting the sentinel window.__pwned) or to
// change it: tags, event handlers, attribute and element breakouts,
// javascript: links, template syntax, HTML entities, comments, line and
// paragraph separators and bidirectional overrides.
var hostile = []string{
	`<img src=x onerror="window.__pwned=1">`,
	`</script><script>window.__pwned=2</script>`,
	`javascript:window.__pwned=3//`,
	`"><svg onload=window.__pwned=4>`,
	`' onmouseover='window.__pwned=5' x='`,
	`{{.CSP}} {{template "chart" .}} ${window.__pwned=6}`,
	"line\u2028sep\u2029para \u202eexe.txt\u202c <b>bold</b> ##[error]forged",
	`</title></desc></text></svg><script>window.__pwned=7</script>`,
	`</style><style>body{display:none}</style>`,
	`&lt;script&gt;window.__pwned=8&lt;/script&gt; <!-- x -->`,
	`<a href="javascript:window.__pwned=9">click</a>`,
	`<iframe srcdoc="<script>parent.__pwned=10</script>"></iframe>`,
}

// writeHostile writes a baseline and a candidate scorecard whose system
// names, file names, workflows, failure classes and case ids are hostile
// strings. The workflow named hostile[0] regresses, so that its name is
// quoted in the reasons too; the candidate's header claims the baseline
// role, so that a warning quotes a file name.
func writeHostile(t *testing.T, dir string) (baseline, candidate string) {
	t.Helper()
	workflows := []string{hostile[0], hostile[1], hostile[2], hostile[6]}
	classes := []string{hostile[3], hostile[4], hostile[5], hostile[7], hostile[8], hostile[9]}
	write := func(file, name, role string, accept func(w, i int) bool) string {
		var b strings.Builder
		line := func(v any) {
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
			b.WriteByte('\n')
		}
		line(map[string]any{"scorecard": 1, "system": map[string]any{"name": name, "role": role, "model": hostile[10]}})
		for w, wf := range workflows {
			for i := range 40 {
				c := map[string]any{
					"id":       fmt.Sprintf("%s #%d-%02d", hostile[(w+i)%len(hostile)], w, i),
					"workflow": wf,
					"cluster":  fmt.Sprintf("%s/%d", hostile[11], (w*40+i)/2),
					"accepted": accept(w, i),
					"cost_usd": 0.001 + 0.0001*float64(i%7),
				}
				if !accept(w, i) {
					c["failure_class"] = classes[(w+i)%len(classes)]
				}
				line(c)
			}
		}
		path := filepath.Join(dir, file)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	baseline = write(`base <img src=x onerror=window.__pwned=11>.jsonl`, hostile[1]+" baseline", "baseline",
		func(w, i int) bool { return i%10 < 8 })
	candidate = write(`cand "javascript:window.__pwned=12".jsonl`, hostile[0]+" candidate", "baseline",
		func(w, i int) bool {
			if w == 0 {
				return i%10 < 3 // the regression
			}
			return i%10 < 9
		})
	return baseline, candidate
}

// injected looks, in the page, for anything the hostile strings could have
// added: the sentinel, elements and attributes that run or load, script or
// style beyond the page's own, svg beyond the charts, links anywhere but to
// the page's own sections. It also reads the page's text.
const injected = `(() => {
  const out = [];
  if (typeof window.__pwned !== "undefined") out.push("sentinel set: window.__pwned = " + window.__pwned);
  for (const sel of ["img", "iframe", "object", "embed", "b", "base", "form", "input", "textarea", "meta[http-equiv=refresh]"]) {
    const n = document.querySelectorAll(sel).length;
    if (n) out.push(n + " " + sel + " element(s)");
  }
  if (document.scripts.length !== 1) out.push(document.scripts.length + " script elements");
  if (document.querySelectorAll("style").length !== 1) out.push(document.querySelectorAll("style").length + " style elements");
  const charts = document.querySelectorAll("svg.chart").length, svgs = document.querySelectorAll("svg").length;
  if (svgs !== charts) out.push((svgs - charts) + " svg element(s) that are not charts");
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.push("attribute " + a.name + " on " + el.tagName);
      if (/^(href|src|xlink:href|action|formaction|srcdoc)$/i.test(a.name) && !/^#[a-z]+$/.test(a.value)) out.push("attribute " + a.name + "=" + JSON.stringify(a.value) + " on " + el.tagName);
    }
  }
  if (getComputedStyle(document.body).display === "none") out.push("the body is hidden");
  return out;
})()`

// TestHostileScorecardInBrowser renders the report of scorecards full of
// hostile strings and opens it twice: as written, and with its
// Content-Security-Policy removed, so that the escaping is tested on its
// own and not only behind the policy. Nothing may run or be added, and the
// strings must read as the text they are.
func TestHostileScorecardInBrowser(t *testing.T) {
	browser := startBrowser(t)
	dir := t.TempDir()
	base, cand := writeHostile(t, dir)
	// The candidate's header names the baseline: the warning that says so
	// quotes a hostile system name at the top of the page.
	file, rep := compare(t, dir, []string{"--baseline", base, "--candidate", cand, "--ignore-roles"}, 1)
	if rep.Verdict != "fail" {
		t.Fatalf("verdict %q, want fail (the regressed workflow)", rep.Verdict)
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>\n?`)
	if !csp.Match(page) {
		t.Fatal("the page has no Content-Security-Policy")
	}
	noCSP := filepath.Join(dir, "no-csp.html")
	if err := os.WriteFile(noCSP, csp.ReplaceAll(page, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, file string }{{"with its policy", file}, {"without a policy", noCSP}} {
		t.Run(c.name, func(t *testing.T) {
			tb := open(t, browser, c.file, false)
			for _, p := range evalJS[[]string](tb, injected) {
				t.Error(p)
			}
			text := evalJS[string](tb, `document.body.innerText`)
			for _, want := range []string{
				`Segment "<img src=x onerror=\"window.__pwned=1\">" regresses`, // the reason quotes the workflow
				`</script><script>window.__pwned=2</script> baseline`,          // a system name
				`base <img src=x onerror=window.__pwned=11>.jsonl`,             // a file name
				`\u202eexe.txt\u202c`, // bidi controls, shown
				`is the baseline but was given as the candidate; compared as given`, // the input warning
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the page does not read %q", want)
				}
			}
			if strings.ContainsAny(text, "\u202e\u202c") {
				t.Error("a bidirectional control reached the page's text")
			}
			// The page works: the flipped cases filter and sort, and the
			// checks of every page hold.
			checkCaseTable(t, tb, rep)
			checkAudit(t, tb, c.name)
			tb.screenshot("hostile-" + strings.ReplaceAll(c.name, " ", "-"))
			if c.file == file {
				checkClean(t, tb, c.name)
			}
		})
	}
}
