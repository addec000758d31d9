package scorecard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
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
	// Provider picks one provider of a promptfoo file with several.
	Provider string
	// AcceptThreshold is the smallest numeric score counted as accepted
	// (Inspect numeric scores); nil means 1.0.
	AcceptThreshold *float64
	// PartialAccepted counts an Inspect "P" (partial) score as accepted.
	PartialAccepted bool
	// IDColumn and AcceptedColumn rename the CSV columns read as id and
	// accepted (defaults "id" and "accepted").
	IDColumn, AcceptedColumn string
}

// MaxInputBytes is the largest input ftgate reads: 4 GiB. Read refuses
// more, and a caller reading a file or standard input should stop at
// MaxInputBytes+1 bytes (io.LimitReader) and refuse the input then, rather
// than read without end (/dev/zero, a pipe that never closes). Read holds
// the whole input in memory, with an index of its lines, so the limit is
// about memory as much as about time.
const MaxInputBytes int64 = 4 << 30

// A format is one reader: a name, a content sniffer and a parser.
type format struct {
	name string
	// sniff reports whether data looks like this format. Sniffers are
	// tried in order; the first that says yes wins.
	sniff func(data []byte) bool
	read  func(name string, data []byte, o ReadOptions) (*Scorecard, error)
}

// formats lists every reader in detection order: the most specific
// signatures first, CSV (the loosest) last.
var formats = []format{
	{"inspect", sniffInspect, readInspect},
	{"promptfoo", sniffPromptfoo, readPromptfoo},
	{"openai-evals", sniffOpenAIEvals, readOpenAIEvals},
	{"lm-eval", sniffLMEval, readLMEval},
	{"native", sniffNative, readNative},
	{"csv", sniffCSV, readCSV},
}

// Formats returns the names accepted by ReadOptions.Format, besides "auto".
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	sort.Strings(names)
	return names
}

// Read parses one scorecard file. name is used in messages and recorded as
// the scorecard's Source. It returns an *InputError (or an ErrorList of
// them) for every problem with the content.
func Read(name string, data []byte, o ReadOptions) (*Scorecard, error) {
	if int64(len(data)) > MaxInputBytes {
		return nil, Errorf(name, 0, "the file is larger than %s, the most ftgate reads", byteSize(MaxInputBytes))
	}
	f, err := pickFormat(name, data, o.Format)
	if err != nil {
		return nil, err
	}
	sc, err := f.read(name, data, o)
	if err != nil {
		return nil, err
	}
	sc.Source = name
	sc.Format = f.name
	sum := sha256.Sum256(data)
	sc.SHA256 = hex.EncodeToString(sum[:])
	if err := validate(sc); err != nil {
		return nil, err
	}
	return sc, nil
}

func pickFormat(name string, data []byte, want string) (format, error) {
	if want == "" || want == "auto" {
		if len(bytes.TrimSpace(data)) == 0 {
			return format{}, Errorf(name, 0, "empty file: a scorecard needs at least one case")
		}
		for _, f := range formats {
			if f.sniff(data) {
				return f, nil
			}
		}
		if err := malformedJSON(name, data); err != nil {
			return format{}, err
		}
		return format{}, Errorf(name, 1, "cannot tell the format of this file; name it with --format (one of %s)", strings.Join(Formats(), ", "))
	}
	for _, f := range formats {
		if f.name == want {
			return f, nil
		}
	}
	msg := fmt.Sprintf("unknown format %q (want auto or one of %s)", want, strings.Join(Formats(), ", "))
	if s := Suggest(want, Formats()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return format{}, fmt.Errorf("%s", msg)
}

// malformedJSON explains why no reader recognised a file that starts like
// JSON (with "{"): when its text is not valid JSON, the syntax error, at
// its line and column, says more than "cannot tell the format". A first
// line that is a complete JSON value is a JSONL line, judged alone; any
// other text is judged as one (possibly multi-line) document. It returns
// nil when the JSON is well-formed.
func malformedJSON(name string, data []byte) error {
	if firstNonSpace(data) != '{' {
		return nil
	}
	start := len(data) - len(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	text := data[start:]
	if line := firstLine(text); json.Valid(line) {
		return nil
	}
	if json.Valid(text) {
		return nil
	}
	err := preciseError(text, nil)
	if err == nil {
		return nil
	}
	return jsonErrorAt(name, data, newLineIndex(data), start, err)
}

// firstNonSpace returns the first byte of data that is not white space (or
// a UTF-8 byte order mark), or 0.
func firstNonSpace(data []byte) byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// firstLine returns the first non-blank line of data.
func firstLine(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			return line
		}
	}
	return nil
}
