package inspect

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"

	"github.com/ftgate/ftgate/internal/golden"
	"github.com/ftgate/ftgate/scorecard"
	"github.com/ftgate/ftgate/scorecard/internal/readertest"
)

// buildEval writes the files under dir into a .eval archive, each member
// compressed with method (zip.Deflate or zstd.ZipMethodWinZip), in the
// order of their paths, with a fixed time so that the bytes are the same
// on every run.
func buildEval(t *testing.T, dir string, method uint16) []byte {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zstd.ZipMethodWinZip, zstd.ZipCompressor(zstd.WithEncoderConcurrency(1)))
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: time.Date(2026, 5, 12, 8, 31, 40, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestZstdFixture keeps testdata/zstd.eval, a log as current
// Inspect writes it (every member Zstandard-compressed), in step with its
// members under testdata/evalsrc/zstd: -update rebuilds the archive, and
// otherwise every member of the committed archive must decompress to its
// source file.
func TestZstdFixture(t *testing.T) {
	src := filepath.Join("testdata", "evalsrc", "zstd")
	path := filepath.Join("testdata", "zstd.eval")
	if golden.Updating() {
		if err := os.WriteFile(path, buildEval(t, src, zstd.ZipMethodWinZip), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	zr.RegisterDecompressor(zstd.ZipMethodWinZip, zstd.ZipDecompressor())
	seen := 0
	for _, f := range zr.File {
		if f.Method != zstd.ZipMethodWinZip {
			t.Errorf("%s: method %d, want zstd (93)", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(f.Name)))
		if err != nil {
			t.Errorf("member %s has no source: %v", f.Name, err)
			continue
		}
		seen++
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from its source (go test -run TestZstdFixture -update rebuilds it):\n%s", f.Name, diff)
		}
	}
	if seen != 10 {
		t.Errorf("%d members, want the 10 source files", seen)
	}
}

// TestImportInspectZstd reads the current-Inspect fixture: zstd members,
// integer and string ids, two epochs, and a sample that failed with an
// error before it was scored (kept, not accepted). The same members
// deflated read the same.
func TestImportInspectZstd(t *testing.T) {
	const model = "openai/gpt-4.1-mini"
	u := func(in, out int64) *scorecard.Usage { return readertest.Tokens(model, in, out, 0) }
	want := []scorecard.Sample{
		{ID: "1", Sample: 0, Workflow: "returns", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(1200), Usage: u(120, 30)},
		{ID: "1", Sample: 1, Workflow: "returns", Accepted: false, Score: readertest.F(0), LatencyMS: readertest.F(1600), Usage: u(120, 41)},
		{ID: "2", Sample: 0, Workflow: "timing", Accepted: false, LatencyMS: readertest.F(400), Usage: u(95, 0),
			Error: "RateLimitError: the provider refused the request"},
		{ID: "2", Sample: 1, Workflow: "timing", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(900), Usage: u(95, 22)},
		{ID: "ticket-7", Sample: 0, Workflow: "returns", Accepted: true, Score: readertest.F(1), LatencyMS: readertest.F(2100), Usage: u(140, 55)},
		{ID: "ticket-7", Sample: 1, Workflow: "returns", Accepted: false, Score: readertest.F(0.5), LatencyMS: readertest.F(2400), Usage: u(140, 60)},
	}
	committed, err := os.ReadFile(filepath.Join("testdata", "zstd.eval"))
	if err != nil {
		t.Fatal(err)
	}
	deflated := buildEval(t, filepath.Join("testdata", "evalsrc", "zstd"), zip.Deflate)
	for name, data := range map[string][]byte{"zstd": committed, "deflate": deflated} {
		t.Run(name, func(t *testing.T) {
			sc, err := scorecard.Read("refund.eval", data, scorecard.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if sc.Format != "inspect" || sc.System.Name != model || sc.Run.Dataset != "refund-questions" {
				t.Errorf("format %q, system %q, dataset %q", sc.Format, sc.System.Name, sc.Run.Dataset)
			}
			if diff := cmp.Diff(want, sc.Samples); diff != "" {
				t.Errorf("Samples mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A Zstandard bomb is refused like a deflate one: the budget counts what
// the members decompress to, whatever the method. And a frame that
// declares a window larger than archiveMaxWindow (memory the decoder
// would reserve before it decompresses a byte) is refused.
func TestImportInspectZstdBomb(t *testing.T) {
	// Not parallel: it lowers the package's limits.
	minBytes := archiveMinBytes
	t.Cleanup(func() { archiveMinBytes = minBytes })
	archiveMinBytes = 1 << 20

	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "header.json"), []byte(evalHeader), 0o644)
	// One sample member of 4 MiB of white space: a few hundred bytes once
	// compressed.
	sample := `{"id": 1, "epoch": 1, "scores": {"match": {"value": "C"}}}` + strings.Repeat(" ", 4<<20)
	os.WriteFile(filepath.Join(dir, "samples", "1_epoch_1.json"), []byte(sample), 0o644)
	bomb := buildEval(t, dir, zstd.ZipMethodWinZip)
	if len(bomb) > 16<<10 {
		t.Fatalf("the bomb is %d bytes; want a small archive", len(bomb))
	}
	_, err := scorecard.Read("bomb.eval", bomb, scorecard.ReadOptions{})
	if err == nil || !scorecard.IsInputError(err) || !strings.Contains(err.Error(), "bomb.eval: samples/1_epoch_1.json: the archive's members decompress to more than 1 MiB") {
		t.Errorf("error = %v, want the budget's refusal", err)
	}

	// A frame that declares a window of 2^(10+exp) bytes and holds one raw
	// block: the header. A 1 MiB window is read; 128 MiB is refused.
	window := func(exp byte) []byte {
		frame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, exp << 3}
		n := len(evalHeader)
		frame = append(frame, byte(1|n<<3), byte(n>>5), byte(n>>13))
		frame = append(frame, evalHeader...)
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "header.json", Method: zstd.ZipMethodWinZip,
			CRC32: crc32.ChecksumIEEE([]byte(evalHeader)), CompressedSize64: uint64(len(frame)), UncompressedSize64: uint64(n)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(frame)
		zw.Close()
		return b.Bytes()
	}
	for _, tc := range []struct {
		exp  byte
		want string
	}{
		{10, `window.eval: the .eval archive holds no samples (run status "success")`},
		{17, "window.eval: header.json: its Zstandard frame asks for a window of more than 32 MiB of memory, the most ftgate allows; refusing it as a possible zip bomb"},
	} {
		_, err = scorecard.Read("window.eval", window(tc.exp), scorecard.ReadOptions{})
		if err == nil || !scorecard.IsInputError(err) || err.Error() != tc.want {
			t.Errorf("window 2^%d: error = %v\nwant %s", 10+tc.exp, err, tc.want)
		}
	}
}

// A member compressed with a method ftgate does not read is named with it.
func TestImportInspectUnknownMethod(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "header.json", Method: 14, CompressedSize64: 4, UncompressedSize64: 40})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("LZMA"))
	zw.Close()
	_, err = scorecard.Read("lzma.eval", b.Bytes(), scorecard.ReadOptions{})
	want := "lzma.eval: header.json: compressed with zip method 14, which ftgate does not read (it reads stored, deflate and zstd members, which is what Inspect writes); is this archive an Inspect log?"
	if err == nil || !scorecard.IsInputError(err) || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}
