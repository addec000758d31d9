package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/numfmt"
	"github.com/ftgate/ftgate/scorecard"
)

// 'ftgate merge' pools the samples of eval runs into one evidence file,
// for sequential mode (docs/methods.md §12): each run becomes a batch,
// named by a label on every one of its samples, and a re-run of the same
// cases adds samples to them. It refuses a second copy of a sample or of
// a run, and replaces the evidence file atomically.

// mergeOptions are the choices of one merge.
type mergeOptions struct {
	// Renumber gives a run's samples sample numbers after the highest one
	// its case already has, in the run's order.
	Renumber bool
	// Batch labels every sample of the runs (instead of their own labels).
	Batch string
}

// A mergedBatch summarises one batch added by a merge.
type mergedBatch struct {
	Source, Label string
	Samples       int
	NewCases      int
}

func newMerge(a *app) *cobra.Command {
	var into, batch string
	var renumber optBool
	var rf readFlags
	cmd := &cobra.Command{
		Use:     "merge --into EVIDENCE.jsonl [--renumber] [--batch LABEL] [flags] RUN...",
		Short:   "Pool eval runs into one evidence file (sequential mode)",
		GroupID: groupIDSetup,
		Long: `Merge appends each RUN's samples to EVIDENCE.jsonl (created when missing) as one batch of
evidence, and rewrites it atomically. A RUN is any scorecard ftgate reads; EVIDENCE is native JSONL
with a batch label on every sample. A run is refused when a sample with the same case id and sample
number is already there (--renumber numbers a re-run's samples after the case's last one), or when
the run is already there: the same batch label (the run's run.id), or the same samples as a batch
already merged. --batch names the run's batch (a CI run number, say) when its scorecard has no
run.id of its own.`,
		Example: `  ftgate merge --into evidence/candidate.jsonl runs/candidate-41.jsonl
  ftgate merge --into evidence/candidate.jsonl --batch "$GITHUB_RUN_ID" --renumber results.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("merge needs at least one RUN scorecard")
			}
			return nil
		},
		RunE: a.run(func(cmd *cobra.Command, runs []string) error {
			return a.merge(into, runs, &rf, mergeOptions{Renumber: renumber.value, Batch: batch})
		}),
	}
	o := in(cmd, groupInputs)
	o.StringVar(&into, "into", "the evidence `FILE` to append to (native JSONL; created when missing)")
	o.StringVar(&batch, "batch", "the batch `LABEL` of the run's samples (one RUN; default: its run.id, else a digest of the file)")
	o.BoolVar(&renumber, "renumber", "number a re-run's samples after each case's last sample, instead of refusing repeated sample numbers")
	required(cmd, "into")
	rf.register(cmd)
	return cmd
}

func (a *app) merge(into string, runs []string, rf *readFlags, mo mergeOptions) error {
	env := a.env
	switch {
	case into == "-":
		return usagef("merge --into needs a file: it is rewritten in place")
	case mo.Batch != "" && len(runs) > 1:
		return usagef("merge --batch labels one run; give one RUN")
	}
	target, _, err := resolveOutput(into)
	if err != nil {
		return usagef("--into %s: %v", into, err)
	}
	for _, r := range runs {
		if sameFile(r, into) {
			return usagef("merge: %s is both the evidence file and a run", r)
		}
	}
	l := newLoader(a)
	opts, err := rf.options(l, "")
	if err != nil {
		return err
	}
	var evidence *scorecard.Scorecard
	if _, err := os.Stat(into); err == nil {
		l.opts = scorecard.ReadOptions{Format: "native"}
		evidence = l.scorecard(into)
		if evidence == nil {
			return l.errs.Err()
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", into, unwrapPath(err))
	}
	l.opts = opts
	var scs []*scorecard.Scorecard
	for _, r := range runs {
		if sc := l.scorecard(r); sc != nil {
			scs = append(scs, sc)
		}
	}
	if err := l.errs.Err(); err != nil {
		return err
	}
	merged, added, err := mergeScorecards(into, evidence, scs, mo)
	if err != nil {
		return err
	}
	if err := a.ctx.Err(); err != nil {
		return errInterrupted
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("%s: %w", into, unwrapPath(err))
	}
	if err := replaceAll(a, []staged{{name: into, target: target, data: encodeNativeJSONL(merged)}}); err != nil {
		return err
	}
	batches, cases := map[string]bool{}, map[string]bool{}
	for _, s := range merged.Samples {
		batches[s.Batch], cases[s.ID] = true, true
	}
	for _, b := range added {
		fmt.Fprintf(env.Stdout, "%s: %s merged as batch %q (%s)\n", b.Source, numfmt.Counted(b.Samples, "sample", "samples"), b.Label, numfmt.Counted(b.NewCases, "new case", "new cases"))
	}
	fmt.Fprintf(env.Stdout, "%s: %s, %s, %s\n", into, numfmt.Counted(len(batches), "batch", "batches"), numfmt.Counted(len(merged.Samples), "sample", "samples"), numfmt.Counted(len(cases), "case", "cases"))
	return nil
}

// sameFile reports whether a and b name one file.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// batchLabel is the label of a sample without one: its scorecard's run id,
// else a digest of the scorecard's bytes.
func batchLabel(sc *scorecard.Scorecard) string {
	if sc.Run.ID != "" {
		return sc.Run.ID
	}
	d := sc.SHA256
	if len(d) > 12 {
		d = d[:12]
	}
	return "sha256:" + d
}

// contentKey is a sample's content without its sample number, batch and
// position: two samples with the same key are the same outcome.
func contentKey(s scorecard.Sample) string {
	s.Sample, s.Batch, s.Line = 0, "", 0
	return string(encodeSample(s))
}

// mergeScorecards appends the runs to the evidence (nil: none yet). name
// is the evidence file's name, for messages.
func mergeScorecards(name string, evidence *scorecard.Scorecard, runs []*scorecard.Scorecard, o mergeOptions) (*scorecard.Scorecard, []mergedBatch, error) {
	out := &scorecard.Scorecard{Source: name, Format: "native"}
	if evidence != nil {
		out.System, out.Run = evidence.System, evidence.Run
		for _, s := range evidence.Samples {
			if s.Batch == "" {
				s.Batch = batchLabel(evidence)
			}
			out.Samples = append(out.Samples, s)
		}
	} else if len(runs) > 0 {
		out.System, out.Run = runs[0].System, runs[0].Run
	}
	type where struct {
		line int
		file string
	}
	seen := map[string]where{}      // id + sample number
	top := map[string]int{}         // highest sample number of each case
	group := map[string][2]string{} // workflow, cluster of each case
	batchKeys := map[string][]string{}
	var order []string
	index := func(s scorecard.Sample, file string) {
		seen[s.ID+"\x00"+fmt.Sprint(s.Sample)] = where{s.Line, file}
		if n, ok := top[s.ID]; !ok || s.Sample > n {
			top[s.ID] = s.Sample
		}
		if _, ok := group[s.ID]; !ok {
			group[s.ID] = [2]string{s.Workflow, s.Cluster}
		}
		if _, ok := batchKeys[s.Batch]; !ok {
			order = append(order, s.Batch)
		}
		batchKeys[s.Batch] = append(batchKeys[s.Batch], contentKey(s))
	}
	for _, s := range out.Samples {
		index(s, name)
	}
	fingerprint := func(keys []string) string {
		k := append([]string(nil), keys...)
		sort.Strings(k)
		h := sha256.Sum256([]byte(strings.Join(k, "\n")))
		return hex.EncodeToString(h[:])
	}
	var errs scorecard.ErrorList
	var added []mergedBatch
	for _, run := range runs {
		if out.System.Name != "" && run.System.Name != "" && run.System.Name != out.System.Name {
			errs = append(errs, scorecard.Errorf(run.Source, 1, "the run is of system %q but %s holds %q; merge only runs of one system", run.System.Name, name, out.System.Name))
			continue
		}
		if out.System.Name == "" {
			out.System = run.System
		}
		// Group the run's samples by batch label (a run is one batch,
		// unless it is itself merged evidence).
		labels := map[string][]scorecard.Sample{}
		var runOrder []string
		for _, s := range run.Samples {
			if o.Batch != "" {
				s.Batch = o.Batch
			} else if s.Batch == "" {
				s.Batch = batchLabel(run)
			}
			if _, ok := labels[s.Batch]; !ok {
				runOrder = append(runOrder, s.Batch)
			}
			labels[s.Batch] = append(labels[s.Batch], s)
		}
		for _, label := range runOrder {
			samples := labels[label]
			if _, dup := batchKeys[label]; dup {
				errs = append(errs, scorecard.Errorf(run.Source, 0, "batch %q is already in %s; a run is merged once (give each run its own run.id)", label, name))
				continue
			}
			keys := make([]string, len(samples))
			for i, s := range samples {
				keys[i] = contentKey(s)
			}
			fp := fingerprint(keys)
			copyOf := ""
			for _, b := range order {
				if len(batchKeys[b]) == len(keys) && fingerprint(batchKeys[b]) == fp {
					copyOf = b
					break
				}
			}
			if copyOf != "" {
				errs = append(errs, scorecard.Errorf(run.Source, 0, "the run's %d samples are identical to batch %q already in %s; a copy of a run is not new evidence", len(samples), copyOf, name))
				continue
			}
			bad := false
			newCases := map[string]bool{}
			next := map[string]int{}
			inRun := map[string]int{}
			var repeated []repeatedSample // samples whose number the evidence already has
			for i := range samples {
				s := &samples[i]
				if g, ok := group[s.ID]; ok && (g[0] != s.Workflow || g[1] != s.Cluster) {
					errs = append(errs, scorecard.Errorf(run.Source, s.Line, "case %q has workflow %q and cluster %q, but %s has %q and %q for it", s.ID, s.Workflow, s.Cluster, name, g[0], g[1]))
					bad = true
					continue
				}
				if _, ok := top[s.ID]; !ok {
					newCases[s.ID] = true
				}
				if o.Renumber {
					if _, ok := next[s.ID]; !ok {
						next[s.ID] = 0
						if n, ok := top[s.ID]; ok {
							next[s.ID] = n + 1
						}
					}
					s.Sample = next[s.ID]
					next[s.ID]++
				}
				key := s.ID + "\x00" + fmt.Sprint(s.Sample)
				if w, dup := seen[key]; dup {
					repeated = append(repeated, repeatedSample{line: s.Line, id: s.ID, sample: s.Sample, file: w.file, at: w.line})
					bad = true
				} else if line, dup := inRun[key]; dup {
					errs = append(errs, scorecard.Errorf(run.Source, s.Line, "case %q sample %d appears twice in the run (first at line %d)", s.ID, s.Sample, line))
					bad = true
				}
				inRun[key] = s.Line
			}
			errs = append(errs, repeatedErrors(run.Source, name, repeated, len(samples))...)
			if bad {
				continue
			}
			for _, s := range samples {
				index(s, run.Source)
				out.Samples = append(out.Samples, s)
			}
			added = append(added, mergedBatch{Source: run.Source, Label: label, Samples: len(samples), NewCases: len(newCases)})
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	return out, added, nil
}

// nativeSample is the native JSONL form of a sample, in documentation
// order; absent optional fields are omitted.
type nativeSample struct {
	ID           string       `json:"id"`
	Sample       int          `json:"sample"`
	Workflow     string       `json:"workflow,omitempty"`
	Cluster      string       `json:"cluster,omitempty"`
	Accepted     bool         `json:"accepted"`
	Score        *float64     `json:"score,omitempty"`
	CostUSD      *float64     `json:"cost_usd,omitempty"`
	Usage        *nativeUsage `json:"usage,omitempty"`
	LatencyMS    *float64     `json:"latency_ms,omitempty"`
	SchemaValid  *bool        `json:"schema_valid,omitempty"`
	FailureClass string       `json:"failure_class,omitempty"`
	Error        string       `json:"error,omitempty"`
	Batch        string       `json:"batch,omitempty"`
}

type nativeUsage struct {
	Model             string `json:"model,omitempty"`
	InputTokens       int64  `json:"input_tokens"`
	OutputTokens      int64  `json:"output_tokens"`
	CachedInputTokens int64  `json:"cached_input_tokens"`
}

func encodeSample(s scorecard.Sample) []byte {
	n := nativeSample{ID: s.ID, Sample: s.Sample, Workflow: s.Workflow, Cluster: s.Cluster, Accepted: s.Accepted, Score: s.Score,
		CostUSD: s.CostUSD, LatencyMS: s.LatencyMS, SchemaValid: s.SchemaValid, FailureClass: s.FailureClass, Error: s.Error, Batch: s.Batch}
	if u := s.Usage; u != nil {
		n.Usage = &nativeUsage{u.Model, u.InputTokens, u.OutputTokens, u.CachedInputTokens}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(n); err != nil {
		panic(err) // strings, numbers and booleans always encode
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// encodeNativeJSONL writes a scorecard as native JSONL: a header line,
// then one sample a line.
func encodeNativeJSONL(sc *scorecard.Scorecard) []byte {
	type header struct {
		Scorecard int              `json:"scorecard"`
		System    scorecard.System `json:"system"`
		Run       *scorecard.Run   `json:"run,omitempty"`
	}
	h := header{Scorecard: 1, System: sc.System}
	if sc.Run != (scorecard.Run{}) {
		r := sc.Run
		h.Run = &r
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		panic(err)
	}
	for _, s := range sc.Samples {
		b.Write(encodeSample(s))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// A repeatedSample is a run's sample at line whose case id and sample
// number the evidence already has, from file at line at.
type repeatedSample struct {
	line, sample, at int
	id, file         string
}

// repeatedErrors says what is wrong with a run's repeated samples: one
// error each when there are a few; more (a re-run merged without
// --renumber repeats every case) are said once, at the first of them,
// with their count out of the run's samples.
func repeatedErrors(source, evidence string, repeated []repeatedSample, samples int) []error {
	const fix = "a re-run needs new sample numbers: use --renumber to number them after each case's last sample"
	if len(repeated) > 3 {
		r := repeated[0]
		return []error{scorecard.Errorf(source, r.line, "%d of the run's %d samples repeat a case and sample number already in %s (the first: case %q sample %d, from %s line %d); %s",
			len(repeated), samples, evidence, r.id, r.sample, r.file, r.at, fix)}
	}
	var errs []error
	for _, r := range repeated {
		errs = append(errs, scorecard.Errorf(source, r.line, "case %q sample %d is already in %s (from %s line %d); %s", r.id, r.sample, evidence, r.file, r.at, fix))
	}
	return errs
}
