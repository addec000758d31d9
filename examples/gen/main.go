// Command gen (re)writes the example scenario folders of ftgate from the
// scenarios in internal/examplegen:
//
//	go run ./examples/gen [-out examples] [-scale 1] [-only NAME]
//
// Each folder gets its scorecards (JSONL), gate.yaml and README.md. The
// output is byte-identical from run to run.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ftgate/ftgate/internal/examplegen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "examples", "directory that holds the scenario folders")
	scale := fs.Int("scale", 1, "multiply every workflow's case count by this")
	only := fs.String("only", "", "write only the scenario with this name")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gen: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	scenarios := examplegen.Every()
	if *only != "" {
		sc, err := examplegen.Named(*only)
		if err != nil {
			fmt.Fprintf(stderr, "gen: %v\n", err)
			return 2
		}
		scenarios = []examplegen.Scenario{sc}
	}
	for _, sc := range scenarios {
		set, err := examplegen.Generate(sc, *scale)
		if err != nil {
			fmt.Fprintf(stderr, "gen: %v\n", err)
			return 2
		}
		dir := filepath.Join(*out, sc.Name)
		if err := set.Write(dir); err != nil {
			fmt.Fprintf(stderr, "gen: %v\n", err)
			return 3
		}
		fmt.Fprintf(stdout, "%s: %d cases × %d scorecards, expected %s (exit %d)\n",
			dir, sc.Cases(*scale), len(sc.Systems), sc.Expect.Verdict, sc.Expect.ExitCode)
	}
	return 0
}
