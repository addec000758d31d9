// Package inspect reads Inspect AI eval logs: the JSON log (`inspect eval
// ... --log-format json`) and the .eval archive (a zip with header.json and
// one samples/ID_epoch_N.json per sample, its members deflated or, since
// inspect_ai 0.3.206, Zstandard-compressed). Importing it registers the
// "inspect" format with package scorecard.
package inspect

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readkit"
	"github.com/klauspost/compress/zstd"
)

func init() {
	scorecard.RegisterFormat(scorecard.Format{Name: "inspect", Kind: "an Inspect AI log (an .eval archive, or its JSON)", Sniff: sniffInspect, Read: readInspect})
}

// zipMagic starts every zip archive.
var zipMagic = []byte("PK\x03\x04")

// sniffInspect recognises an .eval archive by its zip signature and member
// names, and a JSON log by its top-level "eval" object beside "samples" or
// "status".
func sniffInspect(data []byte) bool {
	if bytes.HasPrefix(data, zipMagic) {
		head, tail := data, data
		if len(head) > readkit.SniffHead {
			head = head[:readkit.SniffHead]
			tail = tail[len(tail)-readkit.SniffHead:]
		}
		for _, name := range []string{"header.json", "samples/", "_journal/start.json"} {
			if bytes.Contains(head, []byte(name)) || bytes.Contains(tail, []byte(name)) {
				return true
			}
		}
		return false
	}
	top, _ := readkit.HeadKeys(data, "")
	_, samples := top["samples"]
	_, status := top["status"]
	return top["eval"] == '{' && (samples || status) && !readkit.LooksNativeDocument(top)
}

// An inspectRun is what an Inspect log says about the run as a whole.
type inspectRun struct {
	status string
	model  string
	err    string // the run's own error, if it failed
}

// An inspectSample is one sample of the log with its scores still raw.
type inspectSample struct {
	in     *readkit.Input
	obj    readkit.Object
	id     string
	isInt  bool
	epoch  int
	scores map[string]scoreValue
	sample scorecard.Sample
}

// A scoreValue is one scorer's value for a sample, where it was found.
type scoreValue struct {
	raw []byte
	off int
}

