package browser_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ftgate/ftgate/internal/cli"
	"github.com/ftgate/ftgate/internal/examplegen"
	"github.com/ftgate/ftgate/internal/visible"
)

// exampleArgs is the compare command line of an example folder. A batched
// example's runs are first pooled, batch by batch, with ftgate merge into
// tmp, as its README does.
func exampleArgs(t *testing.T, sc examplegen.Scenario, tmp string) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", sc.Name)
	policy := filepath.Join(dir, "gate.yaml")
	if sc.Batches > 1 {
		for _, y := range sc.Systems {
			stem := strings.TrimSuffix(y.File, ".jsonl")
			for k := 1; k <= sc.Batches; k++ {
				var out, errs bytes.Buffer
				args := []string{"merge", "--into", filepath.Join(tmp, y.File), filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl", stem, k))}
				if code := cli.Run(context.Background(), args, cli.Env{Stdout: &out, Stderr: &errs}); code != 0 {
					t.Fatalf("ftgate %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
				}
			}
		}
		dir = tmp
	}
	var args []string
	for _, y := range sc.Systems {
		if y.Role == "baseline" && !y.History {
			args = append(args, "--baseline", filepath.Join(dir, y.File))
		}
	}
	for _, y := range sc.Systems {
		if y.History {
			args = append(args, "--baseline-history", filepath.Join(dir, y.File))
		}
	}
	for _, y := range sc.Systems {
		if y.Role == "candidate" {
			args = append(args, "--candidate", filepath.Join(dir, y.File))
		}
	}
	return append(args, "--policy", policy)
}

// TestExamplesInBrowser renders every example's HTML report, opens it in
// Chromium in the light and the dark colour scheme, and checks it as a
// reviewer would use it; it saves a screenshot of each.
func TestExamplesInBrowser(t *testing.T) {
	browser := startBrowser(t)
	for _, sc := range examplegen.Every() {
		t.Run(sc.Name, func(t *testing.T) {
			tmp := t.TempDir()
			file, rep := compare(t, tmp, exampleArgs(t, sc, tmp), sc.Expect.ExitCode)
			tb := open(t, browser, file, false)

			// The verdict and every reason, visible at the top.
			badge := evalJS[string](tb, `document.querySelector("#verdict .badge").innerText`)
			if badge != sc.Expect.Verdict {
				t.Errorf("verdict badge %q, want %q", badge, sc.Expect.Verdict)
			}
			reasons := evalJS[[]string](tb, `Array.from(document.querySelectorAll("#verdict .reasons li")).filter(li => {
				const r = li.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(li).visibility === "visible";
			}).map(li => li.innerText)`)
			if len(reasons) != len(rep.Reasons) || len(reasons) == 0 {
				t.Errorf("%d reasons visible, the JSON report has %d", len(reasons), len(rep.Reasons))
			}
			if !slices.Equal(sorted(reasons), sorted(rep.Reasons)) {
				t.Errorf("the reasons read\n%q\nthe JSON report says\n%q", reasons, rep.Reasons)
			}
			// What blocks the release comes first, and only when something does.
			first := evalJS[string](tb, `(document.querySelector("#verdict h3") || {}).innerText || ""`)
			if blocks := sc.Expect.ExitCode != 0; blocks != (first == "Blocking the release") {
				t.Errorf("exit %d, and the first group of reasons is %q", sc.Expect.ExitCode, first)
			}
			if top := evalJS[float64](tb, `document.querySelector("#verdict .reasons").getBoundingClientRect().top`); top > viewHeight {
				t.Errorf("the reasons start at %v px, below the first screen (%d px)", top, viewHeight)
			}
			charts := evalJS[int](tb, `document.querySelectorAll("svg.chart").length`)
			if charts < 2 {
				t.Errorf("%d charts drawn", charts)
			}
			checkAudit(t, tb, "light")
			tb.screenshot(sc.Name)
			tb.screenshotTop(sc.Name+"-top", "#workflows")
			checkCaseTable(t, tb, rep)
			checkClean(t, tb, "light")

			dark := open(t, browser, file, true)
			bg := evalJS[string](dark, `getComputedStyle(document.body).backgroundColor`)
			if bg != "rgb(15, 20, 25)" {
				t.Errorf("dark colour scheme: body background %s", bg)
			}
			checkAudit(t, dark, "dark")
			dark.screenshot(sc.Name + "-dark")
			checkClean(t, dark, "dark")
		})
	}
}

// checkCaseTable filters the flipped-cases table by workflow, by kind of
// change and by failure class and compares the rows left with the JSON
// report's list, then sorts it by a column with real clicks. Names are
// compared as the page shows them (visible escapes for controls).
func checkCaseTable(t *testing.T, tb *tab, rep jsonReport) {
	t.Helper()
	has := evalJS[bool](tb, `document.getElementById("case-table") !== null`)
	if !has {
		if len(rep.CaseChanges) > 0 {
			t.Errorf("no flipped-cases table, the JSON report lists %d case changes", len(rep.CaseChanges))
		}
		return
	}
	shown := func(s string) string { return visible.Escape(s, nil) }
	visibleIDs := func() []string {
		return evalJS[[]string](tb, `Array.from(document.querySelectorAll("#case-table tbody tr")).filter(r => !r.hidden && r.getClientRects().length > 0).map(r => r.cells[0].textContent)`)
	}
	ids := func(keep func(c caseChange) bool) []string {
		var out []string
		for _, c := range rep.CaseChanges {
			if keep(c) {
				out = append(out, shown(c.ID))
			}
		}
		slices.Sort(out)
		return out
	}
	all := visibleIDs()
	if len(all) != len(rep.CaseChanges) {
		t.Fatalf("the table shows %d cases, the JSON report lists %d", len(all), len(rep.CaseChanges))
	}
	choose := func(sel, label string) {
		t.Helper()
		ok := evalJS[bool](tb, fmt.Sprintf(`(() => {
			const s = document.getElementById(%q);
			const o = Array.from(s.options).find(o => o.text === %q);
			if (!o) return false;
			s.value = o.value;
			s.dispatchEvent(new Event("change"));
			return true;
		})()`, sel, label))
		if !ok {
			t.Fatalf("%s has no option %q", sel, label)
		}
	}
	check := func(what string, want []string) {
		t.Helper()
		if got := visibleIDs(); !slices.Equal(sorted(got), want) {
			t.Errorf("filtered by %s: %d rows, want %d", what, len(got), len(want))
		}
	}
	// The workflow with the most broken cases, then its broken cases only,
	// then the most frequent failure class alone.
	broke, classes := map[string]int{}, map[string]int{}
	for _, c := range rep.CaseChanges {
		if c.Change == "broke" {
			broke[c.Workflow]++
		}
		for _, k := range slices.Compact(slices.Sorted(slices.Values(slices.Concat(c.Baseline.Classes, c.Candidate.Classes)))) {
			classes[k]++
		}
	}
	top := func(m map[string]int) string {
		var best string
		for k, n := range m {
			if n > m[best] || (n == m[best] && k < best) {
				best = k
			}
		}
		return best
	}
	wf, class := top(broke), top(classes)
	choose("filter-workflow", shown(wf))
	check("workflow "+wf, ids(func(c caseChange) bool { return c.Workflow == wf }))
	choose("filter-change", "broke")
	wantBroke := ids(func(c caseChange) bool { return c.Workflow == wf && c.Change == "broke" })
	check("workflow and broke", wantBroke)
	count := evalJS[string](tb, `document.getElementById("case-count").textContent`)
	if want := strconv.Itoa(len(wantBroke)) + " of " + strconv.Itoa(len(all)) + " cases shown"; count != want {
		t.Errorf("count reads %q, want %q", count, want)
	}
	choose("filter-workflow", "all")
	choose("filter-change", "all")
	choose("filter-class", shown(class))
	check("class "+class, ids(func(c caseChange) bool { return c.hasClass(class) }))
	choose("filter-class", "all")
	check("nothing", ids(func(caseChange) bool { return true }))

	// Sort by case id with real clicks, both ways: the order of the ids'
	// bytes, as the JSON report holds them.
	raw := make([]string, len(rep.CaseChanges))
	for i, c := range rep.CaseChanges {
		raw[i] = c.ID
	}
	slices.Sort(raw)
	var want []string
	for _, id := range raw {
		want = append(want, shown(id))
	}
	click := func(col int) {
		t.Helper()
		if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#case-table thead th:nth-child(%d) button", col)))); err != nil {
			t.Fatal(err)
		}
	}
	click(1)
	if got := visibleIDs(); !slices.Equal(got, want) {
		t.Errorf("sorted by case: %.3q…, want %.3q…", got, want)
	}
	click(1)
	desc := visibleIDs()
	slices.Reverse(desc)
	if !slices.Equal(desc, want) {
		t.Errorf("a second click does not reverse the order")
	}
	if s := evalJS[string](tb, `document.querySelector("#case-table thead th:nth-child(1)").getAttribute("aria-sort")`); s != "descending" {
		t.Errorf("aria-sort %q after two clicks", s)
	}
	// By cost change: the first row holds the largest saving.
	click(7)
	first := evalJS[string](tb, `document.querySelector("#case-table tbody tr").cells[0].textContent`)
	var best *caseChange
	for i, c := range rep.CaseChanges {
		if c.Cost != nil && (best == nil || *c.Cost < *best.Cost) {
			best = &rep.CaseChanges[i]
		}
	}
	if best != nil && first != shown(best.ID) {
		t.Errorf("sorted by cost change, the first case is %q, want %q (%v)", first, shown(best.ID), *best.Cost)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.SortFunc(out, strings.Compare)
	return out
}
