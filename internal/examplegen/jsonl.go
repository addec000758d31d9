package examplegen

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WriteJSONL writes the scorecard as native JSONL: the header line, then
// one case per line.
func (c *Scorecard) WriteJSONL(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := appendHeader(nil, c.System, c.Dataset)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	for i := range c.Cases {
		buf = appendCase(buf[:0], &c.Cases[i])
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Stream writes the scorecard of the system that writes file, at the given
// scale, as native JSONL, drawing each case as it goes: memory stays flat
// whatever the case count. The bytes are those [Set.Write] writes.
func Stream(w io.Writer, sc Scenario, file string, scale int) error {
	if err := checkScale(&sc, scale); err != nil {
		return err
	}
	y, ok := sc.System(file)
	if !ok {
		return fmt.Errorf("scenario %q has no scorecard %q", sc.Name, file)
	}
	g := newSystemGen(&sc, y)
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := appendHeader(nil, y, sc.Dataset)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	sk := newSkeleton(&sc, scale)
	for {
		k, ok := sk.next()
		if !ok {
			break
		}
		c := g.draw(k)
		buf = appendCase(buf[:0], &c)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Write writes the scenario folder: every scorecard, gate.yaml and
// README.md, creating dir if needed.
func (s *Set) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range s.Files() {
		if err := writeFile(filepath.Join(dir, c.System.File), c.WriteJSONL); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "gate.yaml"), []byte(s.Scenario.Policy), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(s.Readme()), 0o644)
}

// Files returns the scorecards as the folder holds them: one per system,
// or, with Batches above 1, each split into its batches.
func (s *Set) Files() []Scorecard {
	if s.Scenario.Batches <= 1 {
		return s.Scorecards
	}
	var out []Scorecard
	for i := range s.Scorecards {
		out = append(out, s.Scorecards[i].Split(s.Scenario.Batches)...)
	}
	return out
}

// Split returns the scorecard as n eval runs: run k (1-based) holds the
// cases of the clusters whose id hashes to k, in order, and its system
// writes STEM-k.jsonl with run id RUNID-k.
func (c *Scorecard) Split(n int) []Scorecard {
	parts := make([]Scorecard, n)
	stem := strings.TrimSuffix(c.System.File, ".jsonl")
	for k := range parts {
		y := *c.System
		y.File = fmt.Sprintf("%s-%d.jsonl", stem, k+1)
		y.RunID = fmt.Sprintf("%s-%d", c.System.RunID, k+1)
		parts[k] = Scorecard{System: &y, Dataset: c.Dataset}
	}
	for _, cs := range c.Cases {
		k := batchOf(cs.Cluster, n)
		parts[k].Cases = append(parts[k].Cases, cs)
	}
	return parts
}

// batchOf is the 0-based batch of a cluster among n.
func batchOf(cluster string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(cluster))
	return int(h.Sum32() % uint32(n))
}

func writeFile(name string, write func(io.Writer) error) error {
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

// appendHeader appends the header line {"scorecard": 1, "system": ..., "run": ...}.
func appendHeader(b []byte, y *System, dataset string) []byte {
	b = append(b, `{"scorecard":1,"system":{"name":`...)
	b = appendString(b, y.Name)
	b = append(b, `,"role":`...)
	b = appendString(b, y.Role)
	if y.Model != "" {
		b = append(b, `,"model":`...)
		b = appendString(b, y.Model)
	}
	if y.Tier != "" {
		b = append(b, `,"tier":`...)
		b = appendString(b, y.Tier)
	}
	b = append(b, `},"run":{`...)
	sep := ""
	for _, kv := range [][2]string{{"id", y.RunID}, {"dataset", dataset}, {"commit", y.Commit}} {
		if kv[1] == "" {
			continue
		}
		b = append(b, sep...)
		b = appendString(b, kv[0])
		b = append(b, ':')
		b = appendString(b, kv[1])
		sep = ","
	}
	return append(b, "}}\n"...)
}

// appendCase appends one case line. Fields are in a fixed order, numbers in
// fixed formats: cost with 7 decimals, score with 2, integers for tokens
// and milliseconds.
func appendCase(b []byte, c *Case) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, c.ID)
	b = append(b, `,"workflow":`...)
	b = appendString(b, c.Workflow)
	b = append(b, `,"cluster":`...)
	b = appendString(b, c.Cluster)
	b = append(b, `,"accepted":`...)
	b = strconv.AppendBool(b, c.Accepted)
	b = append(b, `,"score":`...)
	b = strconv.AppendFloat(b, c.Score, 'f', 2, 64)
	b = append(b, `,"cost_usd":`...)
	b = strconv.AppendFloat(b, c.CostUSD, 'f', costDecimals, 64)
	b = append(b, `,"usage":{"model":`...)
	b = appendString(b, c.Model)
	b = append(b, `,"input_tokens":`...)
	b = strconv.AppendInt(b, c.InputTokens, 10)
	b = append(b, `,"output_tokens":`...)
	b = strconv.AppendInt(b, c.OutputTokens, 10)
	b = append(b, `,"cached_input_tokens":`...)
	b = strconv.AppendInt(b, c.CachedInputTokens, 10)
	b = append(b, `},"latency_ms":`...)
	b = strconv.AppendInt(b, c.LatencyMS, 10)
	b = append(b, `,"schema_valid":`...)
	b = strconv.AppendBool(b, c.SchemaValid)
	if c.FailureClass != "" {
		b = append(b, `,"failure_class":`...)
		b = appendString(b, c.FailureClass)
	}
	if c.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, c.Error)
	}
	return append(b, "}\n"...)
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
