// Package benchdata writes the benchmark data sets of docs/performance.md:
// a baseline and a candidate scorecard of any number of paired cases in
// native JSONL, one line per case with an id, a workflow, accepted,
// cost_usd and latency_ms, what an eval harness that records cost and
// latency writes. bench/gen writes them to files; benchmarks build them in
// memory.
package benchdata

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// A Shape describes a benchmark data set.
type Shape struct {
	// Cases is the number of paired cases.
	Cases int
	// ClusterSize puts that many consecutive cases in one cluster (0 or
	// 1: no cluster field, one case per cluster).
	ClusterSize int
	// Seed seeds the random numbers: the same shape gives the same bytes.
	Seed uint64
}

// workflows are the benchmark's workflows; case i belongs to workflow
// i mod 4.
var workflows = []string{"billing", "search", "summary", "triage"}

// Write writes the baseline and the candidate scorecard of the
// benchmark shape, in native JSONL, to base and cand.
//
// Each case has a difficulty shared by both systems. The baseline accepts
// 80% of cases; the candidate accepts 95% of the cases the baseline
// accepts and 35% of the others (83% in all, a gain of 3 points). Costs are
// log-normal around 2 mUSD for the baseline and 1.4 mUSD for the candidate,
// both growing with the case's length; latencies are log-normal around
// 800 ms and 600 ms.
func Write(base, cand io.Writer, s Shape) error {
	if s.Cases < 1 {
		return fmt.Errorf("benchdata: %d cases; want at least 1", s.Cases)
	}
	if s.ClusterSize < 1 {
		s.ClusterSize = 1
	}
	bw, cw := bufio.NewWriterSize(base, 1<<20), bufio.NewWriterSize(cand, 1<<20)
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
	return cw.Flush()
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
