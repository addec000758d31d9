// Package openaievals reads the record log that `oaieval` writes
// (--record_path, by default /tmp/evallogs/<run_id>_<model>_<eval>.jsonl): a
// {"spec": ...} line, a {"final_report": ...} line and one event a line, in
// no fixed order (events are flushed in batches, the report when it is
// known). Importing it registers the "openai-evals" format with package
// scorecard.
package openaievals

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "openai-evals", Kind: "an OpenAI evals record file (JSONL of oaieval --record_path)", Sniff: sniffOpenAIEvals, Read: readOpenAIEvals})
}

// sniffOpenAIEvals recognises a first line that is the spec, the final
// report or an event (run_id, event_id and type).
func sniffOpenAIEvals(data []byte) bool {
	keys := readkit.FirstLineKeys(data)
	if keys == nil || readkit.LooksNative(keys) {
		return false
	}
	if keys["spec"] == '{' {
		return true
	}
	if _, ok := keys["final_report"]; ok && len(keys) == 1 {
		return true
	}
	_, run := keys["run_id"]
	_, event := keys["event_id"]
	_, typ := keys["type"]
	return run && event && typ
}

// An oaiEvent is one event line.
type oaiEvent struct {
	line    int
	hasID   bool // order is the event_id
	order   int  // event_id, or the line order when absent
	sample  string
	typ     string
	correct bool
	usage   *scorecard.Usage
	err     string
}

// An oaiAttempt is one graded attempt at a sample: the events up to and
// including its match event.
type oaiAttempt struct {
	line    int
	first   int // order of its first event
	graded  bool
	correct bool
	usage   *scorecard.Usage
	errs    []string
}

// readOpenAIEvals reads an openai/evals record log.
func readOpenAIEvals(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	in := readkit.NewInput(name, data)
	sc := &scorecard.Scorecard{}
	var evalName, model string
	var events []oaiEvent
	sawSpec, sawReport := false, false
	runIDs := map[string]bool{}
	types := map[string]bool{}
	eventLine := map[int]int{} // event_id → its line
	var runErrors []string
	for _, l := range in.Lines() {
		obj, ok := in.Object(l.Off, l.Text, "an openai-evals record line")
		if !ok {
			continue
		}
		switch {
		case obj.Has("spec"):
			if sawSpec {
				in.FailAt(obj.Off, "a second spec line: the file holds more than one run")
				continue
			}
			sawSpec = true
			spec, ok := obj.Object("spec", "spec")
			if !ok {
				continue
			}
			evalName = spec.Str("eval_name", "spec.eval_name")
			sc.Run.ID = spec.Str("run_id", "spec.run_id")
			if raw, off, ok := spec.Member("completion_fns"); ok {
				fns := oaiStrings(in, raw, off, "spec.completion_fns")
				if len(fns) > 0 {
					model = fns[0]
					sc.System.Name = strings.Join(fns, ",")
				}
			}
			if sc.System.Name == "" {
				model = spec.Str("model_name", "spec.model_name")
				sc.System.Name = model
			}
			sc.System.Model = model
		case obj.Has("final_report"):
			sawReport = true
		case obj.Has("type"):
			ev := oaiEventOf(obj, len(events))
			if id := obj.Str("run_id", "run_id"); id != "" {
				runIDs[id] = true
			}
			types[ev.typ] = true
			if ev.hasID {
				if prev, dup := eventLine[ev.order]; dup {
					in.FailAt(obj.Off, "a second event with event_id %d (first at line %d): the log mixes two runs or was altered; each event of a run has its own id", ev.order, prev)
					continue
				}
				eventLine[ev.order] = ev.line
			}
			if ev.sample == "" {
				if ev.err != "" {
					runErrors = append(runErrors, ev.err)
				}
				continue
			}
			events = append(events, ev)
		default:
			in.FailAt(obj.Off, "line is neither the spec, the final_report nor an event (an object with \"type\"); keys: %s", readkit.QuoteList(obj.Keys()))
		}
	}
	if in.Failed() {
		return nil, in.Errs
	}
	if len(runIDs) > 1 {
		return nil, scorecard.Errorf(name, 0, "events from %d runs (%s): give ftgate one run's log", len(runIDs), readkit.QuoteList(slices.Sorted(maps.Keys(runIDs))))
	}
	if !types["match"] {
		if len(types) == 0 {
			return nil, scorecard.Errorf(name, 0, "no events: the log has no sampled or graded samples")
		}
		return nil, scorecard.Errorf(name, 0, "no \"match\" events: ftgate reads each sample's outcome from them (this log has %s events)", readkit.QuoteList(slices.Sorted(maps.Keys(types))))
	}
	if sc.Run.ID == "" {
		for id := range runIDs {
			sc.Run.ID = id
		}
	}
	sc.Run.Dataset = evalName
	for i := range events {
		if events[i].usage != nil {
			events[i].usage.Model = model
		}
	}
	ungraded := oaiSamples(sc, events, evalName)
	if !sawSpec {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: no spec line, so the eval name (the workflow) and the model are unknown", name))
	}
	if !sawReport {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: no final_report line: the run may have stopped before the end", name))
	}
	if len(ungraded) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s sampled but never graded (no match event), so not accepted, with an error: %s", name, readkit.Counted(len(ungraded), "sample was", "samples were"), readkit.FirstFew(ungraded, 5)))
	}
	if len(runErrors) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s no sample; the first: %s", name, readkit.Counted(len(runErrors), "error event belongs to", "error events belong to"), runErrors[0]))
	}
	sc.NoteLacking(name, "openai-evals")
	return sc, nil
}