// readInspect reads an Inspect log, JSON or .eval archive.
func readInspect(name string, data []byte, o scorecard.ReadOptions) (*scorecard.Scorecard, error) {
	sc := &scorecard.Scorecard{}
	var run inspectRun
	var samples []*inspectSample
	var errs scorecard.ErrorList
	if bytes.HasPrefix(data, zipMagic) {
		samples, errs = readInspectArchive(name, data, sc, &run)
	} else {
		in := readkit.NewInput(name, data)
		samples = readInspectJSON(in, sc, &run)
		errs = in.Errs
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if err := inspectScore(name, sc, run, samples, o); err != nil {
		return nil, err
	}
	sc.NoteLacking(name, "inspect")
	return sc, nil
}

// readInspectJSON reads the JSON log form.
func readInspectJSON(in *readkit.Input, sc *scorecard.Scorecard, run *inspectRun) []*inspectSample {
	doc, ok := in.Document("an Inspect log")
	if !ok {
		return nil
	}
	inspectHeader(doc, sc, run)
	elems, ok := doc.Array("samples", "samples")
	if !ok {
		if !in.Failed() {
			in.Fail("the log has no samples (was it written with --no-log-samples?); ftgate needs the per-sample scores")
		}
		return nil
	}
	var samples []*inspectSample
	for _, e := range elems {
		if obj, ok := in.Object(e.Off, e.Value, "a sample"); ok {
			if s := inspectSampleOf(obj); s != nil {
				samples = append(samples, s)
			}
		}
	}
	return samples
}

// readInspectArchive reads the .eval zip form: header.json (or, for a run
// still in progress, _journal/start.json) and samples/*.json; when there are
// no sample members, the summaries.
func readInspectArchive(name string, data []byte, sc *scorecard.Scorecard, run *inspectRun) ([]*inspectSample, scorecard.ErrorList) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, scorecard.ErrorList{scorecard.Errorf(name, 0, "not a readable .eval archive: %v", err)}
	}
	// Inspect 0.3.206 and later compress every member with Zstandard
	// (zip method 93); earlier versions used deflate.
	zr.RegisterDecompressor(zstd.ZipMethodWinZip, zstdMember)
	if len(zr.File) > archiveMaxMembers {
		return nil, scorecard.ErrorList{scorecard.Errorf(name, 0, "the .eval archive has %d members, more than the %d ftgate reads", len(zr.File), archiveMaxMembers)}
	}
	members := map[string]*zip.File{}
	var sampleNames, summaryNames []string
	for _, f := range zr.File {
		if members[f.Name] != nil {
			// Which of the two a reader takes is up to the reader: refuse.
			return nil, scorecard.ErrorList{scorecard.Errorf(name, 0, "the .eval archive has two members named %q; Inspect writes each once, so the archive was altered after it was written", f.Name)}
		}
		members[f.Name] = f
		switch {
		case strings.HasPrefix(f.Name, "samples/") && strings.HasSuffix(f.Name, ".json"):
			sampleNames = append(sampleNames, f.Name)
		case strings.HasPrefix(f.Name, "_journal/summaries/") && strings.HasSuffix(f.Name, ".json"):
			summaryNames = append(summaryNames, f.Name)
		}
	}
	if members["summaries.json"] != nil {
		summaryNames = []string{"summaries.json"}
	}
	var errs scorecard.ErrorList
	budget := &archiveBudget{archive: int64(len(data)), left: archiveLimit(int64(len(data)))}
	budget.limit = budget.left
	open := func(member string) *readkit.Input {
		if budget.spent {
			return nil
		}
		b, err := budget.read(members[member])
		if err == errArchiveBudget {
			errs = append(errs, budget.refusal(name, member))
			return nil
		}
		if err != nil {
			errs = append(errs, memberError(name, members[member], err))
			return nil
		}
		in := readkit.NewInput(name, b)
		in.Member = member
		return in
	}
	headerName := "header.json"
	if members[headerName] == nil {
		headerName = "_journal/start.json"
	}
	if members[headerName] == nil {
		return nil, scorecard.ErrorList{scorecard.Errorf(name, 0, "the .eval archive has neither header.json nor _journal/start.json: is it an Inspect log?")}
	}
	if in := open(headerName); in != nil {
		if doc, ok := in.Document("the log header"); ok {
			inspectHeader(doc, sc, run)
			if headerName != "header.json" && run.status == "" {
				run.status = "started"
			}
		}
		errs = append(errs, in.Errs...)
	}
	var samples []*inspectSample
	if len(sampleNames) > 0 {
		for _, m := range sampleNames {
			in := open(m)
			if budget.spent {
				break
			}
			if in == nil {
				continue
			}
			if obj, ok := in.Document("a sample"); ok {
				if s := inspectSampleOf(obj); s != nil {
					samples = append(samples, s)
				}
			}
			errs = append(errs, in.Errs...)
			if len(errs) >= readkit.MaxErrors {
				break
			}
		}
	} else {
		if len(summaryNames) > 0 {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: the archive has no samples/ members; reading the sample summaries instead", name))
		}
		sort.Strings(summaryNames)
		for _, m := range summaryNames {
			in := open(m)
			if budget.spent {
				break
			}
			if in == nil {
				continue
			}
			start := readkit.SkipSep(in.Data, 0)
			if elems, ok := in.Array(start, in.Data[start:], "the summaries"); ok {
				for _, e := range elems {
					if obj, ok := in.Object(e.Off, e.Value, "a sample summary"); ok {
						if s := inspectSampleOf(obj); s != nil {
							samples = append(samples, s)
						}
					}
				}
			}
			errs = append(errs, in.Errs...)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(samples) == 0 {
		return nil, scorecard.ErrorList{scorecard.Errorf(name, 0, "the .eval archive holds no samples (run status %q)", run.status)}
	}
	// Archive members come in no useful order: sort by id, then epoch.
	sort.SliceStable(samples, func(i, j int) bool {
		a, b := samples[i], samples[j]
		if a.id != b.id {
			return idLess(a.id, a.isInt, b.id, b.isInt)
		}
		return a.epoch < b.epoch
	})
	return samples, nil
}

// What ftgate decompresses from one .eval archive is bounded, so that a
// small archive of highly compressible members (a zip bomb) cannot exhaust
// memory: the members read (header, samples, summaries) may decompress to
// at most archiveRatio times the archive's size, but always at least
// archiveMinBytes and never more than archiveMaxBytes; and an archive
// of more than archiveMaxMembers members is refused. Inspect's JSON
// compresses about 5 to 30 times, so a real log stays well within these.
// They are variables so that tests can lower them.
var (
	archiveRatio      int64 = 200
	archiveMinBytes   int64 = 64 << 20
	archiveMaxBytes   int64 = 1 << 30
	archiveMaxMembers       = 500_000
)

// archiveLimit is the decompression budget of an archive of size bytes.
func archiveLimit(size int64) int64 {
	return min(max(size*archiveRatio, archiveMinBytes), archiveMaxBytes)
}

// errArchiveBudget says that the archive's budget is spent.
var errArchiveBudget = errors.New("decompression budget exceeded")

// An archiveBudget counts the bytes decompressed from one archive.
type archiveBudget struct {
	archive int64 // the archive's size
	limit   int64 // the budget
	left    int64 // what remains of it
	spent   bool  // a member did not fit
}

// read reads one archive member within the budget.
func (b *archiveBudget) read(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > uint64(b.left) {
		b.spent = true
		return nil, errArchiveBudget
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// archive/zip refuses a member longer than its declared size, but the
	// budget does not rely on it.
	data, err := io.ReadAll(io.LimitReader(rc, b.left+1))
	if int64(len(data)) > b.left {
		b.spent = true
		return nil, errArchiveBudget
	}
	b.left -= int64(len(data))
	return data, err
}

// refusal is the error for an archive whose budget ran out at member.
func (b *archiveBudget) refusal(file, member string) *scorecard.InputError {
	return scorecard.Errorf(file, 0, "%s: the archive's members decompress to more than %s, the most ftgate reads from a %s archive (%d times its size, at least %s, at most %s); refusing it as a possible zip bomb",
		readkit.Name(member), readkit.ByteSize(b.limit), readkit.ByteSize(b.archive), archiveRatio, readkit.ByteSize(archiveMinBytes), readkit.ByteSize(archiveMaxBytes))
}

// archiveMaxWindow bounds the Zstandard window (the history a decoder
// keeps, allocated up front from what a frame declares) so that a member
// cannot make ftgate reserve more memory than its budget accounts for.
// Zstandard's own levels use at most 8 MiB below level 20.
const archiveMaxWindow = 32 << 20

// zstdMember decompresses a zip member of method 93 (Zstandard).
var zstdMember = zstd.ZipDecompressor(zstd.WithDecoderMaxWindow(archiveMaxWindow))

// memberError explains why a member could not be read.
func memberError(file string, f *zip.File, err error) *scorecard.InputError {
	switch {
	case errors.Is(err, zip.ErrAlgorithm):
		return scorecard.Errorf(file, 0, "%s: compressed with zip method %d, which ftgate does not read (it reads stored, deflate and zstd members, which is what Inspect writes); is this archive an Inspect log?", readkit.Name(f.Name), f.Method)
	case errors.Is(err, zstd.ErrWindowSizeExceeded):
		return scorecard.Errorf(file, 0, "%s: its Zstandard frame asks for a window of more than %s of memory, the most ftgate allows; refusing it as a possible zip bomb", readkit.Name(f.Name), readkit.ByteSize(archiveMaxWindow))
	case errors.Is(err, zip.ErrChecksum):
		return scorecard.Errorf(file, 0, "%s: the member is corrupt (its checksum does not match); the archive was damaged after Inspect wrote it", readkit.Name(f.Name))
	}
	return scorecard.Errorf(file, 0, "%s: cannot read the member: %v", readkit.Name(f.Name), err)
}

// idLess orders ids: integers numerically, before strings.
func idLess(a string, aInt bool, b string, bInt bool) bool {
	if aInt && bInt {
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return x < y
	}
	if aInt != bInt {
		return aInt
	}
	return a < b
}

// inspectHeader reads the run-level fields of a log.
func inspectHeader(doc readkit.Object, sc *scorecard.Scorecard, run *inspectRun) {
	run.status = doc.Str("status", "status")
	if ev, ok := doc.Object("eval", "eval"); ok {
		run.model = ev.Str("model", "eval.model")
		sc.Run.ID = ev.Str("run_id", "eval.run_id")
		sc.Run.Dataset = ev.Str("task", "eval.task")
		if ds, ok := ev.Object("dataset", "eval.dataset"); ok {
			if n := ds.Str("name", "eval.dataset.name"); n != "" {
				sc.Run.Dataset = n
			}
		}
	} else if !doc.In.Failed() {
		doc.In.FailAt(doc.Off, `no "eval" object: this is not an Inspect log`)
	}
	if raw, off, ok := doc.Member("error"); ok {
		run.err = inspectErrorText(doc.In, raw, off, "error")
	}
	sc.System.Name = run.model
	sc.System.Model = run.model
}

// inspectErrorText reads an Inspect error: an object with "message" or a
// plain string.
func inspectErrorText(in *readkit.Input, raw []byte, off int, path string) string {
	if readkit.FirstNonSpace(raw) == '"' {
		return readkit.FirstLineOf(readkit.JSONString(in, raw, off, path))
	}
	if e, ok := in.Object(off, raw, path); ok {
		if m := readkit.FirstLineOf(e.Str("message", path+".message")); m != "" {
			return m
		}
		return "error"
	}
	return ""
}

// inspectSampleOf reads what ftgate needs from one sample, except the
// verdict (which depends on the scorer chosen across all samples).
func inspectSampleOf(obj readkit.Object) *inspectSample {
	in := obj.In
	id, ok := obj.IDString("id", "sample")
	if !ok {
		return nil
	}
	rawID, _, _ := obj.Member("id")
	s := &inspectSample{in: in, obj: obj, id: id, isInt: readkit.FirstNonSpace(rawID) != '"', epoch: 1}
	if obj.Has("epoch") {
		s.epoch = int(obj.Count("epoch", "epoch"))
		if s.epoch < 1 {
			_, off, _ := obj.Member("epoch")
			in.FailAt(off, "sample %q: epoch must be 1 or more, found %d", id, s.epoch)
			return nil
		}
	}
	x := &s.sample
	x.ID = id
	x.Sample = s.epoch - 1
	x.Line = in.Line(obj.Off)
	s.scores = map[string]scoreValue{}
	if sc, ok := obj.Object("scores", "scores"); ok {
		for _, f := range sc.Fields {
			v, ok := in.Object(readkit.ValueStart(in.Data, sc.Off+f.Off), f.Value, "scores."+readkit.Name(f.Key))
			if !ok {
				continue
			}
			if raw, off, ok := v.Member("value"); ok {
				s.scores[f.Key] = scoreValue{raw: raw, off: off}
			}
		}
	}
	if md, ok := obj.Object("metadata", "metadata"); ok {
		x.Workflow = md.Str("workflow", "metadata.workflow")
	}
	if t := obj.Number("total_time", "total_time", true); t != nil {
		ms := *t * 1000
		x.LatencyMS = &ms
	}
	if raw, off, ok := obj.Member("error"); ok {
		x.Error = inspectErrorText(in, raw, off, "error")
	}
	if raw, off, ok := obj.Member("limit"); ok {
		x.FailureClass = inspectLimit(in, raw, off)
	}
	return s
}

// inspectLimit names the limit a sample hit ("token_limit"), from an
// object {"type": "token", "limit": N} or a plain string.
func inspectLimit(in *readkit.Input, raw []byte, off int) string {
	kind := ""
	if readkit.FirstNonSpace(raw) == '"' {
		kind = readkit.JSONString(in, raw, off, "limit")
	} else if l, ok := in.Object(off, raw, "limit"); ok {
		kind = l.Str("type", "limit.type")
	}
	kind = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(kind)), " limit")
	if kind == "" {
		return "limit"
	}
	return strings.ReplaceAll(kind, " ", "_") + "_limit"
}

