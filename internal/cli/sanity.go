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

// checkSides looks for inputs that cannot make a meaningful comparison.
// It returns an error (exit 2) when a multi-system file is read with the
// same selection on both sides, and warnings, for the top of every report,
// when a scorecard's header names the other side (the files look swapped)
// or two sides have the same content.
func checkSides(arms []*scorecard.Scorecard) (warnings []string, err error) {
	n := len(arms)
	for i := range arms {
		for j := i + 1; j < n; j++ {
			a, b := arms[i], arms[j]
			if a.SHA256 != b.SHA256 || a.System != b.System {
				continue
			}
			if multiSystemFormats[a.Format] && a.Format == b.Format {
				return nil, usagef("%s (%s) and %s (%s) are the same %s file read with the same selection, so both sides would be the system %q: "+
					"pick each side's provider or prompt (--baseline-provider and --candidate-provider, --baseline-prompt and --candidate-prompt)", a.Source, sideOf(i, n), b.Source, sideOf(j, n), a.Format, a.System.Name)
			}
			warnings = append(warnings, fmt.Sprintf("the %s %s and the %s %s have the same content: the comparison is of a system with itself",
				sideOf(i, n), a.Source, sideOf(j, n), b.Source))
		}
	}
	var wrong []int
	for a, sc := range arms {
		if sc.System.Role != "" && sc.System.Role != sideOf(a, n) && (sc.System.Role == "baseline" || sc.System.Role == "candidate") {
			wrong = append(wrong, a)
		}
	}
	if len(wrong) == n {
		var says []string
		for a, sc := range arms {
			says = append(says, fmt.Sprintf("%s says %s, given as --%s", sc.Source, sc.System.Role, sideOf(a, n)))
		}
		warnings = append(warnings, fmt.Sprintf("the sides look swapped: every scorecard's header names the other side (%s); check the order of --baseline and --candidate",
			strings.Join(says, "; ")))
		return warnings, nil
	}
	var roles []string
	for _, a := range wrong {
		roles = append(roles, fmt.Sprintf("%s says its system %q is the %s but was given as the %s; check the order of --baseline and --candidate",
			arms[a].Source, arms[a].System.Name, arms[a].System.Role, sideOf(a, n)))
	}
	return append(warnings, roles...), nil
}
