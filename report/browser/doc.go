// Package browser holds the tests that open ftgate's HTML report in a real
// browser: headless Chromium driven by chromedp renders the page of every
// example and of a scorecard full of hostile strings, and the tests check
// what a reviewer would see (the verdict, the filters and the sorting of the
// flipped cases, the accessibility basics, the dark colour scheme) and what
// must never happen (a console error, a blocked style or script, a request,
// injected markup running). They skip, saying why, where no Chromium is
// installed; run them alone with
//
//	go test ./report/browser
//
// and set FTGATE_SCREENSHOTS=DIR to keep the screenshots they take,
// FTGATE_CHROMIUM=PATH to use another browser binary, or
// FTGATE_REQUIRE_BROWSER=1 to fail instead of skipping without one (.ci/run
// does).
package browser