// inspectUsage sets a sample's cost or token usage from model_usage: the
// sum of total_cost when every model reports one, else the tokens of the
// evaluated model. It returns the models whose tokens were left out.
func inspectUsage(s *inspectSample, evalModel string) []string {
	mu, ok := s.obj.Object("model_usage", "model_usage")
	if !ok || len(mu.Fields) == 0 {
		return nil
	}
	type entry struct {
		model string
		obj   readkit.Object
	}
	var entries []entry
	for _, f := range mu.Fields {
		path := "model_usage." + readkit.Name(f.Key)
		if o, ok := s.in.Object(readkit.ValueStart(s.in.Data, mu.Off+f.Off), f.Value, path); ok {
			entries = append(entries, entry{f.Key, o})
		}
	}
	total, allCost := 0.0, len(entries) > 0
	for _, e := range entries {
		c := e.obj.Number("total_cost", "model_usage."+e.model+".total_cost", true)
		if c == nil {
			allCost = false
			continue
		}
		total += *c
	}
	if allCost {
		s.sample.CostUSD = &total
		return nil
	}
	pick := -1
	if len(entries) == 1 {
		pick = 0
	} else {
		for i, e := range entries {
			if e.model == evalModel {
				pick = i
			}
		}
	}
	var left []string
	for i, e := range entries {
		if i != pick {
			left = append(left, e.model)
		}
	}
	if pick < 0 {
		return left
	}
	e := entries[pick]
	p := "model_usage." + readkit.Name(e.model) + "."
	in := e.obj.Count("input_tokens", p+"input_tokens")
	out := e.obj.Count("output_tokens", p+"output_tokens")
	read := e.obj.Count("input_tokens_cache_read", p+"input_tokens_cache_read")
	write := e.obj.Count("input_tokens_cache_write", p+"input_tokens_cache_write")
	u := &scorecard.Usage{Model: e.model, InputTokens: in, OutputTokens: out, CachedInputTokens: read}
	// Inspect counts cache reads and writes apart from input_tokens (its
	// total_tokens is their sum with the output); some older provider
	// adapters folded them in, which total_tokens then shows.
	if total := e.obj.Count("total_tokens", p+"total_tokens"); !(read+write > 0 && total == in+out) {
		u.InputTokens += read + write
	}
	if u.CachedInputTokens > u.InputTokens {
		u.CachedInputTokens = u.InputTokens
	}
	s.sample.Usage = u
	return left
}

