package scorecard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ftgate/ftgate/scorecard/internal/readkit"
)

// ReadOptions control how a file is read.
type ReadOptions struct {
	// Format is "auto" (or empty) to detect the format from the content,
	// or one of Formats() to force it.
	Format string
	// Lenient turns unknown fields of the native format into warnings.
	Lenient bool
	// Scorer picks the scorer of an Inspect log with several.
	Scorer string
	// Metric picks the lm-evaluation-harness metric (default: the first of
	// acc, exact_match).
	Metric string
	// Provider picks one provider of a promptfoo file with several, by
	// its id or label.
	Provider string
	// Prompt picks one prompt of a promptfoo file with several, by its
	// label, its id or its index among the file's prompts.
	Prompt string
	// AcceptThreshold is the smallest numeric score counted as accepted
	// (Inspect numeric scores); nil means 1.0.
	AcceptThreshold *float64
	// PartialAccepted counts an Inspect "P" (partial) score as accepted.
	PartialAccepted bool
	// IDColumn and AcceptedColumn rename the CSV columns read as id and
	// accepted (defaults "id" and "accepted").
	IDColumn, AcceptedColumn string
	// BothSides says that the file is given as both sides of a
	// comparison: a reader of a file that holds several systems then asks
	// for a selection per side (--baseline-provider and
	// --candidate-provider) rather than one for both.
	BothSides bool
	// ProviderFrom and PromptFrom say where Provider and Prompt were set
	// ("--candidate-provider", "gate.yaml:7: importers.candidate.provider"),
	// for messages about a name that matches nothing; empty reads as the
	// --provider and --prompt flags.
	ProviderFrom, PromptFrom string
}

// MaxInputBytes is the largest input ftgate reads: 1 GiB. Read refuses
// more, and a caller reading a file or standard input should stop at
// MaxInputBytes+1 bytes and refuse the input then, rather than read
// without end (/dev/zero, a pipe that never closes). Read holds the whole
// input in memory with what it decodes from it: a native JSONL scorecard
// of minimal cases takes about 11 bytes of memory per byte of input, so a
// scorecard at the limit needs about 11 GiB, and one of 500 MiB fits a
// runner with 7 GB. The limit bounds the worst case; docs/security.md
// gives the measured costs.
const MaxInputBytes int64 = 1 << 30

// A Format is one reader: a name, a content sniffer and a parser. Each
// eval tool's reader is a package under scorecard that registers its
// Format in an init function, as image/png does with image; the native
// scorecard format (JSON, JSONL and CSV) is built in.
type Format struct {
	// Name is what --format and ReadOptions.Format call it ("inspect").
	Name string
	// Kind says what a file of this format is, for messages: "an
	// Inspect AI log (an .eval archive, or its JSON)". Empty reads as
	// "a NAME file".
	Kind string
	// Sniff reports whether data looks like this format. It reads only
	// the start of data (and, for an archive, its end), never fails, and
	// never claims a native scorecard.
	Sniff func(data []byte) bool
	// Read parses data, read from the file name. It returns an
	// *InputError, or an ErrorList of them, for every problem with the
	// content. Read fills Source, Format and SHA256 afterwards and checks
	// what every reader shares (see validate).
	Read func(name string, data []byte, o ReadOptions) (*Scorecard, error)
}

var (
	registryMu sync.Mutex
	// registered holds the formats in registration order, the built-in
	// ones last; detection follows order when it is set.
	registered []Format
	order      []string
)

// builtin are the native formats, registered by this package.
var builtin = []Format{
	{Name: "native", Kind: "a native scorecard (JSON or JSONL with an id and accepted per case)", Sniff: sniffNative, Read: readNative},
	{Name: "csv", Kind: "a CSV scorecard (a header line, then one row per case)", Sniff: sniffCSV, Read: readCSV},
}

// RegisterFormat makes a reader known to Read. It panics when the name is
// empty or already taken: both are programming errors.
func RegisterFormat(f Format) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if f.Name == "" || f.Sniff == nil || f.Read == nil {
		panic("scorecard: RegisterFormat with an empty name, sniffer or reader")
	}
	for _, g := range append(registered, builtin...) {
		if g.Name == f.Name {
			panic("scorecard: format " + strconv.Quote(f.Name) + " registered twice")
		}
	}
	registered = append(registered, f)
}

// SetDetectionOrder fixes the order in which format detection tries the
// readers: names lists every registered format and the built-in "native"
// and "csv", each once. Without it, the registered readers are tried in
// the order they registered, then native, then CSV. It panics when names
// leaves out or repeats a format, or names an unknown one: the list is
// written once, by the program that imports the readers (package
// scorecard/formats), and its tests catch a mistake.
func SetDetectionOrder(names ...string) {
	registryMu.Lock()
	defer registryMu.Unlock()
	all := append(slices.Clone(registered), builtin...)
	if len(names) != len(all) {
		panic(fmt.Sprintf("scorecard: SetDetectionOrder names %d formats, but %d are known", len(names), len(all)))
	}
	for _, n := range names {
		if !slices.ContainsFunc(all, func(f Format) bool { return f.Name == n }) {
			panic("scorecard: SetDetectionOrder names the unknown format " + strconv.Quote(n))
		}
	}
	order = slices.Clone(names)
}

