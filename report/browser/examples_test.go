package browser_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ftgate/ftgate/internal/examplegen"
)

// exampleArgs is the compare command line of an example folder.
func exampleArgs(sc examplegen.Scenario) []string {
	dir := filepath.Join("..", "..", "examples", sc.Name)
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
	return append(args, "--policy", filepath.Join(dir, "gate.yaml"))
}

// TestExamplesInBrowser renders every example's HTML report, opens it in
// Chromium in the light and the dark colour scheme, and checks it as a
// reviewer would use it; it saves a screenshot of each.
func TestExamplesInBrowser(t *testing.T) {
	browser := startBrowser(t)
	for _, sc := range examplegen.All() {
		t.Run(sc.Name, func(t *testing.T) {
			file, rep := compare(t, t.TempDir(), exampleArgs(sc), sc.Expect.ExitCode)
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

// checkCaseTable filters the flipped-cases table by workflow, by change and
// by class and compares the rows left with the JSON report's list, then
// sorts it by a column.
func checkCaseTable(t *testing.T, tb *tab, rep jsonReport) {
	t.Helper()
	has := evalJS[bool](tb, `document.getElementById("case-table") !== null`)
	if !has {
		if len(rep.CaseChanges) > 0 {
			t.Errorf("no flipped-cases table, the JSON report lists %d case changes", len(rep.CaseChanges))
		}
		return
	}
	visibleIDs := func() []string {
		return evalJS[[]string](tb, `Array.from(document.querySelectorAll("#case-table tbody tr")).filter(r => !r.hidden && r.getClientRects().length > 0).map(r => r.cells[0].innerText)`)
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
	// The workflow with the most broken cases, then its broken cases only.
	broke := map[string]int{}
	for _, c := range rep.CaseChanges {
		if c.Change == "broke" {
			broke[c.Workflow]++
		}
	}
	var wf string
	for w, n := range broke {
		if n > broke[wf] || (n == broke[wf] && w < wf) {
			wf = w
		}
	}
	var want, wantBroke []string
	for _, c := range rep.CaseChanges {
		if c.Workflow == wf {
			want = append(want, c.ID)
			if c.Change == "broke" {
				wantBroke = append(wantBroke, c.ID)
			}
		}
	}
	choose("filter-workflow", wf)
	if got := visibleIDs(); !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("filtered by workflow %q: %d rows, want %d", wf, len(got), len(want))
	}
	choose("filter-change", "broke")
	if got := visibleIDs(); !slices.Equal(sorted(got), sorted(wantBroke)) {
		t.Errorf("filtered by workflow %q and broke: %d rows, want %d", wf, len(got), len(wantBroke))
	}
	shown := evalJS[string](tb, `document.getElementById("case-count").textContent`)
	if want := strconv.Itoa(len(wantBroke)) + " of " + strconv.Itoa(len(all)) + " cases shown"; shown != want {
		t.Errorf("count reads %q, want %q", shown, want)
	}
	choose("filter-workflow", "all")
	choose("filter-change", "all")
	if got := visibleIDs(); len(got) != len(all) {
		t.Errorf("with no filter: %d rows, want %d", len(got), len(all))
	}

	// Sort by case id with a real click, both ways.
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS("#case-table thead th:nth-child(1) button"))); err != nil {
		t.Fatal(err)
	}
	asc := visibleIDs()
	if !slices.Equal(asc, sorted(all)) {
		t.Errorf("sorted by case: %.5q…, want %.5q…", asc, sorted(all))
	}
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS("#case-table thead th:nth-child(1) button"))); err != nil {
		t.Fatal(err)
	}
	desc := visibleIDs()
	slices.Reverse(desc)
	if !slices.Equal(desc, asc) {
		t.Errorf("a second click does not reverse the order")
	}
	if s := evalJS[string](tb, `document.querySelector("#case-table thead th:nth-child(1)").getAttribute("aria-sort")`); s != "descending" {
		t.Errorf("aria-sort %q after two clicks", s)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.SortFunc(out, strings.Compare)
	return out
}
