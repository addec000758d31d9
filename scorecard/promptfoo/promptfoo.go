// Package promptfoo reads what `promptfoo eval -o out.json` writes
// (results.version 3: {"evalId", "results": {"version", "results": [...]},
// "config"}) and the JSONL variant (-o out.jsonl: one result row a line).
// Importing it registers the "promptfoo" format with package scorecard.
package promptfoo

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "promptfoo", Kind: "a promptfoo output file (the JSON or JSONL of promptfoo eval -o)", Sniff: sniffPromptfoo, Read: readPromptfoo})
}

// sniffPromptfoo recognises the JSON document by its "results" object with
// "version" and a "results" array, and the JSONL by a first line that is a
// result row (success plus testIdx, promptIdx or testCase).
//
// promptfoo writes results.prompts (the prompt templates, which with long
// RAG contexts run to megabytes) before results.results, so when the first
// SniffHead bytes end inside the results object, the keys are walked
// again over the first SniffDeep bytes. Beyond that, the signature of promptfoo's
// writer decides: a top-level "evalId" string and a "results" object that
// starts with "version" and a "prompts" array. A results object whose
// "version" comes after its results[] (a writer that sorts keys) is walked
// again too.
func sniffPromptfoo(data []byte) bool {
	top, inner := readkit.HeadKeys(data, "results")
	if readkit.LooksNativeDocument(top) {
		return false
	}
	if top["results"] == '{' && isPromptfooResults(inner) {
		return true
	}
	_, version := inner["version"]
	unfinished := (top["results"] == '{' && version && inner["results"] == 0) ||
		(top["results"] == 0 && top["evalId"] == '"') ||
		// A writer that puts version after a long results[] (keys sorted).
		(top["results"] == '{' && !version && inner["results"] == '[' && top["evalId"] == '"')
	if unfinished && len(data) > readkit.SniffHead {
		top, inner, done := readkit.WalkHead(data, readkit.SniffDeep, "results")
		if readkit.LooksNativeDocument(top) || top["results"] != '{' {
			return false
		}
		if isPromptfooResults(inner) {
			return true
		}
		// Still no results[] in sight: when the walk stopped at the bound
		// inside the results object, the signature decides.
		return !done && inner["results"] == 0 && top["evalId"] == '"' && inner["prompts"] == '['
	}
	return top["results"] != '{' && isPromptfooRow(readkit.FirstLineKeys(data))
}

// isPromptfooResults reports whether the keys of a top-level "results"
// object are those of promptfoo's results (version 2 or 3).
func isPromptfooResults(inner map[string]byte) bool {
	_, version := inner["version"]
	return version && inner["results"] == '['
}

func isPromptfooRow(keys map[string]byte) bool {
	if keys == nil || readkit.LooksNative(keys) {
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
	promptID      string // promptfoo's id of the prompt (a hash of it), if any
	promptLabel   string // the prompt's label, else its text
	promptKey     string // see settlePromptKeys
	description   string
	varsHash      string
	sample        scorecard.Sample
	costZero      bool // cost present and 0
	fromCache     bool // answered from promptfoo's response cache, tokens unsplit
}

// readPromptfoo reads a promptfoo output file.
func readPromptfoo(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	in := readkit.NewInput(name, data)
	sc := &scorecard.Scorecard{}
	var rows []pfRow
	if !isPromptfooRow(readkit.FirstLineKeys(data)) {
		rows = promptfooDocument(in, sc)
	} else {
		for _, l := range in.Lines() {
			if obj, ok := in.Object(l.Off, l.Text, "a promptfoo result line"); ok {
				rows = append(rows, promptfooRow(obj, len(rows)))
			}
		}
		if !in.Failed() && len(rows) == 0 {
			in.Fail("no results: the file has no result lines")
		}
	}
	if in.Failed() {
		return nil, in.Errs
	}
	rows, system := promptfooSelect(in, rows, o)
	if in.Failed() {
		return nil, in.Errs
	}
	sc.System.Name, sc.System.Model = system, rows[0].provider
	promptfooIDs(name, sc, rows)
	promptfooCosts(name, sc, rows)
	for _, r := range rows {
		sc.Samples = append(sc.Samples, r.sample)
	}
	sc.NoteLacking(name, "promptfoo")
	return sc, nil
}

// promptfooDocument reads the JSON document form and returns its rows.
func promptfooDocument(in *readkit.Input, sc *scorecard.Scorecard) []pfRow {
	doc, ok := in.Document("a promptfoo output file")
	if !ok {
		return nil
	}
	sc.Run.ID = doc.Str("evalId", "evalId")
	if cfg, ok := doc.Object("config", "config"); ok {
		sc.Run.Dataset = cfg.Str("description", "config.description")
	}
	res, ok := doc.Object("results", "results")
	if !ok {
		if !in.Failed() {
			in.FailAt(doc.Off, `no "results": this is not a promptfoo output file (write one with promptfoo eval -o out.json)`)
		}
		return nil
	}
	if v := res.Number("version", "results.version", true); v == nil {
		if !in.Failed() {
			in.FailAt(res.Off, `results has no "version"`)
		}
	} else if *v != 3 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: promptfoo results version %v; ftgate reads version 3 and may misread others", in.File, *v))
	}
	elems, ok := res.Array("results", "results.results")
	if !ok {
		if !in.Failed() {
			in.FailAt(res.Off, `results has no "results" array`)
		}
		return nil
	}
	if len(elems) == 0 {
		in.FailAt(res.Off, "no results: results.results is empty")
		return nil
	}
	var rows []pfRow
	for _, e := range elems {
		if obj, ok := in.Object(e.Off, e.Value, "a promptfoo result"); ok {
			rows = append(rows, promptfooRow(obj, len(rows)))
		}
	}
	return rows
}

