// Package oracle reads the values that R and scipy recorded in
// testdata/oracle, for the tests that compare ftgate's numbers with them.
package oracle

import (
	"encoding/csv"
	"os"
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
