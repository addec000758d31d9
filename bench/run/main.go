// Command run measures ftgate against its performance targets and prints
// each as met or missed, with the numbers side by side from one run:
//
//	go run ./bench/run            # everything (the scipy script at 100 000 cases takes minutes)
//	go run ./bench/run -quick     # no million-case run and no scipy run at 100 000 cases
//	go run ./bench/run -markdown  # also print the table of docs/performance.md
//
// It builds ftgate (once from a cold build cache, timed), writes the
// benchmark data sets with bench/gen's shape into -dir (kept for the next
// run), runs `ftgate compare` on them with the default policy and with the
// bootstrap forced to its full B, times reading and pairing in process, and
// runs bench/scipy_gate.py, the numpy/scipy script, on the same files when a
// Python with scipy is found; its results are checked against ftgate's.
// Wall time, CPU time and peak memory (maximum resident set) come from the
// operating system's accounting of each child process.
//
// Machines are noisy: compare the ratios of one run rather than absolute
// numbers across machines. The load average is printed before and after;
// when it exceeds the number of cores, other work shared them and the wall
// times are longer than the machine can do.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ftgate/ftgate/scorecard"
)

func main() {
	dir := flag.String("dir", filepath.Join(os.TempDir(), "ftgate-bench"), "folder for the data sets (kept between runs)")
	quick := flag.Bool("quick", false, "skip the million-case run and the scipy script at 100 000 cases")
	python := flag.String("python", "", "Python interpreter with numpy and scipy (default: the first python3 on PATH, then /usr/bin/python3, that imports scipy)")
	markdown := flag.Bool("markdown", false, "also print the measurements as the Markdown table of docs/performance.md")
	noBuild := flag.Bool("no-cold-build", false, "skip the cold build")
	flag.Parse()
	r := &runner{dir: *dir, quick: *quick, python: *python, coldBuild: !*noBuild}
	if err := r.run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/run:", err)
		os.Exit(2)
	}
	r.print(os.Stdout)
	if *markdown {
		r.markdown(os.Stdout)
	}
}

// A measure is one timed child process or in-process step.
type measure struct {
	wall, cpu time.Duration
	rssMB     float64 // peak resident set in MiB
	skipped   string  // why it was not measured
}

func (m measure) ok() bool { return m.skipped == "" && m.wall > 0 }

type runner struct {
	dir, python       string
	quick, coldBuild  bool
	bin               string
	loadBefore        string
	loadAfter         string
	build             measure
	def, full, py     map[int]measure // by paired cases
	readPair          measure
	readPairBytesCase float64
	agree             map[int][]string // disagreements between ftgate and the script, by size
	agreeChecked      map[int]int
	defB              map[int]string // resamples drawn by the default policy, as the report says
}

var sizes = []int{10_000, 100_000, 1_000_000}

