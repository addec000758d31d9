package scorecard_test

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/scorecard"
)

// readOpts reads an optional key=value options file.
func readOpts(t *testing.T, path string) scorecard.ReadOptions {
	t.Helper()
	o := scorecard.ReadOptions{Format: "auto"}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return o
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "format":
			o.Format = v
		case "scorer":
			o.Scorer = v
		case "metric":
			o.Metric = v
		case "provider":
			o.Provider = v
		case "partial":
			o.PartialAccepted = v == "true"
		case "lenient":
			o.Lenient = v == "true"
		case "id-column":
			o.IDColumn = v
		case "accepted-column":
			o.AcceptedColumn = v
		default:
			t.Fatalf("%s: unknown option %q", path, k)
		}
	}
	return o
}
