package readkit

import (
	"errors"
	"fmt"
	"strings"
)

// MaxErrors bounds how many problems one file reports before giving up.
const MaxErrors = 50

// An InputError is a problem with an input file at a known place. Its text
// is "FILE:LINE:COL: message", "FILE:LINE: message" or "FILE: message" when
// the place is not known.
type InputError struct {
	File string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based; 0 when unknown
	Msg  string
	// Choice is set when the file is well formed but holds several
	// systems (providers, prompts, scorers) and the reader was not told
	// which to read: Msg lists them and says how to pick one.
	Choice bool
}

func (e *InputError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
}

// Errorf returns an *InputError at file:line with a formatted message.
func Errorf(file string, line int, format string, args ...any) *InputError {
	return &InputError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// An ErrorList holds every problem found in one pass, so that a user fixes
// them all at once rather than one per run.
type ErrorList []error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find an *InputError inside the list.
func (l ErrorList) Unwrap() []error { return l }

// Err returns nil for an empty list and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// IsInputError reports whether err is (or wraps) a problem with the user's
// input, as opposed to an internal failure.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Choices returns the messages of err when every problem in it is a
// choice left open (InputError.Choice): the file is well formed but holds
// several systems. It returns nil when err is nil or holds any other
// problem.
func Choices(err error) []string {
	var out []string
	var walk func(error) bool
	walk = func(err error) bool {
		switch e := err.(type) {
		case ErrorList:
			for _, x := range e {
				if !walk(x) {
					return false
				}
			}
			return true
		case *InputError:
			out = append(out, e.Msg)
			return e.Choice
		}
		return false
	}
	if err == nil || !walk(err) {
		return nil
	}
	return out
}
