package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/scorecard"
)

// maxTotalCostUSD bounds the costs of one scorecard: a case or a total
// beyond it is a unit mistake, and it keeps every sum the statistics form
// (a bootstrap draw counts a cluster many times) a finite number.
const maxTotalCostUSD = 1e15

// loader reads files for one command, collecting every problem.
type loader struct {
	ctx  context.Context
	env  Env
	opts scorecard.ReadOptions
	pol  gate.Policy
	errs scorecard.ErrorList
	// stdinUsed guards against reading standard input twice.
	stdinUsed bool
	// announce collects, for announceFormats, which format was detected
	// for each input read for side.
	announce bool
	side     string
	notices  []formatNotice
	// policySHA256 is the hex SHA-256 of the policy file read last;
	// policyPath, policyData and sets are that file, its contents and the
	// overrides applied to it, for policySource.
	policySHA256 string
	policyPath   string
	policyData   []byte
	sets         []gate.Override
	// schemaCheck also checks every policy file against its JSON Schema.
	schemaCheck bool
	// choices, when set, is given a scorecard whose only problem is that
	// it holds several systems and was not told which to read (see
	// scorecard.Choices), instead of that being an error.
	choices func(name, format string, msgs []string)
}

func newLoader(a *app) *loader { return &loader{ctx: a.ctx, env: a.env, pol: gate.DefaultPolicy()} }

func (l *loader) fail(err error) { l.errs = append(l.errs, err) }

// read returns the contents of name ("-" for standard input), refusing
// more than limit bytes without reading past them; nil after recording
// the problem. what names the input in messages ("scorecard", "policy").
func (l *loader) read(name string, limit int64, what string) []byte {
	if name == "-" {
		if l.stdinUsed {
			l.fail(usagef("standard input (-) can be read only once"))
			return nil
		}
		l.stdinUsed = true
		return l.stream("-", l.env.Stdin, limit, what, -1)
	}
	st, err := os.Stat(name)
	if err != nil {
		l.fail(fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
		return nil
	}
	switch {
	case st.IsDir():
		l.fail(fmt.Errorf("%s: cannot read: is a directory", name))
		return nil
	case st.Mode().IsRegular() && st.Size() > limit:
		l.fail(fmt.Errorf("%s: %d bytes, larger than %s, the most ftgate reads for a %s: not read", name, st.Size(), byteSize(limit), what))
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		l.fail(fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
		return nil
	}
	defer f.Close()
	size := int64(-1) // a pipe or a device: no size to trust
	if st.Mode().IsRegular() {
		size = st.Size()
	}
	return l.stream(name, f, limit, what, size)
}

// streamChunk is the size of each read: the context and the size limit
// are checked between two.
const streamChunk = 1 << 20

// stream reads r to its end, in chunks, stopping as soon as it has more
// than limit bytes or when the run is interrupted. size is the size of a
// regular file (read into one buffer of that size), or -1 for a pipe or
// a device, read into a list of chunks joined once at the end: no buffer
// is ever copied into a larger one, so a stream refused at the limit has
// cost the limit and no more. Any input is refused at its first NUL byte
// unless it is a zip archive: no text format holds one, so binary data
// (/dev/zero, a sparse file, a UTF-16 file) is not read to the limit.
func (l *loader) stream(name string, r io.Reader, limit int64, what string, size int64) []byte {
	var chunks [][]byte
	var buf []byte // the chunk being filled
	total := int64(0)
	zip := false
	if size >= 0 {
		buf = make([]byte, 0, min(size, limit)+1)
	}
	for {
		if err := l.ctx.Err(); err != nil {
			l.fail(errInterrupted)
			return nil
		}
		if len(buf) == cap(buf) {
			// A pipe, or a regular file that grew: a new chunk.
			if buf != nil {
				chunks = append(chunks, buf)
			}
			buf = make([]byte, 0, streamChunk)
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+streamChunk)])
		if len(chunks) == 0 {
			// The first chunk holds the start of the input.
			zip = bytes.HasPrefix(buf[:len(buf)+n], []byte("PK\x03\x04"))
		}
		if i := bytes.IndexByte(buf[len(buf):len(buf)+n], 0); i >= 0 && !zip {
			l.fail(fmt.Errorf("%s: binary data (a NUL byte at offset %d): not a %s", name, total+int64(i), what))
			return nil
		}
		buf = buf[:len(buf)+n]
		total += int64(n)
		if total > limit {
			l.fail(fmt.Errorf("%s: larger than %s, the most ftgate reads for a %s: not read", name, byteSize(limit), what))
			return nil
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			l.fail(fmt.Errorf("%s: cannot read: %w", name, unwrapPath(err)))
			return nil
		}
	}
	if len(chunks) == 0 {
		return buf
	}
	out := make([]byte, 0, total)
	for i, c := range chunks {
		out = append(out, c...)
		chunks[i] = nil
	}
	return append(out, buf...)
}

