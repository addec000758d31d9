// Command gen writes benchmark scorecards.
//
// With -cases it writes the benchmark shape (internal/benchdata): a
// baseline and a candidate scorecard of N paired cases in native JSONL, one
// line per case with an id, a workflow, accepted, cost_usd and latency_ms,
// one case per cluster unless -cluster-size says otherwise:
//
//	go run ./bench/gen -cases 100000 -out /tmp/bench-100k
//
// With -scenario it writes a scaled-up copy of an example scenario instead
// (the richer example shape, with token usage, scores and failure classes):
//
//	go run ./bench/gen -scenario pass -scale 100 -out /tmp/big
//
// The same flags always write the same bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ftgate/ftgate/internal/benchdata"
	"github.com/ftgate/ftgate/internal/examplegen"
)

func main() {
	cases := flag.Int("cases", 0, "write the benchmark shape with this many paired cases")
	clusterSize := flag.Int("cluster-size", 1, "with -cases: consecutive cases per cluster (1: no cluster field)")
	seed := flag.Uint64("seed", 1, "with -cases: random seed")
	name := flag.String("scenario", "pass", "example scenario to scale (without -cases)")
	scale := flag.Int("scale", 100, "multiply the scenario's case count by this (without -cases)")
	out := flag.String("out", "", "output folder (required)")
	flag.Parse()
	var err error
	if *cases > 0 {
		err = writeBench(*out, benchdata.Shape{Cases: *cases, ClusterSize: *clusterSize, Seed: *seed})
	} else {
		err = writeScenario(*name, *scale, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
}

func writeBench(out string, s benchdata.Shape) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if s.ClusterSize < 1 {
		return fmt.Errorf("-cluster-size must be at least 1")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b, err := os.Create(filepath.Join(out, "baseline.jsonl"))
	if err != nil {
		return err
	}
	defer b.Close()
	c, err := os.Create(filepath.Join(out, "candidate.jsonl"))
	if err != nil {
		return err
	}
	defer c.Close()
	if err := benchdata.Write(b, c, s); err != nil {
		return err
	}
	if err := b.Close(); err != nil {
		return err
	}
	return c.Close()
}

func writeScenario(name string, scale int, out string) error {
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
		if err := create(filepath.Join(out, file), func(w io.Writer) error {
			return examplegen.Stream(w, sc, file, scale)
		}); err != nil {
			return err
		}
	}
	return nil
}

func create(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Close()
}
