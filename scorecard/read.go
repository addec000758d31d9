package scorecard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
