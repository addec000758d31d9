package actions

import (
	"strings"
	"testing"
	"unicode"
)

// This file emulates how the GitHub Actions runner reads a step's output
// (actions/runner, ActionCommandManager and ActionCommand): each line of
// standard output and standard error is tried as a "::name props::data"
// command after leading white space, then as a legacy "##[name props]data"
// command anywhere in the line; ::stop-commands::TOKEN suspends all
// processing until ::TOKEN::.

// A command is a workflow command the runner would act on.
type command struct {
	name  string
	props map[string]string
	data  string
}

// registered are the command names the runner knows.
var registered = map[string]bool{
	"error": true, "warning": true, "notice": true, "debug": true, "add-mask": true, "set-output": true,
	"set-env": true, "add-path": true, "save-state": true, "group": true, "endgroup": true, "echo": true,
	"add-matcher": true, "remove-matcher": true, "stop-commands": true,
}

func unescape(s string, property bool) string {
	pairs := []string{"%0D", "\r", "%0A", "\n"}
	if property {
		pairs = append(pairs, "%3A", ":", "%2C", ",")
	}
	pairs = append(pairs, "%25", "%")
	return strings.NewReplacer(pairs...).Replace(s)
}

func parseV2(line string, names map[string]bool) (command, bool) {
	line = strings.TrimLeftFunc(line, unicode.IsSpace) // .NET TrimStart
	if !strings.HasPrefix(line, "::") {
		return command{}, false
	}
	end := strings.Index(line[2:], "::")
	if end < 0 {
		return command{}, false
	}
	end += 2
	info := line[2:end]
	name, props, _ := strings.Cut(info, " ")
	if !names[name] {
		return command{}, false
	}
	c := command{name: name, props: map[string]string{}, data: unescape(line[end+2:], false)}
	for _, p := range strings.Split(strings.TrimSpace(props), ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" && v != "" {
			c.props[k] = unescape(v, true)
		}
	}
	return c, true
}

func parseV1(line string, names map[string]bool) (command, bool) {
	i := strings.Index(line, "##[")
	if i < 0 {
		return command{}, false
	}
	j := strings.IndexByte(line[i:], ']')
	if j < 0 {
		return command{}, false
	}
	info := line[i+3 : i+j]
	name, _, _ := strings.Cut(info, " ")
	if !names[name] {
		return command{}, false
	}
	return command{name: name, data: line[i+j+1:]}, true
}

// runnerCommands returns the commands the runner would process in out,
// leaving out stop-commands and its resume token.
func runnerCommands(t *testing.T, out string) []command {
	t.Helper()
	names := map[string]bool{}
	for k := range registered {
		names[k] = true
	}
	var cmds []command
	stopToken := ""
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
	for _, line := range lines {
		c, ok := parseV2(line, names)
		if !ok {
			c, ok = parseV1(line, names)
		}
		if !ok {
			continue
		}
		switch {
		case stopToken != "":
			if c.name == stopToken {
				delete(names, stopToken)
				stopToken = ""
			}
		case c.name == "stop-commands":
			if c.data == "" {
				t.Errorf("stop-commands without a token: %q", line)
				continue
			}
			stopToken = c.data
			names[stopToken] = true
		default:
			cmds = append(cmds, c)
		}
	}
	if stopToken != "" {
		t.Errorf("command processing was stopped and never resumed")
	}
	return cmds
}

func TestRunnerEmulation(t *testing.T) {
	t.Parallel()
	out := "plain\n  ::error title=a%3Ab%2Cc::x%0Ay\nsee ##[warning]legacy\n::stop-commands::tok\n::error::hidden\n##[error]hidden\n::tok::\n::notice::after\n::unknown::x\n"
	cmds := runnerCommands(t, out)
	if len(cmds) != 3 {
		t.Fatalf("got %d commands %+v, want 3", len(cmds), cmds)
	}
	if c := cmds[0]; c.name != "error" || c.props["title"] != "a:b,c" || c.data != "x\ny" {
		t.Errorf("first command %+v", c)
	}
	if c := cmds[1]; c.name != "warning" || c.data != "legacy" {
		t.Errorf("second command %+v", c)
	}
	if c := cmds[2]; c.name != "notice" || c.data != "after" {
		t.Errorf("third command %+v", c)
	}
}
