package scorecard

import (
	"fmt"
	"sort"
	"strings"
)

// The promptfoo importer reads what `promptfoo eval -o out.json` writes
// (results.version 3: {"evalId", "results": {"version", "results": [...]},
// "config"}) and the JSONL variant (-o out.jsonl: one result row a line).

// sniffPromptfoo recognises the JSON document by its "results" object with
// "version" and a "results" array, and the JSONL by a first line that is a
// result row (success plus testIdx, promptIdx or testCase).
//
// promptfoo writes results.prompts (the prompt templates, which with long
// RAG contexts run to megabytes) before results.results, so when the first
// sniffHead bytes end inside the results object, the keys are walked again
// over the first sniffDeep bytes. Beyond that, the signature of promptfoo's
// writer decides: a top-level "evalId" string and a "results" object that
// starts with "version" and a "prompts" array.
func sniffPromptfoo(data []byte) bool {
	top, inner := jsonHeadKeys(data, "results")
	if looksNativeDocument(top) {
		return false
	}
	if top["results"] == '{' && isPromptfooResults(inner) {
		return true
	}
	_, version := inner["version"]
	unfinished := (top["results"] == '{' && version && inner["results"] == 0) ||
		(top["results"] == 0 && top["evalId"] == '"')
	if unfinished && len(data) > sniffHead {
		top, inner, done := walkHead(data, sniffDeep, "results")
		if looksNativeDocument(top) || top["results"] != '{' {
			return false
		}
		if isPromptfooResults(inner) {
			return true
		}
		// Still no results[] in sight: when the walk stopped at the bound
		// inside the results object, the signature decides.
		return !done && inner["results"] == 0 && top["evalId"] == '"' && inner["prompts"] == '['
	}
	return top["results"] != '{' && isPromptfooRow(firstLineKeys(data))
}

// isPromptfooResults reports whether the keys of a top-level "results"
// object are those of promptfoo's results (version 2 or 3).
func isPromptfooResults(inner map[string]byte) bool {
	_, version := inner["version"]
	return version && inner["results"] == '['
}

func isPromptfooRow(keys map[string]byte) bool {
	if keys == nil || looksNative(keys) {
		return false
	}
	_, success := keys["success"]
	_, test := keys["testIdx"]
	_, prompt := keys["promptIdx"]
	_, tc := keys["testCase"]
	return success && (test || prompt || tc)
}

// A pfRow is one promptfoo result row, as far as ftgate reads it.
type pfRow struct {
	order         int // position in the input
	testIdx       int
	promptIdx     int
	provider      string // provider id
	providerLabel string
	prompt        string // prompt label, to tell prompts apart in messages
	description   string
	varsHash      string
	sample        Sample
	costZero      bool // cost present and 0
	fromCache     bool // answered from promptfoo's response cache, tokens unsplit
}

// readPromptfoo reads a promptfoo output file.
func readPromptfoo(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	in := newJSONInput(name, data)
	sc := &Scorecard{}
	var rows []pfRow
	if !isPromptfooRow(firstLineKeys(data)) {
		rows = promptfooDocument(in, sc)
	} else {
		for _, l := range in.lines() {
			if obj, ok := in.object(l.off, l.text, "a promptfoo result line"); ok {
				rows = append(rows, promptfooRow(obj, len(rows)))
			}
		}
		if !in.failed() && len(rows) == 0 {
			in.fail("no results: the file has no result lines")
		}
	}
	if in.failed() {
		return nil, in.errs
	}
	rows = promptfooSelect(in, rows, o.Provider)
	if in.failed() {
		return nil, in.errs
	}
	first := rows[0]
	sc.System.Name = first.provider
	if first.providerLabel != "" {
		sc.System.Name = first.providerLabel
	}
	sc.System.Model = first.provider
	promptfooIDs(name, sc, rows)
	promptfooCosts(name, sc, rows)
	for _, r := range rows {
		sc.Samples = append(sc.Samples, r.sample)
	}
	noteLacking(sc, name, "promptfoo")
	return sc, nil
}

// promptfooDocument reads the JSON document form and returns its rows.
func promptfooDocument(in *jsonInput, sc *Scorecard) []pfRow {
	doc, ok := in.document("a promptfoo output file")
	if !ok {
		return nil
	}
	sc.Run.ID = doc.str("evalId", "evalId")
	if cfg, ok := doc.object("config", "config"); ok {
		sc.Run.Dataset = cfg.str("description", "config.description")
	}
	res, ok := doc.object("results", "results")
	if !ok {
		if !in.failed() {
			in.failAt(doc.off, `no "results": this is not a promptfoo output file (write one with promptfoo eval -o out.json)`)
		}
		return nil
	}
	if v := res.number("version", "results.version", true); v == nil {
		if !in.failed() {
			in.failAt(res.off, `results has no "version"`)
		}
	} else if *v != 3 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: promptfoo results version %v; ftgate reads version 3 and may misread others", in.file, *v))
	}
	elems, ok := res.array("results", "results.results")
	if !ok {
		if !in.failed() {
			in.failAt(res.off, `results has no "results" array`)
		}
		return nil
	}
	if len(elems) == 0 {
		in.failAt(res.off, "no results: results.results is empty")
		return nil
	}
	var rows []pfRow
	for _, e := range elems {
		if obj, ok := in.object(e.off, e.value, "a promptfoo result"); ok {
			rows = append(rows, promptfooRow(obj, len(rows)))
		}
	}
	return rows
}