func (r *runner) run() error {
	r.def, r.full, r.py = map[int]measure{}, map[int]measure{}, map[int]measure{}
	r.agree, r.agreeChecked, r.defB = map[int][]string{}, map[int]int{}, map[int]string{}
	r.loadBefore = loadAverage()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return err
	}
	r.bin = filepath.Join(r.dir, "ftgate")
	if r.coldBuild {
		cache, err := os.MkdirTemp("", "ftgate-gocache-")
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "cold build of ./cmd/ftgate ...")
		r.build, err = timed(root, []string{"GOCACHE=" + cache}, "go", "build", "-o", r.bin, "./cmd/ftgate")
		os.RemoveAll(cache)
		if err != nil {
			return err
		}
	} else {
		r.build.skipped = "-no-cold-build"
		if _, err := timed(root, nil, "go", "build", "-o", r.bin, "./cmd/ftgate"); err != nil {
			return err
		}
	}
	full := filepath.Join(r.dir, "full-b.yaml")
	if err := os.WriteFile(full, []byte("statistics:\n  resamples: 10000\n"), 0o644); err != nil {
		return err
	}
	py := r.findPython()
	for _, n := range sizes {
		if n == 1_000_000 && r.quick {
			r.def[n] = measure{skipped: "-quick"}
			r.readPair.skipped = "-quick"
			continue
		}
		data, err := r.dataset(root, n)
		if err != nil {
			return err
		}
		base, cand := filepath.Join(data, "baseline.jsonl"), filepath.Join(data, "candidate.jsonl")
		fmt.Fprintf(os.Stderr, "%d cases: ftgate, default policy ...\n", n)
		out := filepath.Join(data, "default.json")
		if r.def[n], err = r.ftgate(base, cand, out, ""); err != nil {
			return err
		}
		r.defB[n] = resamplesUsed(out)
		if n == 1_000_000 {
			fmt.Fprintln(os.Stderr, "1000000 cases: reading and pairing in process ...")
			r.readPair, r.readPairBytesCase, err = readAndPair(base, cand)
			if err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(os.Stderr, "%d cases: ftgate, B = 10 000 ...\n", n)
		fullOut := filepath.Join(data, "full.json")
		if r.full[n], err = r.ftgate(base, cand, fullOut, full); err != nil {
			return err
		}
		switch {
		case py == "":
			r.py[n] = measure{skipped: "no python3 with numpy and scipy"}
		case n == 100_000 && r.quick:
			r.py[n] = measure{skipped: "-quick"}
		default:
			fmt.Fprintf(os.Stderr, "%d cases: scipy script, B = 10 000 ...\n", n)
			pyOut := filepath.Join(data, "scipy.json")
			m, err := timedTo(pyOut, "", nil, py, filepath.Join(root, "bench", "scipy_gate.py"), base, cand, "--resamples", "10000")
			if err != nil {
				return err
			}
			r.py[n] = m
			r.agree[n], r.agreeChecked[n], err = compareResults(fullOut, pyOut)
			if err != nil {
				return err
			}
		}
	}
	r.loadAfter = loadAverage()
	return nil
}

// dataset writes (once) the benchmark data set of n paired cases.
func (r *runner) dataset(root string, n int) (string, error) {
	dir := filepath.Join(r.dir, strconv.Itoa(n))
	stamp := filepath.Join(dir, "complete")
	if _, err := os.Stat(stamp); err == nil {
		return dir, nil
	}
	fmt.Fprintf(os.Stderr, "writing %d paired cases to %s ...\n", n, dir)
	if _, err := timed(root, nil, "go", "run", "./bench/gen", "-cases", strconv.Itoa(n), "-out", dir); err != nil {
		return "", err
	}
	return dir, os.WriteFile(stamp, nil, 0o644)
}

func (r *runner) ftgate(base, cand, jsonOut, policy string) (measure, error) {
	args := []string{"compare", "--baseline", base, "--candidate", cand, "--json", jsonOut}
	if policy != "" {
		args = append(args, "--policy", policy)
	}
	m, err := timedTo(os.DevNull, "", nil, r.bin, args...)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		err = nil // a verdict other than PASS is a verdict
	}
	return m, err
}

// findPython returns an interpreter that imports numpy and scipy, or "".
func (r *runner) findPython() string {
	cands := []string{"python3", "/usr/bin/python3"}
	if r.python != "" {
		cands = []string{r.python}
	}
	for _, p := range cands {
		if exec.Command(p, "-c", "import numpy, scipy.stats").Run() == nil {
			return p
		}
	}
	return ""
}

// timed runs a command in dir and measures it.
func timed(dir string, env []string, name string, args ...string) (measure, error) {
	return timedTo(os.DevNull, dir, env, name, args...)
}

// timedTo runs a command with its standard output sent to the file out.
func timedTo(out, dir string, env []string, name string, args ...string) (measure, error) {
	f, err := os.Create(out)
	if err != nil {
		return measure{}, err
	}
	defer f.Close()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = f
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	m := measure{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.rssMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
		}
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(stderr.String()))
	}
	return m, nil
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return strings.Join(lines, "\n")
}

