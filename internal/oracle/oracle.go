// Package oracle reads the values that R and scipy recorded in
// testdata/oracle, for the tests that compare ftgate's numbers with them.
package oracle

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// A Table maps Key(dataset, quantity, param) to the recorded value text.
type Table map[string]string

// Key is the lookup key of one recorded value.
func Key(dataset, quantity, param string) string {
	return dataset + "|" + quantity + "|" + param
}

// Read loads a recorded CSV file (header row, then dataset, quantity,
// param, value; lines starting with # are comments).
func Read(t testing.TB, path string) Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	o := Table{}
	for _, rec := range recs[1:] {
		o[Key(rec[0], rec[1], rec[2])] = rec[3]
	}
	return o
}

// A Row is one sample of an oracle dataset (testdata/oracle/*.csv).
type Row struct {
	Case, Cluster, Sample                int
	AccB, AccC, CostB, CostC, LatB, LatC float64
}

// Workflows are the workflows the gate tests give the datasets' clusters:
// cluster mod 3 picks one, as make_oracle.R assumes.
var Workflows = []string{"alpha", "beta", "gamma"}

// Rows reads a dataset file.
func Rows(t testing.TB, path string) []Row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(rec []string, c string) float64 {
		v, err := strconv.ParseFloat(rec[col[c]], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var rows []Row
	for _, rec := range recs[1:] {
		rows = append(rows, Row{
			Case: int(num(rec, "case")), Cluster: int(num(rec, "cluster")), Sample: int(num(rec, "sample")),
			AccB: num(rec, "acc_b"), AccC: num(rec, "acc_c"), CostB: num(rec, "cost_b"), CostC: num(rec, "cost_c"),
			LatB: num(rec, "lat_b"), LatC: num(rec, "lat_c"),
		})
	}
	return rows
}

// Scorecards writes a dataset as the baseline's and the candidate's native
// JSONL scorecards: case ids case001…, clusters g00…, Workflows by
// cluster, and schema_valid as make_oracle_cluster.R sets it (the
// baseline's goes with the cluster: invalid in clusters 0 mod 5 unless it
// is sample 1; the candidate's with the case: invalid when case mod 3 = 0).
func Scorecards(rows []Row) (baseline, candidate string) {
	var b, c strings.Builder
	for _, r := range rows {
		line := func(acc, cost, lat float64, valid bool) string {
			return fmt.Sprintf(`{"id":"case%03d","sample":%d,"cluster":"g%02d","workflow":%q,"accepted":%v,"cost_usd":%v,"latency_ms":%v,"schema_valid":%v}`+"\n",
				r.Case, r.Sample, r.Cluster, Workflows[r.Cluster%3], acc == 1, cost, lat, valid)
		}
		b.WriteString(line(r.AccB, r.CostB, r.LatB, r.Cluster%5 != 0 || r.Sample == 1))
		c.WriteString(line(r.AccC, r.CostC, r.LatC, r.Case%3 != 0))
	}
	return b.String(), c.String()
}
