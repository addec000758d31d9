package actions

import (
	"strings"

	"github.com/ftgate/ftgate/internal/visible"
)

// LooksLikeCommand reports whether the runner could read line as a
// workflow command (see visible.IsCommandLine).
func LooksLikeCommand(line string) bool { return visible.IsCommandLine(line) }

// A CommandWriter writes real workflow commands; *visible.Writer is the
// one ftgate uses, so that everything else on the stream stays inert.
type CommandWriter interface {
	Command(name string, props [][2]string, data string) error
}

// oneLine makes s a single line for a title or a message quoted in one:
// line breaks become spaces. The command writer escapes the rest.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