// inspectScore chooses the scorer, turns each sample's value into accepted,
// prices usage and fills sc.Samples.
func inspectScore(name string, sc *scorecard.Scorecard, run inspectRun, samples []*inspectSample, o scorecard.ReadOptions) error {
	in := readkit.NewInput(name, nil)
	seen := map[string]bool{}
	for _, s := range samples {
		for k := range s.scores {
			seen[k] = true
		}
	}
	scorers := slices.Sorted(maps.Keys(seen))
	if run.status != "" && run.status != "success" {
		msg := fmt.Sprintf("%s: the Inspect run ended with status %q", name, run.status)
		if run.err != "" {
			msg += ": " + run.err
		}
		sc.Warnings = append(sc.Warnings, msg+"; its samples may be incomplete")
	}
	if len(samples) == 0 {
		return scorecard.Errorf(name, 0, "the log has no samples (run status %q)", run.status)
	}
	var scorer string
	if len(scorers) == 0 {
		// No sample was scored. Samples that failed (an error or a limit)
		// are outcomes all the same: not accepted. Only samples that ran
		// and were never scored need a score.
		var unscored []string
		for _, s := range samples {
			if s.sample.Error == "" && s.sample.FailureClass == "" {
				unscored = append(unscored, s.id)
			}
		}
		if len(unscored) > 0 {
			what := readkit.Counted(len(unscored), "sample has", "samples have")
			if run.status == "success" || run.status == "" {
				return scorecard.Errorf(name, 0, "%s no score and no error (%s), and the log holds no scorer's results: score it with inspect score, then give ftgate the scored log",
					what, readkit.FirstFew(unscored, 5))
			}
			return scorecard.Errorf(name, 0, "%s no score and no error (%s): the run ended with status %q before they were scored; finish the eval (inspect eval-retry), or score the log with inspect score",
				what, readkit.FirstFew(unscored, 5), run.status)
		}
		if o.Scorer != "" {
			return scorecard.Errorf(name, 0, "no scorer %q in this file: no sample has a score (every sample ended with an error or a limit)", o.Scorer)
		}
	} else {
		var ok bool
		if scorer, ok = readkit.PickName(in, "scorer", "scorer", o.Scorer, scorers); !ok {
			return in.Errs
		}
	}
	threshold := 1.0
	if o.AcceptThreshold != nil {
		threshold = *o.AcceptThreshold
	}
	var unscored []string
	leftOut := map[string]bool{}
	var errs scorecard.ErrorList
	for _, s := range samples {
		x := &s.sample
		v, scored := s.scores[scorer]
		if !scored && x.Error == "" && x.FailureClass == "" {
			unscored = append(unscored, x.ID)
			continue
		}
		if scored {
			acc, score, msg := inspectValue(v.raw, threshold, o.PartialAccepted)
			if msg != "" {
				s.in.FailAt(v.off, "sample %q: scorer %q %s", x.ID, scorer, msg)
			}
			x.Accepted, x.Score = acc, score
		}
		if x.Error != "" || x.FailureClass != "" {
			x.Accepted = false
		}
		for _, m := range inspectUsage(s, run.model) {
			leftOut[m] = true
		}
		errs = append(errs, s.in.Errs...)
		s.in.Errs = nil
		if len(errs) >= readkit.MaxErrors {
			break
		}
		sc.Samples = append(sc.Samples, *x)
	}
	if len(errs) > 0 {
		return errs
	}
	if len(sc.Samples) == 0 {
		return scorecard.Errorf(name, 0, "no sample has a score from scorer %q (run status %q)", scorer, run.status)
	}
	if scorer == "" {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: no sample has a score: all %d ended with an error or a limit, so none is accepted", name, len(sc.Samples)))
	}
	if len(unscored) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: %s no %q score and no error, so left out: %s", name, readkit.Counted(len(unscored), "sample has", "samples have"), scorer, readkit.FirstFew(unscored, 5)))
	}
	if len(leftOut) > 0 {
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s: token usage of %s is not readkit.Counted: only the evaluated model %q is priced", name, readkit.QuoteList(slices.Sorted(maps.Keys(leftOut))), run.model))
	}
	return nil
}

