// Command gen writes a scaled-up copy of an example scenario for
// benchmarks: go run ./bench/gen -scenario pass -scale 100 -out /tmp/big
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ftgate/ftgate/internal/examplegen"
)

func main() {
	name := flag.String("scenario", "pass", "example scenario to scale")
	scale := flag.Int("scale", 100, "multiply the scenario's case count by this")
	out := flag.String("out", "", "output folder (required)")
	flag.Parse()
	if err := run(*name, *scale, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func run(name string, scale int, out string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	sc, err := examplegen.Named(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, file := range []string{"baseline.jsonl", "candidate.jsonl"} {
		f, err := os.Create(filepath.Join(out, file))
		if err != nil {
			return err
		}
		if err := examplegen.Stream(f, sc, file, scale); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