// promptfooRow decodes one result row.
func promptfooRow(r jobj, order int) pfRow {
	in := r.in
	row := pfRow{order: order, testIdx: -1, promptIdx: -1}
	s := &row.sample
	s.Line = in.line(r.off)
	success := r.boolean("success", "success")
	if success == nil {
		if !r.has("success") {
			in.failAt(r.off, `result has no "success" (true or false)`)
		}
	} else {
		s.Accepted = *success
	}
	if r.has("testIdx") {
		row.testIdx = int(r.count("testIdx", "testIdx"))
	}
	if r.has("promptIdx") {
		row.promptIdx = int(r.count("promptIdx", "promptIdx"))
	}
	switch raw, off, ok := r.member("provider"); {
	case !ok:
	case firstNonSpace(raw) == '"':
		row.provider = r.str("provider", "provider")
	default:
		if p, ok := in.object(off, raw, "provider"); ok {
			row.provider = p.str("id", "provider.id")
			row.providerLabel = p.str("label", "provider.label")
		}
	}
	if row.provider == "" && row.providerLabel == "" {
		row.provider = "(unnamed provider)"
	}
	if p, ok := r.object("prompt", "prompt"); ok {
		row.prompt = p.str("label", "prompt.label")
		if row.prompt == "" {
			row.prompt = p.str("raw", "prompt.raw")
		}
	}
	// The id of a test without description hashes its vars (testCase.vars,
	// else the row's), or else its whole definition.
	varsRaw, _, hasVars := r.member("vars")
	tcRaw, _, hasTC := r.member("testCase")
	if tc, ok := r.object("testCase", "testCase"); ok {
		row.description = strings.TrimSpace(tc.str("description", "testCase.description"))
		if v, _, ok := tc.member("vars"); ok {
			varsRaw, hasVars = v, true
		}
		if md, ok := tc.object("metadata", "testCase.metadata"); ok {
			s.Workflow = md.str("workflow", "testCase.metadata.workflow")
		}
	}
	switch {
	case hasVars:
		row.varsHash = "vars-" + canonicalHash(varsRaw)
	case hasTC:
		row.varsHash = "test-" + canonicalHash(tcRaw)
	default:
		row.varsHash = "vars-" + canonicalHash([]byte("{}"))
	}
	if reason := r.number("failureReason", "failureReason", true); reason != nil && *reason == 2 {
		s.Error = firstLineOf(r.str("error", "error"))
		if s.Error == "" {
			s.Error = "promptfoo reported an error (failureReason 2)"
		}
		s.Accepted = false
	} else if success != nil && !*success {
		s.FailureClass = promptfooFailedAssertion(r)
	}
	s.Score = r.number("score", "score", false)
	s.LatencyMS = r.number("latencyMs", "latencyMs", true)
	if c := r.number("cost", "cost", true); c != nil {
		s.CostUSD = c
		row.costZero = *c == 0
	}
	if resp, ok := r.object("response", "response"); ok {
		if tu, ok := resp.object("tokenUsage", "response.tokenUsage"); ok {
			u := &Usage{
				InputTokens:  tu.count("prompt", "response.tokenUsage.prompt"),
				OutputTokens: tu.count("completion", "response.tokenUsage.completion"),
			}
			cached := tu.count("cached", "response.tokenUsage.cached")
			switch {
			case cached > 0 && !tu.has("prompt") && !tu.has("completion"):
				// promptfoo's "cached" counts the tokens of a response it
				// served from its own cache; such a row has no input/output
				// split to price.
				row.fromCache = true
			case tu.has("prompt") || tu.has("completion"):
				s.Usage = u
			}
		}
	}
	return row
}

// promptfooFailedAssertion names the first failing assertion of a row (its
// metric name, else its type), as the failure class.
func promptfooFailedAssertion(r jobj) string {
	gr, ok := r.object("gradingResult", "gradingResult")
	if !ok {
		return ""
	}
	comps, ok := gr.array("componentResults", "gradingResult.componentResults")
	if !ok {
		return ""
	}
	for _, c := range comps {
		cr, ok := r.in.object(c.off, c.value, "a component result")
		if !ok {
			return ""
		}
		if pass := cr.boolean("pass", "componentResults[].pass"); pass == nil || *pass {
			continue
		}
		a, ok := cr.object("assertion", "componentResults[].assertion")
		if !ok {
			return "assertion"
		}
		if m := a.str("metric", "assertion.metric"); m != "" {
			return m
		}
		if t := a.str("type", "assertion.type"); t != "" {
			return t
		}
		return "assertion"
	}
	return ""
}

// A pfProvider is one provider of a promptfoo file: its id and, when the
// config gave one, its label (the same id may appear under several labels,
// each with its own prompts or settings).
type pfProvider struct{ id, label string }

