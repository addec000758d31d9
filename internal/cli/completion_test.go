package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The completion scripts pass the output guard unchanged: none of their
// lines looks like a workflow command or holds a control character.
func TestCompletionScriptsPassTheGuard(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		var guarded, raw bytes.Buffer
		if code := Run(context.Background(), []string{"completion", shell}, Env{Stdout: &guarded}); code != 0 {
			t.Fatalf("%s: exit %d", shell, code)
		}
		root := newRoot(&app{ctx: context.Background(), env: Env{Stdout: &raw, Stderr: io.Discard}})
		root.SetOut(&raw)
		root.SetArgs([]string{"completion", shell})
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		if guarded.Len() < 1000 || !bytes.Equal(guarded.Bytes(), raw.Bytes()) {
			t.Errorf("%s: the guarded script (%d bytes) differs from cobra's (%d bytes)", shell, guarded.Len(), raw.Len())
		}
	}
}

// complete returns the words the completion scripts would offer after
// args (the last one being typed), without the directive line.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	var out bytes.Buffer
	if code := Run(context.Background(), append([]string{"__complete"}, args...), Env{Stdout: &out}); code != 0 {
		t.Fatalf("__complete %q: exit %d", args, code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[:len(lines)-1]
}

// Completion offers the values of --format, the policy's keys (and the
// choices of a key) for --set, and the workflows and failure classes of
// the report given to 'ftgate cases'; no description shows a backquote.
func TestCompletionOffersValues(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]string{"auto\tdetect the format from the content (the default)", "csv", "deepeval", "inspect", "lm-eval", "native", "openai-evals", "promptfoo"},
		complete(t, "compare", "--format", "")); diff != "" {
		t.Errorf("--format (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"pairing.unmatched=candidate-fails", "pairing.unmatched=drop"}, complete(t, "compare", "--set", "pairing.unmatched=")); diff != "" {
		t.Errorf("--set pairing.unmatched= (-want +got):\n%s", diff)
	}
	keys := strings.Join(complete(t, "power", "--set", "pa"), "\n")
	for _, want := range []string{"\npairing.ignore_roles=\t", "\npricing.MODEL.input_per_mtok=\tUSD per million input tokens", "alpha=\tOne-sided level"} {
		if !strings.Contains(keys, want) {
			t.Errorf("--set offers no %q:\n%s", want, keys)
		}
	}
	rep := filepath.Join(t.TempDir(), "report.json")
	seg := filepath.Join("..", "..", "examples", "segment-regression")
	if code := Run(context.Background(), []string{"compare", "--baseline", filepath.Join(seg, "baseline.jsonl"), "--candidate", filepath.Join(seg, "candidate.jsonl"),
		"--json", rep, "--quiet"}, Env{}); code != 1 {
		t.Fatalf("compare: exit %d", code)
	}
	if diff := cmp.Diff([]string{"address-change", "order-status", "policy-qa", "refund-email"}, complete(t, "cases", rep, "--workflow", "")); diff != "" {
		t.Errorf("cases --workflow (-want +got):\n%s", diff)
	}
	if classes := complete(t, "cases", rep, "--class", ""); len(classes) < 2 || !strings.Contains(strings.Join(classes, " "), "wrong-policy") {
		t.Errorf("cases --class offers %q", classes)
	}
	for _, cmd := range []string{"compare", "power", "validate", "cases", "init", "merge"} {
		for _, line := range complete(t, cmd, "--") {
			if strings.Contains(line, "`") {
				t.Errorf("%s: completion shows a backquote: %q", cmd, line)
			}
		}
	}
}

// A completion request (ftgate __complete ARGS) whose arguments hold
// workflow commands: cobra writes its error about them to os.Stderr
// itself, and that too passes the output guard, inside GitHub Actions as
// anywhere.
func TestCompletionErrorsPassTheGuard(t *testing.T) {
	getenv := func(k string) string {
		if k == "GITHUB_ACTIONS" {
			return "true"
		}
		return ""
	}
	for _, req := range []string{"__complete", "__completeNoDesc"} {
		var out, errb bytes.Buffer
		arg := "--nosuch=\n::error title=X::forged\n##[error]x\u2028y"
		code := Run(context.Background(), []string{req, "compare", arg, ""}, Env{Stdout: &out, Stderr: &errb, Getenv: getenv})
		if code != 0 {
			t.Errorf("%s: exit %d", req, code)
		}
		got := errb.String()
		if !strings.Contains(got, "unknown flag: --nosuch") {
			t.Errorf("%s: cobra's error did not reach the guarded stream: %q", req, got)
		}
		for _, line := range strings.Split(out.String()+got, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.Contains(line, "##[") || strings.Contains(line, "\u2028") {
				t.Errorf("%s: a raw command: %q", req, line)
			}
		}
	}
}