// detection returns the formats in the order detection tries them.
func detection() []Format {
	registryMu.Lock()
	defer registryMu.Unlock()
	all := append(slices.Clone(registered), builtin...)
	if len(order) != len(all) {
		return all
	}
	byName := map[string]Format{}
	for _, f := range all {
		byName[f.Name] = f
	}
	out := make([]Format, len(order))
	for i, n := range order {
		out[i] = byName[n]
	}
	return out
}

// Formats returns the names accepted by ReadOptions.Format, besides
// "auto", sorted.
func Formats() []string {
	var names []string
	for _, f := range detection() {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// DetectionOrder returns the names of the formats in the order format
// detection tries them.
func DetectionOrder() []string {
	var names []string
	for _, f := range detection() {
		names = append(names, f.Name)
	}
	return names
}

// Read parses one scorecard file. name is used in messages and recorded as
// the scorecard's Source. It returns an *InputError (or an ErrorList of
// them) for every problem with the content.
func Read(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	if int64(len(data)) > MaxInputBytes {
		return nil, Errorf(name, 0, "the file is larger than %s, the most ftgate reads", readkit.ByteSize(MaxInputBytes))
	}
	f, err := pickFormat(name, data, o.Format)
	if err != nil {
		return nil, err
	}
	sc, err := f.Read(name, data, o)
	if err != nil {
		if o.Format != "" && o.Format != "auto" {
			return nil, mismatch(name, data, f, err)
		}
		return nil, err
	}
	sc.Source = name
	sc.Format = f.Name
	sum := sha256.Sum256(data)
	sc.SHA256 = hex.EncodeToString(sum[:])
	if err := validate(sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// kind says what a file of format f is.
func (f Format) kind() string {
	if f.Kind != "" {
		return f.Kind
	}
	return "a " + f.Name + " file"
}

// mismatch explains the failure of a reader forced with --format on a
// file that another reader recognises, and that this one does not: the
// reader's own message ("must be a JSON object, found a number") would
// describe a symptom of reading the wrong kind of file.
func mismatch(name string, data []byte, forced Format, err error) error {
	if forced.Sniff(data) {
		return err
	}
	for _, f := range detection() {
		if f.Name != forced.Name && f.Sniff(data) {
			looks, _, _ := strings.Cut(f.kind(), " (")
			return Errorf(name, 0, "this looks like %s (detected from its content); --format %s expects %s: give --format %s, or leave --format out",
				looks, forced.Name, forced.kind(), f.Name)
		}
	}
	return err
}

// Detect returns the name of the format that detection (--format auto)
// picks for data, or the error that Read would give when none does.
func Detect(name string, data []byte) (string, error) {
	f, err := pickFormat(name, data, "auto")
	return f.Name, err
}

func pickFormat(name string, data []byte, want string) (Format, error) {
	if want == "" || want == "auto" {
		if len(bytes.TrimSpace(data)) == 0 {
			return Format{}, Errorf(name, 0, "empty file: a scorecard needs at least one case")
		}
		for _, f := range detection() {
			if f.Sniff(data) {
				return f, nil
			}
		}
		if err := malformedJSON(name, data); err != nil {
			return Format{}, err
		}
		return Format{}, Errorf(name, 1, "cannot tell the format of this file; name it with --format (one of %s)", strings.Join(Formats(), ", "))
	}
	for _, f := range detection() {
		if f.Name == want {
			return f, nil
		}
	}
	msg := fmt.Sprintf("unknown format %q (want auto or one of %s)", want, strings.Join(Formats(), ", "))
	if s := Suggest(want, Formats()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return Format{}, fmt.Errorf("%s", msg)
}

// malformedJSON explains why no reader recognised a file that starts like
// JSON (with "{"): when its text is not valid JSON, the syntax error, at
// its line and column, says more than "cannot tell the format". A first
// line that is a complete JSON value is a JSONL line, judged alone; any
// other text is judged as one (possibly multi-line) document. It returns
// nil when the JSON is well-formed.
func malformedJSON(name string, data []byte) error {
	if readkit.FirstNonSpace(data) != '{' {
		return nil
	}
	start := len(data) - len(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	text := data[start:]
	if line := readkit.FirstLine(text); json.Valid(line) {
		return nil
	}
	if json.Valid(text) {
		return nil
	}
	err := readkit.PreciseError(text, nil)
	if err == nil {
		return nil
	}
	return readkit.ErrorAt(name, data, readkit.NewLineIndex(data), start, err)
}

// FindDuplicateKey returns the first key that an object inside the valid
// JSON text raw gives twice, at any depth, with the offset of its second
// occurrence: the check every reader makes, for the other JSON that
// ftgate reads (the JSON report that 'ftgate cases' reads back).
func FindDuplicateKey(raw []byte) (key string, off int, found bool) {
	if d := readkit.FindDuplicateKey(raw); d != nil {
		return d.Key, d.Off, true
	}
	return "", 0, false
}
