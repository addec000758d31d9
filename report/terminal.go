package report

// Clean makes text taken from scorecards safe to print on a terminal:
// control characters (escape sequences, carriage returns, newlines) are
// shown as \xNN escapes instead of acting on the terminal.
func Clean(s string) string { return clean(s) }

// Wrap breaks text into lines of at most limit columns for a terminal, the
// first starting with first and the others with rest; a number is never
// cut.
func Wrap(text string, limit int, first, rest string) []string { return wrap(text, limit, first, rest) }
