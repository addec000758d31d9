package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An interrupt (SIGINT, as Ctrl-C sends) stops a long run: the bootstrap
// stops drawing, ftgate says so, writes no report and exits 130. The run
// here would take minutes: 40 000 clusters, 100 000 resamples.
func TestInterruptStopsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the program")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "ftgate")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, side := range []string{"baseline", "candidate"} {
		var b bytes.Buffer
		for i := range 40000 {
			fmt.Fprintf(&b, `{"id":"c%d","accepted":%v,"cost_usd":0.00%d}`+"\n", i, (i*7)%10 < 8, 1+i%7)
		}
		if err := os.WriteFile(filepath.Join(dir, side+".jsonl"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report := filepath.Join(dir, "report.json")
	cmd := exec.Command(bin, "compare", "--baseline", filepath.Join(dir, "baseline.jsonl"), "--candidate", filepath.Join(dir, "candidate.jsonl"),
		"--set", "statistics.resamples=100000", "--set", "cost.method=bootstrap", "--json", report)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The inputs are read within a second; the bootstrap then runs for
	// minutes.
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	out, _ := bufio.NewReader(stdout).ReadString(0)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the run did not stop within a minute of the interrupt")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("exit %v, want 130\nstderr: %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "ftgate: interrupted; no report written") || out != "" {
		t.Errorf("stdout %q, stderr %q", out, stderr.String())
	}
	if _, err := os.Stat(report); err == nil {
		t.Errorf("a report was written")
	}
}
