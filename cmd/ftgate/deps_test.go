package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// heavy are packages that once made a cold build of the binary take half
// as long again, each for a lighter job another package does
// (docs/performance.md, "The cold build" under "Measured").
var heavy = []string{
	"gonum.org/v1/gonum/stat/distuv", // the normal and t distributions: stats uses gonum's mathext
	"gonum.org/v1/gonum/mat",         // matrices, pulled in by distuv
	"gonum.org/v1/gonum/lapack",
	"gonum.org/v1/plot", // fonts, rasterisers, PDF and LaTeX for one SVG chart: report writes it
	"golang.org/x/image",
}

// TestBinaryStaysLight fails when the binary comes to depend on one of the
// heavy packages again.
func TestBinaryStaysLight(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, h := range heavy {
			if dep == h || strings.HasPrefix(dep, h+"/") {
				t.Errorf("cmd/ftgate depends on %s", dep)
			}
		}
	}
}
