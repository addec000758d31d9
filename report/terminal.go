package report

// Clean makes text taken from scorecards safe to print on a terminal:
// control characters (escape sequences, carriage returns, newlines) are
// shown as \xNN escapes instead of acting on the terminal.
func Clean(s string) string { return clean(s) }