// oaiEventOf decodes one event line;
// index is the event's position among the lines, its order when it has no
// event_id.
func oaiEventOf(obj readkit.Object, index int) oaiEvent {
	in := obj.In
	ev := oaiEvent{line: in.Line(obj.Off), order: index}
	ev.typ = obj.Str("type", "type")
	if obj.Has("event_id") {
		ev.order = int(obj.Count("event_id", "event_id"))
		ev.hasID = true
	}
	if raw, _, ok := obj.Member("sample_id"); ok && readkit.FirstNonSpace(raw) != '"' {
		ev.sample, _ = obj.IDString("sample_id", "event")
	} else {
		ev.sample = obj.Str("sample_id", "sample_id")
	}
	data, hasData := obj.Object("data", "data")
	switch ev.typ {
	case "match":
		if !hasData {
			in.FailAt(obj.Off, "match event for sample %q has no data", ev.sample)
			break
		}
		c := data.Boolean("correct", "data.correct")
		if c == nil {
			if !data.Has("correct") {
				in.FailAt(data.Off, "match event for sample %q has no data.correct (true or false)", ev.sample)
			}
			break
		}
		ev.correct = *c
	case "sampling":
		if hasData {
			if u, ok := data.Object("usage", "data.usage"); ok {
				ev.usage = oaiUsage(u)
			}
		}
	default:
		if strings.Contains(strings.ToLower(ev.typ), "error") {
			ev.err = "error event"
			if hasData {
				var parts []string
				for _, k := range []string{"msg", "type", "message", "error"} {
					if raw, off, ok := data.Member(k); ok && readkit.FirstNonSpace(raw) == '"' {
						if v := readkit.FirstLineOf(readkit.JSONString(in, raw, off, "data."+k)); v != "" {
							parts = append(parts, v)
						}
					}
				}
				if len(parts) > 0 {
					ev.err = strings.Join(parts, ": ")
				}
			}
		}
	}
	return ev
}

// oaiUsage reads OpenAI-style usage: prompt_tokens (input_tokens),
// completion_tokens (output_tokens) and prompt_tokens_details.cached_tokens.
func oaiUsage(u readkit.Object) *scorecard.Usage {
	x := &scorecard.Usage{
		InputTokens:  u.Count("prompt_tokens", "data.usage.prompt_tokens") + u.Count("input_tokens", "data.usage.input_tokens"),
		OutputTokens: u.Count("completion_tokens", "data.usage.completion_tokens") + u.Count("output_tokens", "data.usage.output_tokens"),
	}
	for _, k := range []string{"prompt_tokens_details", "input_tokens_details"} {
		if d, ok := u.Object(k, "data.usage."+k); ok {
			x.CachedInputTokens += d.Count("cached_tokens", "data.usage."+k+".cached_tokens")
		}
	}
	x.CachedInputTokens = min(x.CachedInputTokens, x.InputTokens)
	return x
}

// oaiStrings decodes a list of strings (or one string).
func oaiStrings(in *readkit.Input, raw []byte, off int, path string) []string {
	if readkit.FirstNonSpace(raw) == '"' {
		return []string{readkit.JSONString(in, raw, off, path)}
	}
	elems, ok := in.Array(off, raw, path)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range elems {
		out = append(out, readkit.JSONString(in, e.Value, e.Off, path+"[]"))
	}
	return out
}

// oaiSamples groups the events by sample and turns each graded attempt into
// a sample (repeated match events of one sample_id become samples 0, 1...).
// It returns the ids that were sampled but never graded.
func oaiSamples(sc *scorecard.Scorecard, events []oaiEvent, workflow string) []string {
	sort.SliceStable(events, func(i, j int) bool { return events[i].order < events[j].order })
	bySample := map[string][]oaiAttempt{}
	var ids []string
	for _, ev := range events {
		atts, seen := bySample[ev.sample]
		if !seen {
			ids = append(ids, ev.sample)
		}
		if len(atts) == 0 || atts[len(atts)-1].graded {
			atts = append(atts, oaiAttempt{line: ev.line, first: ev.order})
		}
		a := &atts[len(atts)-1]
		if ev.usage != nil {
			if a.usage == nil {
				a.usage = &scorecard.Usage{Model: ev.usage.Model}
			}
			a.usage.InputTokens += ev.usage.InputTokens
			a.usage.OutputTokens += ev.usage.OutputTokens
			a.usage.CachedInputTokens += ev.usage.CachedInputTokens
		}
		if ev.err != "" {
			a.errs = append(a.errs, ev.err)
		}
		if ev.typ == "match" {
			a.graded, a.correct, a.line = true, ev.correct, ev.line
		}
		bySample[ev.sample] = atts
	}
	var ungraded []string
	for _, id := range ids {
		atts := bySample[id]
		// Events after the last match (a retry's sampling, a late error)
		// belong to that last graded attempt.
		if n := len(atts); n > 1 && !atts[n-1].graded {
			last, tail := &atts[n-2], atts[n-1]
			if tail.usage != nil {
				if last.usage == nil {
					last.usage = &scorecard.Usage{Model: tail.usage.Model}
				}
				last.usage.InputTokens += tail.usage.InputTokens
				last.usage.OutputTokens += tail.usage.OutputTokens
				last.usage.CachedInputTokens += tail.usage.CachedInputTokens
			}
			last.errs = append(last.errs, tail.errs...)
			atts = atts[:n-1]
		}
		for i, a := range atts {
			s := scorecard.Sample{ID: id, Sample: i, Workflow: workflow, Line: a.line, Usage: a.usage}
			s.Accepted = a.graded && a.correct && len(a.errs) == 0
			switch {
			case len(a.errs) > 0:
				s.Error = strings.Join(a.errs, "; ")
			case !a.graded:
				s.Error = "no match event: the sample was never graded"
				ungraded = append(ungraded, id)
			}
			sc.Samples = append(sc.Samples, s)
		}
	}
	return ungraded
}