// byteSize writes a size limit in the largest binary unit that divides it.
func byteSize(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// scorecard reads, validates and prices one scorecard; nil on error.
func (l *loader) scorecard(name string) *scorecard.Scorecard {
	data := l.read(name, scorecard.MaxInputBytes, "scorecard")
	if data == nil {
		return nil
	}
	sc, err := scorecard.Read(name, data, l.opts)
	if msgs := scorecard.Choices(err); msgs != nil && l.choices != nil {
		format, _ := scorecard.Detect(name, data)
		if l.opts.Format != "" && l.opts.Format != "auto" {
			format = l.opts.Format
		}
		l.choices(name, format, msgs)
		return nil
	}
	if err != nil {
		l.fail(err)
		return nil
	}
	if l.announce && (l.opts.Format == "" || l.opts.Format == "auto") && sc.Format != "native" {
		l.noticeFormat(name, sc, l.side)
	}
	if err := scorecard.ApplyPricing(sc, l.pol.Pricing); err != nil {
		l.fail(err)
		return nil
	}
	if err := checkCosts(sc); err != nil {
		l.fail(err)
		return nil
	}
	return sc
}

// A formatNotice says that an input's format was detected, for the sides
// it was read for.
type formatNotice struct {
	file, format, system string
	sides                []string
}

// noticeFormat records that file was read as sc's format for side. A file
// read twice with the same selection (the same system) is one notice.
func (l *loader) noticeFormat(file string, sc *scorecard.Scorecard, side string) {
	for i := range l.notices {
		n := &l.notices[i]
		if n.file == file && n.system == sc.System.Name && n.format == sc.Format {
			if !slices.Contains(n.sides, side) {
				n.sides = append(n.sides, side)
			}
			return
		}
	}
	l.notices = append(l.notices, formatNotice{file: file, format: sc.Format, system: sc.System.Name, sides: []string{side}})
}

// announceFormats says on standard error, once per file and selection,
// which format was detected and for which side.
func (l *loader) announceFormats() {
	for _, n := range l.notices {
		for_ := ""
		if len(n.sides) > 0 && n.sides[0] != "" {
			for_ = " for the " + strings.Join(n.sides, " and the ")
		}
		fmt.Fprintf(l.env.Stderr, "ftgate: %s: read as %s%s (detected from its content; --format forces one)\n", n.file, n.format, for_)
	}
	l.notices = nil
}

// scorecards reads the files, each with its options, at the same time
// (reading and parsing are most of a large run's time besides the
// statistics), and returns them in the order given, nil where one failed.
// Problems and format notices are recorded in that order too, as one file
// after another would record them; sides names the side each is read for.
func (l *loader) scorecards(names []string, opts []scorecard.ReadOptions, sides []string) []*scorecard.Scorecard {
	out := make([]*scorecard.Scorecard, len(names))
	subs := make([]*loader, len(names))
	notes := make([]bytes.Buffer, len(names))
	stdin := l.stdinUsed
	for i := range names {
		env := l.env
		env.Stderr = &notes[i]
		subs[i] = &loader{ctx: l.ctx, env: env, opts: opts[i], pol: l.pol, announce: l.announce, side: sides[i]}
		if names[i] == "-" {
			// Standard input is read once: by the first "-" only.
			subs[i].stdinUsed = stdin
			stdin = true
		}
	}
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A reader's panic is reported by Run as an internal
				// error, which it can do only on its own goroutine.
				if r := recover(); r != nil {
					once.Do(func() { crash = r })
				}
			}()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = subs[i].scorecard(name)
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
	for i := range names {
		l.errs = append(l.errs, subs[i].errs...)
		l.env.Stderr.Write(notes[i].Bytes())
		for _, n := range subs[i].notices {
			l.addNotice(n)
		}
	}
	l.stdinUsed = stdin
	return out
}

