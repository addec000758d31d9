package report

import (
	"fmt"

	"github.com/ftgate/ftgate/gate"
)

// transitions is the failure-class transition table of a decision, laid
// out for a renderer: the outcomes in table order (accepted first, then
// the failure classes), the cases of each (from, to) pair, and the totals
// by kind.
type transitions struct {
	outcomes                    []string
	cases                       map[[2]string]float64
	fixed, broke, changed, kept float64
}

// transitionsOf returns the decision's transitions, or nil without any.
func transitionsOf(d *gate.Decision) *transitions {
	if len(d.FailureTransitions) == 0 {
		return nil
	}
	tr := &transitions{outcomes: []string{gate.Accepted}, cases: map[[2]string]float64{}}
	for _, fc := range d.FailureClasses {
		tr.outcomes = append(tr.outcomes, fc.Class)
	}
	for _, t := range d.FailureTransitions {
		tr.cases[[2]string{t.From, t.To}] = t.Cases
		switch {
		case t.To == gate.Accepted:
			tr.fixed += t.Cases
		case t.From == gate.Accepted:
			tr.broke += t.Cases
		case t.From == t.To:
			tr.kept += t.Cases
		default:
			tr.changed += t.Cases
		}
	}
	return tr
}

// summary counts the cases the candidate fixed, broke, changed the class
// of, and left in the same class.
func (tr *transitions) summary() string {
	return fmt.Sprintf("fixed %s, broke %s, changed class %s, same class %s", count(tr.fixed), count(tr.broke), count(tr.changed), count(tr.kept))
}
