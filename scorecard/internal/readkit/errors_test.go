package readkit

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Choices reports a choice left open only when it is the only problem.
func TestChoices(t *testing.T) {
	t.Parallel()
	choice := &InputError{File: "f", Msg: "this file has 2 providers", Choice: true}
	other := &InputError{File: "f", Line: 3, Msg: "bad value"}
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, nil},
		{"one choice", choice, []string{"this file has 2 providers"}},
		{"list of choices", ErrorList{choice, &InputError{File: "f", Msg: "2 prompts", Choice: true}}, []string{"this file has 2 providers", "2 prompts"}},
		{"with another problem", ErrorList{choice, other}, nil},
		{"another problem", other, nil},
		{"not an input error", errors.New("disk"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, Choices(tc.err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
