package browser_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ftgate/ftgate/internal/cli"
)

// The laptop screen the pages are checked on, at 100% zoom.
const viewWidth, viewHeight = 1366, 768

// chromiumPath returns the browser to drive, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FTGATE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "no Chromium on PATH (chromium, chromium-browser, google-chrome) and FTGATE_CHROMIUM unset"
	if os.Getenv("FTGATE_REQUIRE_BROWSER") != "" {
		t.Fatal(msg + ", and FTGATE_REQUIRE_BROWSER is set")
	}
	t.Skip(msg + ": the HTML report's browser tests are skipped; install Debian's chromium package (.ci/run does) to run them")
	return ""
}

// startBrowser starts a headless Chromium with a fresh profile for the
// test. The flags keep it off the network: no background requests,
// component updates, sync or QUIC.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(viewWidth, viewHeight),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath(t), err)
	}
	return bctx
}

// cspListener records every Content-Security-Policy violation the page
// reports; DevTools runs it before the page's own content.
const cspListener = `window.__ftgateCSP = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__ftgateCSP.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});`

// A tab is a report opened in its own tab, with what the browser said
// about it.
type tab struct {
	t   *testing.T
	ctx context.Context
	url string

	mu       sync.Mutex
	problems []string
}

// open loads the HTML file in a new tab of the browser, on a laptop-sized
// viewport, in the light or the dark colour scheme.
func open(t *testing.T, browser context.Context, file string, dark bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	tb := &tab{t: t, ctx: ctx, url: (&url.URL{Scheme: "file", Path: abs}).String()}
	if err := chromedp.Listen(ctx, tb.listen); err != nil {
		t.Fatal(err)
	}
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	steps := []struct {
		what string
		do   func() error
	}{
		{"CSP listener", func() error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
			return err
		}},
		{"viewport", func() error {
			return chromedp.Do(ctx, chromedp.EmulateViewport(viewWidth, viewHeight))
		}},
		{"colour scheme", func() error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}},
		{"navigate", func() error { return chromedp.Do(ctx, chromedp.Navigate(tb.url), chromedp.WaitReady("body")) }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %s: %v", file, s.what, err)
		}
	}
	return tb
}

// listen records console errors and warnings, uncaught exceptions, browser
// log entries of level warning or error (CSP refusals among them) and any
// request other than the page itself.
func (tb *tab) listen(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			msg = fmt.Sprintf("console %s: %s", e.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		msg = "uncaught exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
			msg = fmt.Sprintf("browser log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if e.Request.URL != tb.url {
			msg = "request: " + e.Request.URL
		}
	}
	if msg != "" {
		tb.mu.Lock()
		tb.problems = append(tb.problems, msg)
		tb.mu.Unlock()
	}
}

// logged returns what the browser reported so far, with the CSP
// violations the page saw.
func (tb *tab) logged() []string {
	tb.t.Helper()
	csp := evalJS[[]string](tb, `window.__ftgateCSP || ["the CSP listener did not run"]`)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := append([]string(nil), tb.problems...)
	for _, v := range csp {
		out = append(out, "CSP violation: "+v)
	}
	return out
}

// evalJS evaluates a JavaScript expression in the page.
func evalJS[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %.60q…: %v", expr, err)
	}
	return v
}