// readAndPair times reading both files (concurrently, as compare does)
// and pairing them, three times, and returns the fastest with the heap
// the paired cases hold, per case.
func readAndPair(base, cand string) (measure, float64, error) {
	best := measure{wall: time.Duration(math.MaxInt64)}
	var perCase float64
	for rep := 0; rep < 3; rep++ {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var usage0 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &usage0)
		start := time.Now()
		cards := make([]*scorecard.Scorecard, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, name := range []string{base, cand} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				data, err := os.ReadFile(name)
				if err != nil {
					errs[i] = err
					return
				}
				cards[i], errs[i] = scorecard.Read(name, data, scorecard.ReadOptions{})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return measure{}, 0, err
		}
		p, err := scorecard.Pair(cards, scorecard.PairOptions{})
		if err != nil {
			return measure{}, 0, err
		}
		wall := time.Since(start)
		var usage1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &usage1)
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if wall < best.wall {
			best = measure{wall: wall, cpu: cpuTime(usage1) - cpuTime(usage0), rssMB: float64(usage1.Maxrss) / 1024}
			perCase = float64(after.HeapAlloc-before.HeapAlloc) / float64(len(p.Cases))
		}
		runtime.KeepAlive(p)
	}
	return best, perCase, nil
}

func cpuTime(u syscall.Rusage) time.Duration {
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// resamplesUsed reads the number of bootstrap draws from a JSON report.
func resamplesUsed(file string) string {
	var rep struct {
		Cost struct {
			Method    string `json:"method"`
			Resamples int    `json:"resamples"`
			Used      *int   `json:"resamples_used"`
		} `json:"cost"`
	}
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &rep) != nil {
		return "?"
	}
	switch {
	case rep.Cost.Method == "delta":
		return "delta method"
	case rep.Cost.Used != nil:
		return strconv.Itoa(*rep.Cost.Used)
	}
	return strconv.Itoa(rep.Cost.Resamples)
}

// compareResults checks the scipy script's numbers against ftgate's JSON
// report: the closed-form ones to 1e-9 (relative), the bootstrap
// intervals to 5% of their width (B = 10 000 on both sides, different
// random draws), the bootstrap p-value's decision at α = 0.05.
func compareResults(ftgateJSON, scipyJSON string) ([]string, int, error) {
	var f, s map[string]any
	for _, x := range []struct {
		file string
		dst  *map[string]any
	}{{ftgateJSON, &f}, {scipyJSON, &s}} {
		data, err := os.ReadFile(x.file)
		if err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal(data, x.dst); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", x.file, err)
		}
	}
	var bad []string
	checked := 0
	num := func(m any, path ...any) float64 {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				mm, _ := m.(map[string]any)
				m = mm[k]
			case int:
				a, _ := m.([]any)
				if k >= len(a) {
					return math.NaN()
				}
				m = a[k]
			}
		}
		v, ok := m.(float64)
		if !ok {
			return math.NaN()
		}
		return v
	}
	exact := func(name string, a, b float64) {
		checked++
		if !(math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) || math.Abs(a-b) < 1e-300) {
			bad = append(bad, fmt.Sprintf("%s: ftgate %.12g, scipy %.12g", name, a, b))
		}
	}
	interval := func(name string, lo1, hi1, lo2, hi2 float64) {
		checked++
		tol := 0.05 * math.Max(hi1-lo1, hi2-lo2)
		if !(math.Abs(lo1-lo2) <= tol && math.Abs(hi1-hi2) <= tol) {
			bad = append(bad, fmt.Sprintf("%s: ftgate [%.6g, %.6g], scipy [%.6g, %.6g]", name, lo1, hi1, lo2, hi2))
		}
	}
	for _, k := range []string{"p_value", "ci_low", "ci_high", "delta"} {
		exact("quality."+k, num(f, "quality", k), num(s, "quality", k))
	}
	for _, k := range []string{"ratio", "delta_p_value", "delta_ci_low", "delta_ci_high"} {
		exact("cost."+k, num(f, "cost", k), num(s, "cost", k))
	}
	interval("cost BCa interval", num(f, "cost", "ci_low"), num(f, "cost", "ci_high"), num(s, "cost", "ci_low"), num(s, "cost", "ci_high"))
	checked++
	if (num(f, "cost", "p_value") <= 0.05) != (num(s, "cost", "p_value") <= 0.05) {
		bad = append(bad, fmt.Sprintf("cost p-value decides differently: ftgate %.4g, scipy %.4g", num(f, "cost", "p_value"), num(s, "cost", "p_value")))
	}
	for i := 0; i < 2; i++ {
		for _, k := range []string{"quality", "quality_ci_low", "quality_ci_high", "cpa"} {
			exact(fmt.Sprintf("tiers[%d].%s", i, k), num(f, "tiers", i, k), num(s, "tiers", i, k))
		}
		interval(fmt.Sprintf("tiers[%d] CPA interval", i), num(f, "tiers", i, "cpa_ci_low"), num(f, "tiers", i, "cpa_ci_high"),
			num(s, "tiers", i, "cpa_ci_low"), num(s, "tiers", i, "cpa_ci_high"))
	}
	for _, arm := range []string{"baseline", "candidate"} {
		for _, k := range []string{"_p50_ms", "_p95_ms"} {
			exact("latency."+arm+k, num(f, "latency", arm+k), num(s, "latency", arm+k))
		}
		interval("latency "+arm+" p95 interval", num(f, "latency", arm+"_p95_ms_ci_low"), num(f, "latency", arm+"_p95_ms_ci_high"),
			num(s, "latency", arm+"_p95_ms_ci_low"), num(s, "latency", arm+"_p95_ms_ci_high"))
	}
	for i := 0; i < 4; i++ {
		for _, k := range []string{"p_value", "p_adjusted"} {
			exact(fmt.Sprintf("segments[%d].%s", i, k), num(f, "segments", i, k), num(s, "segments", i, k))
		}
	}
	return bad, checked, nil
}

