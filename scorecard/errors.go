package scorecard

import "github.com/ftgate/ftgate/scorecard/internal/readkit"

// An InputError is a problem with an input file at a known place. Its text
// is "FILE:LINE:COL: message", "FILE:LINE: message" or "FILE: message" when
// the place is not known.
type InputError = readkit.InputError

// An ErrorList holds every problem found in one pass, so that a user fixes
// them all at once rather than one per run.
type ErrorList = readkit.ErrorList

// Errorf returns an *InputError at file:line with a formatted message.
func Errorf(file string, line int, format string, args ...any) *InputError {
	return readkit.Errorf(file, line, format, args...)
}

// IsInputError reports whether err is (or wraps) a problem with the user's
// input, as opposed to an internal failure.
func IsInputError(err error) bool { return readkit.IsInputError(err) }

// Suggest returns the candidate closest to s by edit distance when it is
// close enough to be a plausible typo (at most a third of the longer
// name's length, and at most 3 edits), else the only candidate that s
// begins, else "". It is the "did you mean" of every ftgate message.
func Suggest(s string, candidates []string) string { return readkit.Suggest(s, candidates) }

// Choices returns the messages of a Read error that only says the file
// holds several systems (providers, prompts, scorers, metrics) and names
// the option that picks one; nil for any other error. Such a file is well
// formed: validate describes it instead of failing.
func Choices(err error) []string { return readkit.Choices(err) }