// promptfooRow decodes one result row.
func promptfooRow(r readkit.Object, order int) pfRow {
	in := r.In
	row := pfRow{order: order, testIdx: -1, promptIdx: -1}
	s := &row.sample
	s.Line = in.Line(r.Off)
	// The grading decides the failure class; no key of it may be read
	// two ways.
	exact := r.NoDuplicateKeys("gradingResult", "gradingResult")
	r.NoDuplicateKeys("namedScores", "namedScores")
	success := r.Boolean("success", "success")
	if success == nil {
		if !r.Has("success") {
			in.FailAt(r.Off, `result has no "success" (true or false)`)
		}
	} else {
		s.Accepted = *success
	}
	if r.Has("testIdx") {
		row.testIdx = int(r.Count("testIdx", "testIdx"))
	}
	if r.Has("promptIdx") {
		row.promptIdx = int(r.Count("promptIdx", "promptIdx"))
	}
	switch raw, off, ok := r.Member("provider"); {
	case !ok:
	case readkit.FirstNonSpace(raw) == '"':
		row.provider = r.Str("provider", "provider")
	default:
		if p, ok := in.Object(off, raw, "provider"); ok {
			row.provider = p.Str("id", "provider.id")
			row.providerLabel = p.Str("label", "provider.label")
		}
	}
	if row.provider == "" && row.providerLabel == "" {
		row.provider = "(unnamed provider)"
	}
	row.promptID = r.Str("promptId", "promptId")
	if p, ok := r.Object("prompt", "prompt"); ok {
		row.promptLabel = p.Str("label", "prompt.label")
		if row.promptID == "" {
			row.promptID = p.Str("id", "prompt.id")
		}
		if row.promptLabel == "" && row.promptID == "" {
			// Without a label or an id, the text tells prompts apart
			// (it is the template only when the test has no vars).
			row.promptLabel = p.Str("raw", "prompt.raw")
		}
	}
	// The id of a test without description hashes its vars (testCase.vars,
	// else the row's), or else its whole definition.
	varsRaw, _, hasVars := r.Member("vars")
	tcRaw, _, hasTC := r.Member("testCase")
	if tc, ok := r.Object("testCase", "testCase"); ok {
		row.description = strings.TrimSpace(tc.Str("description", "testCase.description"))
		if v, _, ok := tc.Member("vars"); ok {
			varsRaw, hasVars = v, true
		}
		if md, ok := tc.Object("metadata", "testCase.metadata"); ok {
			s.Workflow = md.Str("workflow", "testCase.metadata.workflow")
		}
	}
	switch {
	case hasVars && !readkit.ValidText(varsRaw), hasTC && !readkit.ValidText(tcRaw):
		// The vars name the test: text that decodes with loss would give
		// two tests one id.
		in.FailAt(r.Off, "%s", readkit.InvalidText("the test's vars", append(append([]byte{}, varsRaw...), tcRaw...)))
	case hasVars:
		row.varsHash = "vars-" + readkit.CanonicalHash(varsRaw)
	case hasTC:
		row.varsHash = "test-" + readkit.CanonicalHash(tcRaw)
	default:
		row.varsHash = "vars-" + readkit.CanonicalHash([]byte("{}"))
	}
	if reason := r.Number("failureReason", "failureReason", true); reason != nil && *reason == 2 {
		s.Error = readkit.FirstLineOf(r.Str("error", "error"))
		if s.Error == "" {
			s.Error = "promptfoo reported an error (failureReason 2)"
		}
		s.Accepted = false
	} else if success != nil && !*success {
		if exact {
			s.FailureClass = promptfooFailedAssertion(r)
		}
	}
	s.Score = r.Number("score", "score", false)
	s.LatencyMS = r.Number("latencyMs", "latencyMs", true)
	if c := r.Number("cost", "cost", true); c != nil {
		s.CostUSD = c
		row.costZero = *c == 0
	}
	// Token usage is under response (every version) and, since promptfoo
	// 0.122, on the row itself; the response's wins when both are there.
	var usage []readkit.Object
	var paths []string
	if resp, ok := r.Object("response", "response"); ok {
		if tu, ok := resp.Object("tokenUsage", "response.tokenUsage"); ok {
			usage, paths = append(usage, tu), append(paths, "response.tokenUsage")
		}
	}
	if tu, ok := r.Object("tokenUsage", "tokenUsage"); ok {
		usage, paths = append(usage, tu), append(paths, "tokenUsage")
	}
	for i, tu := range usage {
		p := paths[i]
		u := &scorecard.Usage{
			InputTokens:  tu.Count("prompt", p+".prompt"),
			OutputTokens: tu.Count("completion", p+".completion"),
		}
		cached := tu.Count("cached", p+".cached")
		if tu.Has("prompt") || tu.Has("completion") {
			s.Usage = u
			row.fromCache = false
			break
		}
		if cached > 0 {
			// promptfoo's "cached" counts the tokens of a response it
			// served from its own cache; such a row has no input/output
			// split to price.
			row.fromCache = true
		}
	}
	return row
}