// A target is one line of the verdict table.
type target struct {
	name     string
	measured string
	limit    string
	status   string
}

// under judges a measured value against an upper limit.
func under(v, limit float64, unit string, m measure) (string, string) {
	if !m.ok() {
		return "not measured", "skipped: " + m.skipped
	}
	s := fmt.Sprintf("%.3g %s", v, unit)
	if v <= limit {
		return s, fmt.Sprintf("met (%.0f%% of the limit)", 100*v/limit)
	}
	return s, fmt.Sprintf("MISSED by %.3g %s (%.0f%% over)", v-limit, unit, 100*(v-limit)/limit)
}

func (r *runner) targets() []target {
	var ts []target
	add := func(name string, v, limit float64, unit string, m measure) {
		meas, st := under(v, limit, unit, m)
		ts = append(ts, target{name, meas, fmt.Sprintf("%g %s", limit, unit), st})
	}
	sec := func(m measure) float64 { return m.wall.Seconds() }
	add("100 000 cases, default policy: wall", sec(r.def[100_000]), 3, "s", r.def[100_000])
	add("100 000 cases, default policy: memory", r.def[100_000].rssMB, 250, "MB", r.def[100_000])
	add("100 000 cases, B = 10 000: wall", sec(r.full[100_000]), 6, "s", r.full[100_000])
	add("1 000 000 cases, default policy: wall", sec(r.def[1_000_000]), 10, "s", r.def[1_000_000])
	add("1 000 000 cases, default policy: memory", r.def[1_000_000].rssMB, 1024, "MB", r.def[1_000_000])
	add("1 000 000 cases: reading and pairing", sec(r.readPair), 1.5, "s", r.readPair)
	for _, n := range []int{100_000, 10_000} {
		want := map[int]float64{100_000: 100, 10_000: 20}[n]
		name := fmt.Sprintf("%s cases, B = 10 000: scipy script / ftgate", thousands(n))
		m, p := r.full[n], r.py[n]
		if !m.ok() || !p.ok() {
			skip := p.skipped
			if skip == "" {
				skip = m.skipped
			}
			ts = append(ts, target{name, "not measured", fmt.Sprintf("≥ %g×", want), "skipped: " + skip})
			continue
		}
		ratio := p.wall.Seconds() / m.wall.Seconds()
		st := fmt.Sprintf("met (%.0f%% of the ratio)", 100*ratio/want)
		if ratio < want {
			st = fmt.Sprintf("MISSED: %.0f%% of the ratio", 100*ratio/want)
		}
		ts = append(ts, target{name, fmt.Sprintf("%.0f× (%.1f s / %.2f s)", ratio, p.wall.Seconds(), m.wall.Seconds()), fmt.Sprintf("≥ %g×", want), st})
		checked := r.agreeChecked[n]
		st = fmt.Sprintf("met (%d of %d numbers)", checked, checked)
		if len(r.agree[n]) > 0 {
			st = fmt.Sprintf("MISSED: %d of %d numbers differ", len(r.agree[n]), checked)
		}
		ts = append(ts, target{fmt.Sprintf("%s cases: scipy script agrees", thousands(n)), "closed forms to 1e-9, intervals to 5% of width", "all", st})
	}
	add("cold build of ./cmd/ftgate: wall", sec(r.build), 25, "s", r.build)
	return ts
}

