package cli

import (
	"bytes"
	"context"
	"io"
	"testing"
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