// promptfooFailedAssertion names the first failing assertion of a row (its
// metric name, else its type), as the failure class.
func promptfooFailedAssertion(r readkit.Object) string {
	gr, ok := r.Object("gradingResult", "gradingResult")
	if !ok {
		return ""
	}
	comps, ok := gr.Array("componentResults", "gradingResult.componentResults")
	if !ok {
		return ""
	}
	for _, c := range comps {
		cr, ok := r.In.Object(c.Off, c.Value, "a component result")
		if !ok {
			return ""
		}
		if pass := cr.Boolean("pass", "componentResults[].pass"); pass == nil || *pass {
			continue
		}
		a, ok := cr.Object("assertion", "componentResults[].assertion")
		if !ok {
			return "assertion"
		}
		if m := a.Str("metric", "assertion.metric"); m != "" {
			return m
		}
		if t := a.Str("type", "assertion.type"); t != "" {
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

// A pfPrompt is one prompt of a promptfoo file: promptfoo's id for it, its
// label, and its index among the file's distinct prompts (in the order of
// the promptIdx where each first appears, so that with one provider the
// index is promptIdx).
type pfPrompt struct {
	key       string // what tells it apart: the id, else the label, else "#promptIdx"
	id, label string
	index     int
	firstIdx  int
}

func (p pfPrompt) String() string {
	switch {
	case p.label != "":
		return fmt.Sprintf("%d: %q", p.index, readkit.Truncate(p.label, 40))
	case p.id != "":
		return fmt.Sprintf("%d: id %q", p.index, p.id)
	}
	return fmt.Sprintf("%d: promptIdx %d", p.index, p.firstIdx)
}

// promptKey is what tells the prompt of a row apart from the others.
func promptKey(r pfRow) string { return r.promptKey }

// settlePromptKeys gives each row the key of its prompt: promptfoo's id for
// it, else its label, else its promptIdx. A row that names neither id nor
// label (some writers leave the prompt out of all rows but one) takes the
// key of the rows of the same provider and promptIdx that do.
func settlePromptKeys(rows []pfRow) {
	type slot struct {
		provider pfProvider
		idx      int
	}
	known := map[slot]pfRow{}
	for _, r := range rows {
		if r.promptID != "" || r.promptLabel != "" {
			if _, ok := known[slot{pfProvider{r.provider, r.providerLabel}, r.promptIdx}]; !ok {
				known[slot{pfProvider{r.provider, r.providerLabel}, r.promptIdx}] = r
			}
		}
	}
	for i := range rows {
		r := &rows[i]
		if r.promptID == "" && r.promptLabel == "" {
			if k, ok := known[slot{pfProvider{r.provider, r.providerLabel}, r.promptIdx}]; ok {
				r.promptID, r.promptLabel = k.promptID, k.promptLabel
			}
		}
		switch {
		case r.promptID != "":
			r.promptKey = "id:" + r.promptID
		case r.promptLabel != "":
			r.promptKey = "label:" + r.promptLabel
		default:
			r.promptKey = "#" + strconv.Itoa(r.promptIdx)
		}
	}
}

// promptfooSelect keeps the rows of one system, a provider running one
// prompt: the provider named by id or label, or the only one, and the
// prompt named by label, id or index, or the only one that provider ran.
// It returns the rows sorted by test and prompt index, and the system's
// name (the provider's label or id, with the prompt's label in brackets
// when the provider ran several prompts).
func promptfooSelect(in *readkit.Input, rows []pfRow, o scorecard.ReadOptions) ([]pfRow, string) {
	wantProvider, wantPrompt := o.Provider, o.Prompt
	// given names where a name that matches nothing was set, unless by
	// the plain --provider or --prompt flag.
	given := func(from, flag string) string {
		if from == "" || from == flag {
			return ""
		}
		return " (given by " + from + ")"
	}
	// pick says how to choose one of several providers or prompts: one
	// flag for a file read once, one per side for a file given as both.
	pick := func(what, id string) string {
		if o.BothSides {
			return fmt.Sprintf("pick each side's %s with --baseline-%s and --candidate-%s (%s)", what, what, what, id)
		}
		return fmt.Sprintf("pick one with --%s (%s)", what, id)
	}
	settlePromptKeys(rows)
	providers, prompts := promptfooInventory(rows)
	listProviders := func(ps []pfProvider) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = p.String()
		}
		return strings.Join(parts, ", ")
	}
	listPrompts := func(ps []pfPrompt) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = p.String()
		}
		return strings.Join(parts, ", ")
	}

	candidates := providers
	if wantProvider != "" {
		candidates = nil
		for _, p := range providers {
			if p.id == wantProvider || p.label == wantProvider {
				candidates = append(candidates, p)
			}
		}
		switch {
		case len(candidates) == 0:
			msg := fmt.Sprintf("no provider %q%s in this file (it has %s)", wantProvider, given(o.ProviderFrom, "--provider"), listProviders(providers))
			var names []string
			for _, p := range providers {
				names = append(names, p.id)
				if p.label != "" {
					names = append(names, p.label)
				}
			}
			if s := scorecard.Suggest(wantProvider, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			in.Fail("%s", msg)
			return nil, ""
		case len(candidates) > 1:
			in.Fail("provider %q matches %d providers (%s); name one by its label", wantProvider, len(candidates), listProviders(candidates))
			return nil, ""
		}
	}
	var chosenPrompts []pfPrompt
	if wantPrompt != "" {
		for _, p := range prompts {
			if p.label == wantPrompt || (p.id != "" && p.id == wantPrompt) {
				chosenPrompts = append(chosenPrompts, p)
			}
		}
		if n, err := strconv.Atoi(wantPrompt); err == nil && len(chosenPrompts) == 0 && n >= 0 && n < len(prompts) {
			chosenPrompts = append(chosenPrompts, prompts[n])
		}
		switch {
		case len(chosenPrompts) == 0:
			msg := fmt.Sprintf("no prompt %q%s in this file (it has %s; name one by its label, id or index)", wantPrompt, given(o.PromptFrom, "--prompt"), listPrompts(prompts))
			var names []string
			for _, p := range prompts {
				for _, n := range []string{p.label, p.id} {
					if n != "" {
						names = append(names, n)
					}
				}
			}
			if s := scorecard.Suggest(wantPrompt, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", readkit.Truncate(s, 60))
			}
			in.Fail("%s", msg)
			return nil, ""
		case len(chosenPrompts) > 1:
			in.Fail("prompt %q matches %d prompts (%s); name one by its id or index", wantPrompt, len(chosenPrompts), listPrompts(chosenPrompts))
			return nil, ""
		}
	}

	// The systems left: the (provider, prompt) pairs the rows hold.
	type system struct {
		provider pfProvider
		prompt   string
	}
	ranBy := map[pfProvider]map[string]bool{}
	var left []system
	seen := map[system]bool{}
	for _, r := range rows {
		p := pfProvider{r.provider, r.providerLabel}
		k := promptKey(r)
		if ranBy[p] == nil {
			ranBy[p] = map[string]bool{}
		}
		ranBy[p][k] = true
		if !slices.Contains(candidates, p) || (len(chosenPrompts) == 1 && chosenPrompts[0].key != k) {
			continue
		}
		if s := (system{p, k}); !seen[s] {
			seen[s] = true
			left = append(left, s)
		}
	}
	leftProviders := map[pfProvider]bool{}
	leftPrompts := map[string]bool{}
	for _, s := range left {
		leftProviders[s.provider] = true
		leftPrompts[s.prompt] = true
	}
	promptsOf := func(keys map[string]bool) []pfPrompt {
		var out []pfPrompt
		for _, p := range prompts {
			if keys[p.key] {
				out = append(out, p)
			}
		}
		return out
	}
	switch {
	case len(left) == 0:
		in.Fail("provider %s did not run prompt %s (it ran %s)", candidates[0], chosenPrompts[0], listPrompts(promptsOf(ranBy[candidates[0]])))
		return nil, ""
	case len(leftProviders) > 1:
		var ps []pfProvider
		for _, p := range providers {
			if leftProviders[p] {
				ps = append(ps, p)
			}
		}
		msg := fmt.Sprintf("this file has %d providers (%s); %s", len(ps), listProviders(ps), pick("provider", "its id or label"))
		several := false
		for _, p := range ps {
			several = several || len(ranBy[p]) > 1
		}
		if several && wantPrompt == "" {
			if o.BothSides {
				msg += "; and each side's prompt with --baseline-prompt and --candidate-prompt, for a provider that ran several"
			} else {
				msg += "; and a prompt with --prompt (its label, id or index), for a provider that ran several"
			}
		}
		in.FailChoice("%s", msg)
		return nil, ""
	case len(leftPrompts) > 1:
		hint := pick("prompt", "its label, id or index") + "; to compare two prompts, give the file as both sides with --baseline-prompt and --candidate-prompt"
		if o.BothSides {
			hint = pick("prompt", "its label, id or index") + ": two prompts of one provider are two systems"
		}
		in.FailChoice("provider %s ran %d prompts (%s); %s", left[0].provider, len(leftPrompts), listPrompts(promptsOf(leftPrompts)), hint)
		return nil, ""
	}
	chosen := left[0]
	var kept []pfRow
	for _, r := range rows {
		if (pfProvider{r.provider, r.providerLabel}) == chosen.provider && promptKey(r) == chosen.prompt {
			kept = append(kept, r)
		}
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
	name := chosen.provider.id
	if chosen.provider.label != "" {
		name = chosen.provider.label
	}
	if len(ranBy[chosen.provider]) > 1 {
		for _, p := range prompts {
			if p.key == chosen.prompt {
				label := p.label
				if label == "" {
					label = "prompt " + strconv.Itoa(p.index)
				}
				name += " [" + readkit.Truncate(label, 40) + "]"
			}
		}
	}
	return kept, name
}

// promptfooInventory lists the providers of the rows (sorted by id, then
// label) and their prompts (in the order of the promptIdx where each first
// appears), numbering the prompts from 0.
func promptfooInventory(rows []pfRow) ([]pfProvider, []pfPrompt) {
	seenProvider := map[pfProvider]bool{}
	var providers []pfProvider
	byKey := map[string]*pfPrompt{}
	var prompts []*pfPrompt
	for _, r := range rows {
		p := pfProvider{r.provider, r.providerLabel}
		if !seenProvider[p] {
			seenProvider[p] = true
			providers = append(providers, p)
		}
		k := promptKey(r)
		if q := byKey[k]; q != nil {
			q.firstIdx = min(q.firstIdx, r.promptIdx)
			if q.label == "" {
				q.label = r.promptLabel
			}
			continue
		}
		q := &pfPrompt{key: k, id: r.promptID, label: r.promptLabel, firstIdx: r.promptIdx}
		byKey[k] = q
		prompts = append(prompts, q)
	}
	sort.Slice(providers, func(i, j int) bool {
		if providers[i].id != providers[j].id {
			return providers[i].id < providers[j].id
		}
		return providers[i].label < providers[j].label
	})
	sort.SliceStable(prompts, func(i, j int) bool { return prompts[i].firstIdx < prompts[j].firstIdx })
	out := make([]pfPrompt, len(prompts))
	for i, p := range prompts {
		p.index = i
		out[i] = *p
	}
	return providers, out
}

// promptfooIDs gives each row its case id and sample number: the test's
// description, or a hash of its vars; repeats of one test become samples
// 0, 1, 2... in test order. A description shared by tests with different
// vars is made unique with the vars hash.
func promptfooIDs(file string, sc *scorecard.Scorecard, rows []pfRow) {
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
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: tests with different vars share a description (%s); their ids get the vars hash appended", file, readkit.QuoteList(shared)))
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
func promptfooCosts(file string, sc *scorecard.Scorecard, rows []pfRow) {
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