// addNotice records a notice of another loader, merged as noticeFormat
// merges them.
func (l *loader) addNotice(n formatNotice) {
	for i := range l.notices {
		m := &l.notices[i]
		if m.file == n.file && m.system == n.system && m.format == n.format {
			for _, side := range n.sides {
				if !slices.Contains(m.sides, side) {
					m.sides = append(m.sides, side)
				}
			}
			return
		}
	}
	l.notices = append(l.notices, n)
}

// checkCosts refuses a case whose cost, or a scorecard whose total cost,
// is beyond maxTotalCostUSD.
func checkCosts(sc *scorecard.Scorecard) error {
	total := 0.0
	for _, s := range sc.Samples {
		if s.CostUSD == nil {
			continue
		}
		c := *s.CostUSD
		if math.IsNaN(c) || c > maxTotalCostUSD {
			return scorecard.Errorf(sc.Source, s.Line, "case %q costs %g USD (its cost_usd, or its usage at the policy's prices): more than 10^15 USD, which is no cost; check the unit", s.ID, c)
		}
		total += c
	}
	if total > maxTotalCostUSD {
		return scorecard.Errorf(sc.Source, 0, "the costs add up to %g USD, more than 10^15 USD, which is no cost; check the unit", total)
	}
	return nil
}

// policy reads the policy file (the defaults when path is empty) with the
// overrides applied; the defaults after recording a problem.
func (l *loader) policy(path string, sets []gate.Override) gate.Policy {
	var data []byte
	if path != "" {
		if data = l.read(path, gate.MaxPolicyBytes, "policy"); data == nil {
			return gate.DefaultPolicy()
		}
	} else if len(sets) == 0 {
		return gate.DefaultPolicy()
	}
	if path != "" {
		sum := sha256.Sum256(data)
		l.policySHA256 = hex.EncodeToString(sum[:])
	}
	l.policyPath, l.policyData, l.sets = path, data, sets
	pol, err := gate.ParsePolicy(path, data, sets...)
	if err == nil && l.schemaCheck && path != "" {
		err = checkPolicySchema(path, data)
	}
	if err != nil {
		l.fail(err)
		return gate.DefaultPolicy()
	}
	if path != "" && len(bytes.TrimSpace(data)) == 0 {
		fmt.Fprintf(l.env.Stderr, "ftgate: warning: %s is empty: the default policy applies\n", path)
	}
	l.pol = pol
	return pol
}

// policySource names where the policy key (a dotted path such as
// "importers.candidate.provider") was set: the last --set of it, else its
// line in the policy file ("gate.yaml:7: importers.candidate.provider").
func (l *loader) policySource(key string) string {
	for i := len(l.sets) - 1; i >= 0; i-- {
		if l.sets[i].Key == key {
			return l.sets[i].Source
		}
	}
	if l.policyPath == "" {
		return key
	}
	var root yaml.Node
	if err := yaml.Unmarshal(l.policyData, &root); err != nil {
		return l.policyPath + ": " + key
	}
	line, _ := keyPosition(&root, key)
	return fmt.Sprintf("%s:%d: %s", l.policyPath, line, key)
}

// unwrapPath drops the operation from an *fs.PathError, whose path the
// caller already prints.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