func (r *runner) print(w io.Writer) {
	fmt.Fprintf(w, "\nftgate performance targets (%s, %d cores, GOMAXPROCS %s)\n", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), envOr("GOMAXPROCS", "all"))
	fmt.Fprintf(w, "load average before %s, after %s", r.loadBefore, r.loadAfter)
	if loaded(r.loadBefore) || loaded(r.loadAfter) {
		fmt.Fprintf(w, "  -- above the core count: other work shared the cores, so wall times are longer than this machine can do; compare CPU times and ratios")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	rows := [][]string{{"target", "measured", "limit", "status"}}
	for _, t := range r.targets() {
		rows = append(rows, []string{t.name, t.measured, t.limit, t.status})
	}
	table(w, rows)
	fmt.Fprintln(w)
	table(w, r.measurements())
	for _, n := range []int{10_000, 100_000} {
		for _, d := range r.agree[n] {
			fmt.Fprintf(w, "  %d cases, differs: %s\n", n, d)
		}
	}
}

// measurements is the table of every run: wall, CPU, memory.
func (r *runner) measurements() [][]string {
	rows := [][]string{{"run", "paired cases", "wall", "CPU", "peak memory", "bootstrap draws"}}
	add := func(name string, n int, m measure, draws string) {
		if !m.ok() {
			rows = append(rows, []string{name, thousands(n), "-", "-", "-", m.skipped})
			return
		}
		rows = append(rows, []string{name, thousands(n), fmt.Sprintf("%.2f s", m.wall.Seconds()), fmt.Sprintf("%.2f s", m.cpu.Seconds()),
			fmt.Sprintf("%.0f MB", m.rssMB), draws})
	}
	for _, n := range sizes {
		add("ftgate compare, default policy", n, r.def[n], r.defB[n])
		if n < 1_000_000 {
			add("ftgate compare, B = 10 000", n, r.full[n], "10000")
			add("numpy/scipy script, B = 10 000", n, r.py[n], "10000")
		}
	}
	if r.readPair.ok() {
		rows = append(rows, []string{"read and pair (in process)", thousands(1_000_000), fmt.Sprintf("%.2f s", r.readPair.wall.Seconds()),
			fmt.Sprintf("%.2f s", r.readPair.cpu.Seconds()), fmt.Sprintf("%.0f B per paired case held", r.readPairBytesCase), ""})
	}
	add("cold build of ./cmd/ftgate", 0, r.build, "")
	rows[len(rows)-1][1] = ""
	return rows
}

func (r *runner) markdown(w io.Writer) {
	fmt.Fprintln(w, "\nMarkdown (docs/performance.md):")
	fmt.Fprintln(w)
	for _, t := range [][][]string{r.measurements(), append([][]string{{"target", "measured", "limit", "status"}}, func() [][]string {
		var rows [][]string
		for _, t := range r.targets() {
			rows = append(rows, []string{t.name, t.measured, t.limit, t.status})
		}
		return rows
	}()...)} {
		for i, row := range t {
			fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
			if i == 0 {
				fmt.Fprintln(w, strings.Repeat("|---", len(row))+"|")
			}
		}
		fmt.Fprintln(w)
	}
}

// table prints rows as aligned columns.
func table(w io.Writer, rows [][]string) {
	width := map[int]int{}
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// loaded reports whether the one-minute load average exceeds the cores.
func loaded(load string) bool {
	f := strings.Fields(load)
	if len(f) == 0 {
		return false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	return err == nil && v > float64(runtime.NumCPU())+0.5
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// moduleRoot is the folder holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run it inside the ftgate module")
	}
	return filepath.Dir(mod), nil
}