// screenshot saves the whole page as a PNG, to FTGATE_SCREENSHOTS when set
// (for review) and to a temporary directory otherwise.
func (tb *tab) screenshot(name string) string {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("FTGATE_SCREENSHOTS")
	if dir == "" {
		dir = tb.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 10000 {
		tb.t.Errorf("screenshot %s: %d bytes, not a PNG of a page", path, len(png))
	}
	return path
}

// screenshotTop saves, when FTGATE_SCREENSHOTS is set, the top of the
// page down to the end of the section that holds the element sel, cut to
// the width of the page's main column: the picture the README shows.
func (tb *tab) screenshotTop(name, sel string) {
	tb.t.Helper()
	dir := os.Getenv("FTGATE_SCREENSHOTS")
	if dir == "" {
		return
	}
	box := evalJS[[]float64](tb, fmt.Sprintf(`(() => {
		const m = document.querySelector("main").getBoundingClientRect();
		const s = document.querySelector(%q).closest("section").getBoundingClientRect();
		return [m.left + window.scrollX, window.scrollY, m.width, s.bottom + window.scrollY];
	})()`, sel))
	shot, err := chromedp.Call(tb.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: new(true),
		Clip:                  &page.Viewport{X: box[0], Y: 0, Width: box[2], Height: box[3] + 8, Scale: 1},
	})
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), shot.Data, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// audit is the page-wide check, in the page: headings in order with one
// h1, header cells with a scope, every chart an image with a title and a
// description and a table in its section, every select labelled, nothing
// wider than the window, and text that contrasts with what is behind it
// (WCAG's 4.5:1 for normal text). It returns the problems found.
const audit = `(() => {
  const out = [];
  let prev = 0, h1 = 0;
  for (const h of document.querySelectorAll("h1,h2,h3,h4,h5,h6")) {
    const l = Number(h.tagName[1]);
    if (l === 1) h1++;
    if (prev === 0 && l !== 1) out.push("the first heading is " + h.tagName);
    if (prev > 0 && l > prev + 1) out.push(h.tagName + " " + JSON.stringify(h.textContent) + " follows an h" + prev);
    prev = l;
  }
  if (h1 !== 1) out.push(h1 + " h1 elements");
  for (const t of document.querySelectorAll("table")) {
    if (!t.querySelector("th")) out.push("a table without header cells");
    if (!t.caption || !t.caption.textContent.trim()) out.push("a table without a caption");
  }
  for (const th of document.querySelectorAll("th")) {
    if (!["col", "row"].includes(th.getAttribute("scope"))) out.push("th without scope: " + JSON.stringify(th.textContent));
  }
  for (const svg of document.querySelectorAll("svg")) {
    const ids = (svg.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
    if (svg.getAttribute("role") !== "img") out.push("an svg without role=img");
    if (ids.length !== 2) out.push("an svg not labelled by a title and a description");
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el || !el.textContent.trim()) out.push("svg label #" + id + " missing or empty");
    }
    const box = svg.getBoundingClientRect();
    if (box.width < 200 || box.height < 80) out.push("svg " + ids[0] + " drawn at " + box.width + "×" + box.height);
    const sec = svg.closest("section, header");
    if (!sec || !sec.querySelector("table")) out.push("svg " + ids[0] + " has no table beside it");
  }
  for (const s of document.querySelectorAll("select")) {
    if (!s.labels || s.labels.length === 0) out.push("a select without a label");
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push("the page is " + doc.scrollWidth + " px wide in a " + window.innerWidth + " px window");
  for (const el of document.querySelectorAll("main *")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > window.innerWidth + 1 && !el.closest(".scroll")) {
      out.push(el.tagName + " reaches " + Math.round(r.right) + " px in a " + window.innerWidth + " px window");
      break;
    }
  }
  const parse = s => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let c = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
    return c;
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let low = 0;
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.getClientRects().length === 0) continue;
    const st = getComputedStyle(el);
    if (st.visibility === "hidden") continue;
    const svgText = el instanceof SVGElement;
    let fg = parse(svgText ? st.fill : st.color);
    if (!fg) continue;
    const bg = behind(svgText ? el.closest("svg") : el);
    fg = over(fg, bg);
    const r = ratio(fg, bg);
    if (r < 4.5 && low++ < 5) out.push("contrast " + r.toFixed(2) + " of " + JSON.stringify(el.textContent.trim().slice(0, 40)) + " (" + el.tagName + "." + el.getAttribute("class") + ")");
  }
  return out;
})()`

// A jsonReport is the part of the JSON report the checks compare with.
type jsonReport struct {
	Verdict     string       `json:"verdict"`
	Reasons     []string     `json:"reasons"`
	CaseChanges []caseChange `json:"case_changes"`
}

// A caseChange is one case of the JSON report's drill-down.
type caseChange struct {
	ID        string      `json:"id"`
	Workflow  string      `json:"workflow"`
	Change    string      `json:"change"`
	Baseline  caseOutcome `json:"baseline"`
	Candidate caseOutcome `json:"candidate"`
	Cost      *float64    `json:"cost_change_usd"`
}

type caseOutcome struct {
	Classes []string `json:"failure_classes"`
}

// hasClass reports whether either side of the case shows the class.
func (c caseChange) hasClass(class string) bool {
	return slices.Contains(c.Baseline.Classes, class) || slices.Contains(c.Candidate.Classes, class)
}

// compare runs ftgate compare with --html and --json into dir and returns
// the HTML file and the JSON report.
func compare(t *testing.T, dir string, args []string, wantExit int) (string, jsonReport) {
	t.Helper()
	htmlFile, jsonFile := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	var out, errs bytes.Buffer
	all := append([]string{"compare"}, args...)
	all = append(all, "--html", htmlFile, "--json", jsonFile)
	if code := cli.Run(context.Background(), all, cli.Env{Stdout: &out, Stderr: &errs}); code != wantExit {
		t.Fatalf("ftgate %s: exit %d, want %d\n%s%s", strings.Join(all, " "), code, wantExit, out.String(), errs.String())
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var r jsonReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return htmlFile, r
}

// checkClean fails the test with everything the browser reported.
func checkClean(t *testing.T, tb *tab, what string) {
	t.Helper()
	for _, p := range tb.logged() {
		t.Errorf("%s: %s", what, p)
	}
}

// checkAudit fails the test with every problem of the page audit.
func checkAudit(t *testing.T, tb *tab, what string) {
	t.Helper()
	for _, p := range evalJS[[]string](tb, audit) {
		t.Errorf("%s: %s", what, p)
	}
}