// inspectValue turns one score value into accepted and a numeric score. It
// returns a message when the value cannot be read.
func inspectValue(raw []byte, threshold float64, partial bool) (bool, *float64, string) {
	f := func(x float64) *float64 { return &x }
	switch c := readkit.FirstNonSpace(raw); {
	case c == '"':
		var v string
		json.Unmarshal(raw, &v)
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "c", "yes", "true", "correct":
			return true, f(1), ""
		case "i", "no", "false", "incorrect":
			return false, f(0), ""
		case "p", "partial":
			return partial, f(0.5), ""
		case "n", "noanswer":
			return false, f(0), ""
		}
		return false, nil, fmt.Sprintf("gives %s, which is not a value ftgate reads as accepted (C, I, P, N, yes, no, true, false or a number)", strings.TrimSpace(string(raw)))
	case c == 't' || c == 'f':
		b := c == 't'
		if b {
			return true, f(1), ""
		}
		return false, f(0), ""
	case c == '{' || c == '[':
		return false, nil, fmt.Sprintf("gives %s per sample, not one value; pick a scorer with a single value per sample with --scorer", readkit.Describe(raw))
	default:
		x, msg := readkit.ParseNumber(raw, false)
		if msg != "" {
			return false, nil, "value " + msg
		}
		return x >= threshold, &x, ""
	}
}
