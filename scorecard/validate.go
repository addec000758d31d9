package scorecard

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// validate applies the rules every reader shares: at least one sample, no
// duplicate (id, sample), finite non-negative costs and latencies. Readers
// check field types themselves; this catches what any importer could let
// through.
func validate(sc *Scorecard) error {
	if len(sc.Samples) == 0 {
		return Errorf(sc.Source, 0, "the scorecard has no cases")
	}
	var errs ErrorList
	type key struct {
		id     string
		sample int
	}
	// Samples in ascending (id, sample) order, as most tools write them,
	// cannot repeat one: only other orders need the map.
	ordered := true
	for i := 1; i < len(sc.Samples) && ordered; i++ {
		a, b := &sc.Samples[i-1], &sc.Samples[i]
		ordered = a.ID < b.ID || (a.ID == b.ID && a.Sample < b.Sample)
	}
	var first map[key]int
	if !ordered {
		first = make(map[key]int, len(sc.Samples))
	}
	for i := range sc.Samples {
		s := &sc.Samples[i]
		if !utf8.ValidString(s.ID) {
			errs = append(errs, Errorf(sc.Source, s.Line, "case id %q is not valid UTF-8, so it cannot be told apart from other ids once written out; write the file as UTF-8", s.ID))
			continue
		}
		if !ordered {
			k := key{s.ID, s.Sample}
			if prev, dup := first[k]; dup {
				where := ""
				if prev > 0 {
					where = fmt.Sprintf(" (first at line %d)", prev)
				}
				errs = append(errs, Errorf(sc.Source, s.Line, "duplicate case id %q sample %d%s; give repeated samples distinct \"sample\" numbers", s.ID, s.Sample, where))
			} else {
				first[k] = s.Line
			}
		}
		for _, f := range []struct {
			name string
			v    *float64
		}{{"cost_usd", s.CostUSD}, {"latency_ms", s.LatencyMS}} {
			if f.v != nil && (math.IsNaN(*f.v) || math.IsInf(*f.v, 0) || *f.v < 0) {
				errs = append(errs, Errorf(sc.Source, s.Line, "case %q: %s must be a finite number ≥ 0, found %v", s.ID, f.name, *f.v))
			}
		}
		if s.Score != nil && (math.IsNaN(*s.Score) || math.IsInf(*s.Score, 0)) {
			errs = append(errs, Errorf(sc.Source, s.Line, "case %q: score must be finite, found %v", s.ID, *s.Score))
		}
		if s.Error != "" && s.Accepted {
			// An errored sample never counts as accepted.
			s.Accepted = false
		}
		if len(errs) >= maxErrors {
			break
		}
	}
	if sc.System.Name == "" {
		base := filepath.Base(sc.Source)
		sc.System.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return errs.Err()
}
