package cli_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ftgate/ftgate/internal/cli"
	"github.com/ftgate/ftgate/internal/examplegen"
)

// benchCompare runs 'ftgate compare' end to end on the pass scenario
// scaled to about 600·scale cases. Compare ns/op across scales in one run
// (bench/run.sh) rather than against fixed numbers: machines differ.
func benchCompare(b *testing.B, scale int) {
	dir := b.TempDir()
	sc, err := examplegen.Named("pass")
	if err != nil {
		b.Fatal(err)
	}
	for _, file := range []string{"baseline.jsonl", "candidate.jsonl"} {
		f, err := os.Create(filepath.Join(dir, file))
		if err != nil {
			b.Fatal(err)
		}
		if err := examplegen.Stream(f, sc, file, scale); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	args := []string{"compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl")}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := cli.Run(context.Background(), args, cli.Env{Stdout: io.Discard, Stderr: io.Discard}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

func BenchmarkCompare600(b *testing.B)   { benchCompare(b, 1) }
func BenchmarkCompare6000(b *testing.B)  { benchCompare(b, 10) }
func BenchmarkCompare60000(b *testing.B) { benchCompare(b, 100) }
