package cli

import (
	"fmt"
	"strings"

	"github.com/ftgate/ftgate/scorecard"
)

// multiSystemFormats are the formats whose one file holds several systems,
// told apart by a selection (a promptfoo provider and prompt): reading such
// a file twice with the same selection gives one system twice.
var multiSystemFormats = map[string]bool{"promptfoo": true}

// sideOf names the side of arm a of n (the last arm is the candidate).
func sideOf(a, n int) string {
	if a == n-1 {
		return "candidate"
	}
	return "baseline"
}

// checkSides refuses inputs that cannot make a meaningful comparison, as a
// gate must: mis-wired inputs stop the run (exit 2) instead of deciding.
//
//   - Two sides with the same content (the same bytes read with the same
//     selection) compare a system with itself: an error.
//   - A scorecard whose header names the other side (system.role) was most
//     likely given on the wrong flag: an error, unless ignoreRoles (the
//     --ignore-roles flag or pairing.ignore_roles) says the headers are
//     wrong; the comparison then goes ahead with the warnings it returns,
//     for the top of every report.
func checkSides(arms []*scorecard.Scorecard, ignoreRoles bool) (warnings []string, err error) {
	n := len(arms)
	var errs scorecard.ErrorList
	for i := range arms {
		for j := i + 1; j < n; j++ {
			a, b := arms[i], arms[j]
			if a.SHA256 != b.SHA256 || a.System != b.System {
				continue
			}
			if multiSystemFormats[a.Format] && a.Format == b.Format {
				errs = append(errs, usagef("%s (%s) and %s (%s) are the same %s file read with the same selection, so both sides would be the system %q: "+
					"pick each side's provider or prompt (--baseline-provider and --candidate-provider, --baseline-prompt and --candidate-prompt)", a.Source, sideOf(i, n), b.Source, sideOf(j, n), a.Format, a.System.Name))
				continue
			}
			what := "the comparison would be of a system with itself: give the fine-tuned system's scorecard as --candidate"
			if sideOf(j, n) == "baseline" {
				what = "the same tier twice: give each tier's scorecard once"
			}
			errs = append(errs, usagef("the %s %s and the %s %s have the same content (SHA-256 %s): %s",
				sideOf(i, n), a.Source, sideOf(j, n), b.Source, a.SHA256[:12], what))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var wrong []int
	for a, sc := range arms {
		if (sc.System.Role == "baseline" || sc.System.Role == "candidate") && sc.System.Role != sideOf(a, n) {
			wrong = append(wrong, a)
		}
	}
	if len(wrong) == 0 {
		return nil, nil
	}
	if !ignoreRoles {
		for _, a := range wrong {
			sc := arms[a]
			errs = append(errs, scorecard.Errorf(sc.Source, sc.SystemLine, "its header says the system %q is the %s, but the file was given as --%s", sc.System.Name, sc.System.Role, sideOf(a, n)))
		}
		files := make([]string, 0, n)
		for _, sc := range arms {
			files = append(files, sc.Source)
		}
		fix := "check which file is which"
		if len(wrong) == n && n == 2 {
			fix = fmt.Sprintf("the sides look swapped: give --baseline %s --candidate %s", arms[1].Source, arms[0].Source)
		}
		errs = append(errs, usagef("%s; if the headers are wrong and the order is right, pass --ignore-roles (or set pairing.ignore_roles: true): "+
			"a gate given its sides the wrong way round passes the older system", fix))
		return nil, errs
	}
	if len(wrong) == n {
		var says []string
		for a, sc := range arms {
			says = append(says, fmt.Sprintf("%s says %s, given as --%s", sc.Source, sc.System.Role, sideOf(a, n)))
		}
		warnings = append(warnings, fmt.Sprintf("the sides look swapped: every scorecard's header names the other side (%s); compared as given, since roles are ignored",
			strings.Join(says, "; ")))
		return warnings, nil
	}
	for _, a := range wrong {
		warnings = append(warnings, fmt.Sprintf("%s says its system %q is the %s but was given as the %s; compared as given, since roles are ignored",
			arms[a].Source, arms[a].System.Name, arms[a].System.Role, sideOf(a, n)))
	}
	return warnings, nil
}
