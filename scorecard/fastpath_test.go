package scorecard

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/internal/examplegen"
	"github.com/google/go-cmp/cmp"
)

// checkSamePaths reads data as native input with the fast path on and off
// and fails unless both give the same scorecard (samples, lines, warnings)
// and the same error text, strict and lenient.
func checkSamePaths(t testing.TB, data []byte) {
	t.Helper()
	for _, lenient := range []bool{false, true} {
		o := ReadOptions{Lenient: lenient}
		fastSC, fastErr := readNativePath("f.jsonl", data, o, true)
		slowSC, slowErr := readNativePath("f.jsonl", data, o, false)
		if d := cmp.Diff(slowSC, fastSC); d != "" {
			t.Fatalf("lenient=%v: scorecards differ (-slow +fast):\n%s\ninput:\n%q", lenient, d, data)
		}
		if fmt.Sprint(slowErr) != fmt.Sprint(fastErr) {
			t.Fatalf("lenient=%v: errors differ:\nslow: %v\nfast: %v\ninput:\n%q", lenient, slowErr, fastErr, data)
		}
	}
}

// fastPathInputs returns the bad-input corpus and the example scorecards.
func fastPathInputs(t testing.TB) [][]byte {
	var paths []string
	for _, pattern := range []string{
		filepath.Join("testdata", "bad", "*"),
		filepath.Join("..", "examples", "*", "*.jsonl"),
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	var inputs [][]byte
	for _, p := range paths {
		if ext := filepath.Ext(p); ext == ".want" || ext == ".opts" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	if len(inputs) < 20 {
		t.Fatalf("only %d inputs found", len(inputs))
	}
	return inputs
}

// fieldValues are value texts worth trying in every case field: each type,
// edge numbers, escapes, invalid UTF-8, white space.
var fieldValues = []string{
	`null`, `true`, `false`, `0`, `-0`, `1`, `-1`, `7`, `0.5`, `-0.5`, `1.0`, `1e2`, `1E-2`,
	`1e400`, `-1e400`, `1e-400`, `4.9e-324`, `2147483647`, `2147483648`, `9223372036854775807`,
	`9223372036854775808`, `-9223372036854775809`, `""`, `" "`, `"x"`, `"\u0041b"`, `"a\"b"`,
	`"\ud800"`, "\"\xff\"", `"é"`, "\"\xed\xa0\x80\"", `"\uFFFD"`, `"1"`, `"true"`, `{}`, `[]`,
	`[1,{"a":"}"}]`, `{"a":{"b":[1,2,"]"]}}`, ` 1 `, `NaN`, `Infinity`, `01`, `1.`, `.5`, `+1`, `tru`,
	`{"model":"m","input_tokens":5,"output_tokens":2,"cached_input_tokens":3}`,
	`{"model":null,"input_tokens":5,"cached_input_tokens":6}`,
	`{"input_tokens":5,"input_tokens":6}`, `{"model":"m","model":"n"}`, `{"mdoel":"m"}`,
	`{"input_tokens":-1}`, `{"output_tokens":1.5}`, `{"model":1}`, `{"model":"\u006d"}`,
	`{"in\u0070ut_tokens":3}`, `{ "output_tokens" : 9 , "cached_input_tokens":0 }`,
}

// caseKeys are the case fields, some near misses, and keys with escapes.
var caseKeys = append(append([]string{}, caseFields...),
	"scorecard", "cases", "system", "acepted", "cost", `i\u0064`, `accept\u0065d`, "\xff", "")

// TestFastPathMatchesSlowPath checks the fast path against the slow path
// on the corpus, on each corpus line read alone and inside a document, on
// every case field with every interesting value, and on random mutations.
func TestFastPathMatchesSlowPath(t *testing.T) {
	inputs := fastPathInputs(t)
	var lines []string
	for _, data := range inputs {
		checkSamePaths(t, data)
		for l := range strings.SplitSeq(string(data), "\n") {
			if len(lines) < 5000 {
				lines = append(lines, l)
			}
		}
	}
	header := `{"scorecard":1}` + "\n"
	for _, l := range lines {
		checkSamePaths(t, []byte(l))
		checkSamePaths(t, []byte(header+l+"\n"+l+"\n"))
		checkSamePaths(t, []byte(`{"scorecard":1,"cases":[`+l+",\n "+l+"]}"))
	}
	// Every key with every value, alone and next to a valid case.
	for _, k := range caseKeys {
		for _, v := range fieldValues {
			member := fmt.Sprintf("%q:%s", k, v)
			if strings.Contains(k, `\`) {
				member = `"` + k + `":` + v
			}
			for _, c := range []string{
				`{"id":"a","accepted":true,` + member + `}`,
				`{` + member + `,"id":"a","accepted":false}`,
				`{"id":"a","accepted":true,` + member + `,` + member + `}`,
				`{` + member + `}`,
				`{"id":"a",` + member + `}`,
				`{"accepted":true,` + member + `}`,
				`{"id":"a","accepted":true,"usage":` + v + `,"sample":` + v + `}`,
			} {
				checkSamePaths(t, []byte(header+c+"\n"))
				checkSamePaths(t, []byte(`{"scorecard":1,"cases":[`+c+`]}`))
			}
		}
	}
	// Random mutations of corpus lines.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		l := lines[rng.IntN(len(lines))]
		m := mutate(rng, []byte(l))
		checkSamePaths(t, append([]byte(header), m...))
	}
}

// mutate changes a few bytes of b: flips, deletions, insertions of JSON
// punctuation or of a field value, and duplications of a span.
func mutate(rng *rand.Rand, b []byte) []byte {
	b = bytes.Clone(b)
	for range 1 + rng.IntN(3) {
		i := 0
		if len(b) > 0 {
			i = rng.IntN(len(b))
		}
		switch rng.IntN(6) {
		case 0:
			if len(b) > 0 {
				b[i] = byte(rng.IntN(256))
			}
		case 1:
			if len(b) > 0 {
				b = append(b[:i], b[i+1:]...)
			}
		case 2:
			ins := []string{`"`, `\`, `,`, `:`, `{`, `}`, `[`, `]`, ` `, `-`, `0`, `e`, "\n", `\u00`}
			b = append(b[:i], append([]byte(ins[rng.IntN(len(ins))]), b[i:]...)...)
		case 3:
			v := fieldValues[rng.IntN(len(fieldValues))]
			b = append(b[:i], append([]byte(v), b[i:]...)...)
		case 4:
			if j := i + rng.IntN(20); j <= len(b) {
				b = append(b[:j], append(bytes.Clone(b[i:j]), b[j:]...)...)
			}
		case 5:
			k := caseKeys[rng.IntN(len(caseKeys))]
			v := fieldValues[rng.IntN(len(fieldValues))]
			if j := bytes.IndexByte(b, '{'); j >= 0 {
				b = append(b[:j+1], append([]byte(fmt.Sprintf("%q:%s,", k, v)), b[j+1:]...)...)
			}
		}
	}
	return b
}

// FuzzFastPath checks that the fast path and the slow path read every
// input the same. Run longer with: go test -fuzz FuzzFastPath ./scorecard
func FuzzFastPath(f *testing.F) {
	for _, data := range fastPathInputs(f) {
		if len(data) < 4096 {
			f.Add(data)
		}
	}
	for _, v := range fieldValues {
		f.Add([]byte(`{"scorecard":1}` + "\n" + `{"id":"a","accepted":true,"usage":` + v + `,"score":` + v + "}\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSamePaths(t, data)
	})
}

// BenchmarkReadJSONL reads a 100,000-case native JSONL scorecard with the
// fast path (fast) and without it (slow).
func BenchmarkReadJSONL(b *testing.B) {
	var buf bytes.Buffer
	sc := examplegen.Pass()
	if err := examplegen.Stream(&buf, sc, "candidate.jsonl", 100_000/sc.Cases(1)+1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, fast := range []bool{false, true} {
		name := map[bool]string{false: "slow", true: "fast"}[fast]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := readNativePath("candidate.jsonl", data, ReadOptions{}, fast); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFastPathTaken checks that the fast path reads every case of the
// example scorecards, so that the differential test compares the two
// paths on real cases rather than on a fast path that always gives up.
func TestFastPathTaken(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.jsonl"))
	if len(paths) == 0 {
		t.Fatal("no examples found")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r := &nativeReader{file: p, data: data, sc: &Scorecard{}}
		for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			if i > 0 && !r.fastCase(0, line) {
				t.Fatalf("%s:%d: the fast path gave up on %s", p, i+1, line)
			}
		}
	}
}
