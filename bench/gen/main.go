// Command gen writes benchmark scorecards.
//
// With -cases it writes the benchmark shape: a baseline and a candidate
// scorecard of N paired cases in native JSONL, one line per case with an id,
// a workflow, accepted, cost_usd and latency_ms (what an eval harness that
// records cost and latency writes), one case per cluster unless
// -cluster-size says otherwise:
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
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

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
		err = writeBench(*out, Shape{Cases: *cases, ClusterSize: *clusterSize, Seed: *seed})
	} else {
		err = writeScenario(*name, *scale, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
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

// A Shape describes a benchmark data set.
type Shape struct {
	Cases       int
	ClusterSize int
	Seed        uint64
}

// workflows are the benchmark's workflows; case i belongs to workflow
// i mod 4.
var workflows = []string{"billing", "search", "summary", "triage"}

// writeBench writes baseline.jsonl and candidate.jsonl of the benchmark
// shape into out.
//
// Each case has a difficulty shared by both systems. The baseline accepts
// 80% of cases; the candidate accepts 95% of the cases the baseline
// accepts and 35% of the others (83% in all, a gain of 3 points). Costs are
// log-normal around 2 mUSD for the baseline and 1.4 mUSD for the candidate,
// both growing with the case's length; latencies are log-normal around
// 800 ms and 600 ms.
func writeBench(out string, s Shape) error {
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
	bw, cw := bufio.NewWriterSize(b, 1<<20), bufio.NewWriterSize(c, 1<<20)
	bw.WriteString(`{"scorecard":1,"system":{"name":"support-rag-mini","role":"baseline"},"run":{"id":"bench"}}` + "\n")
	cw.WriteString(`{"scorecard":1,"system":{"name":"support-ft-nano","role":"candidate"},"run":{"id":"bench"}}` + "\n")
	rng := rand.New(rand.NewPCG(s.Seed, 0x62656e6368))
	var line []byte
	for i := 0; i < s.Cases; i++ {
		length := math.Exp(0.5 * rng.NormFloat64())
		accB := rng.Float64() < 0.80
		accC := rng.Float64() < 0.35
		if accB {
			accC = rng.Float64() < 0.95
		}
		costB := 0.002 * length * math.Exp(0.3*rng.NormFloat64())
		costC := 0.0014 * length * math.Exp(0.3*rng.NormFloat64())
		latB := 800 * math.Sqrt(length) * math.Exp(0.35*rng.NormFloat64())
		latC := 600 * math.Sqrt(length) * math.Exp(0.35*rng.NormFloat64())
		for _, arm := range []struct {
			w    *bufio.Writer
			acc  bool
			cost float64
			lat  float64
		}{{bw, accB, costB, latB}, {cw, accC, costC, latC}} {
			line = appendCase(line[:0], i, s.ClusterSize, arm.acc, arm.cost, arm.lat)
			arm.w.Write(line)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	if err := b.Close(); err != nil {
		return err
	}
	return c.Close()
}

// appendCase appends case i's line.
func appendCase(b []byte, i, clusterSize int, acc bool, cost, lat float64) []byte {
	b = append(b, `{"id":"case-`...)
	b = appendPadded(b, i)
	b = append(b, `","workflow":"`...)
	b = append(b, workflows[i%len(workflows)]...)
	b = append(b, '"')
	if clusterSize > 1 {
		b = append(b, `,"cluster":"c-`...)
		b = appendPadded(b, i/clusterSize)
		b = append(b, '"')
	}
	b = append(b, `,"accepted":`...)
	b = strconv.AppendBool(b, acc)
	b = append(b, `,"cost_usd":`...)
	b = strconv.AppendFloat(b, cost, 'f', 7, 64)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, lat, 'f', 1, 64)
	return append(b, "}\n"...)
}

// appendPadded appends i with at least seven digits.
func appendPadded(b []byte, i int) []byte {
	s := strconv.Itoa(i)
	for k := len(s); k < 7; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
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