func (p pfProvider) String() string {
	if p.label == "" {
		return fmt.Sprintf("%q", p.id)
	}
	return fmt.Sprintf("%q (label %q)", p.id, p.label)
}

// promptfooSelect keeps the rows of one provider (the one named by id or
// label, or the only one) and sorts them by test and prompt index.
func promptfooSelect(in *jsonInput, rows []pfRow, want string) []pfRow {
	seen := map[pfProvider]bool{}
	var all []pfProvider
	for _, r := range rows {
		p := pfProvider{r.provider, r.providerLabel}
		if !seen[p] {
			seen[p] = true
			all = append(all, p)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].id != all[j].id {
			return all[i].id < all[j].id
		}
		return all[i].label < all[j].label
	})
	list := func(ps []pfProvider) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = p.String()
		}
		return strings.Join(parts, ", ")
	}
	var matches []pfProvider
	for _, p := range all {
		if want == "" || p.id == want || p.label == want {
			matches = append(matches, p)
		}
	}
	switch {
	case len(matches) == 1:
	case want == "":
		in.fail("this file has %d providers (%s); pick one with --provider (its id or label)", len(all), list(all))
		return nil
	case len(matches) == 0:
		msg := fmt.Sprintf("no provider %q in this file (it has %s)", want, list(all))
		var names []string
		for _, p := range all {
			names = append(names, p.id)
			if p.label != "" {
				names = append(names, p.label)
			}
		}
		if s := Suggest(want, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		in.fail("%s", msg)
		return nil
	default:
		in.fail("--provider %q matches %d providers (%s); name one by its label", want, len(matches), list(matches))
		return nil
	}
	chosen := matches[0]
	var kept []pfRow
	prompts := map[int]string{}
	for _, r := range rows {
		if (pfProvider{r.provider, r.providerLabel}) == chosen {
			kept = append(kept, r)
			prompts[r.promptIdx] = r.prompt
		}
	}
	if len(prompts) > 1 {
		idx := make([]int, 0, len(prompts))
		for i := range prompts {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		labels := make([]string, len(idx))
		for i, p := range idx {
			labels[i] = fmt.Sprintf("%d: %q", p, truncate(prompts[p], 40))
		}
		in.fail("provider %s ran %d prompts (%s); a scorecard is one system, so give each prompt its own provider label or its own eval", chosen, len(prompts), strings.Join(labels, ", "))
		return nil
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.testIdx != b.testIdx {
			return a.testIdx < b.testIdx
		}
		if a.promptIdx != b.promptIdx {
			return a.promptIdx < b.promptIdx
		}
		return a.order < b.order
	})
	return kept
}

// promptfooIDs gives each row its case id and sample number: the test's
// description, or a hash of its vars; repeats of one test become samples
// 0, 1, 2... in test order. A description shared by tests with different
// vars is made unique with the vars hash.
func promptfooIDs(file string, sc *Scorecard, rows []pfRow) {
	varsOf := map[string]map[string]bool{}
	for _, r := range rows {
		if r.description == "" {
			continue
		}
		if varsOf[r.description] == nil {
			varsOf[r.description] = map[string]bool{}
		}
		varsOf[r.description][r.varsHash] = true
	}
	var shared []string
	for d, v := range varsOf {
		if len(v) > 1 {
			shared = append(shared, d)
		}
	}
	sort.Strings(shared)
	if len(shared) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: tests with different vars share a description (%s); their ids get the vars hash appended", file, quoteList(shared)))
	}
	next := map[string]int{}
	for i := range rows {
		r := &rows[i]
		id := r.description
		switch {
		case id == "":
			id = r.varsHash
		case len(varsOf[id]) > 1:
			id += " (" + r.varsHash + ")"
		}
		r.sample.ID = id
		r.sample.Sample = next[id]
		next[id]++
	}
}

// promptfooCosts settles cost and usage. promptfoo writes cost 0 when it
// has no price for a provider, so a file whose every cost is 0 is taken as
// not reporting cost (token usage, if any, is priced from the policy).
func promptfooCosts(file string, sc *Scorecard, rows []pfRow) {
	model := rows[0].provider
	allZero, anyCost, fromCache := true, false, 0
	for _, r := range rows {
		if r.sample.CostUSD != nil {
			anyCost = true
			allZero = allZero && r.costZero
		}
		if r.fromCache {
			fromCache++
		}
	}
	for i := range rows {
		s := &rows[i].sample
		if anyCost && allZero {
			s.CostUSD = nil
		}
		if s.Usage != nil {
			s.Usage.Model = model
		}
	}
	if anyCost && allZero {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: every promptfoo cost is 0, which promptfoo writes when it has no price for the provider; cost is taken from token usage and the policy's price table instead", file))
	}
	if fromCache > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %d of %d results came from promptfoo's response cache, which records no prompt/completion token split, so their tokens cannot be priced; rerun with promptfoo eval --no-cache", file, fromCache, len(rows)))
	}
}

// firstLineOf returns the first non-blank line of s, trimmed.
func firstLineOf(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
