package readkit

import "testing"

func TestValidText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw  string
		want bool
	}{
		{`"plain"`, true},
		{`"caf\u00e9 and café"`, true},
		{`"\ud83d\ude00 a pair"`, true},
		{`"an escaped backslash: \\udcff"`, true},
		{`"\ufffd written on purpose"`, true},
		{"\"\xff\"", false},
		{`"\udcff alone"`, false},
		{`"\ud83d without its pair"`, false},
		{`"\ud83d\u0041 with a letter after"`, false},
		{`"\ud83d\\ude00"`, false},
		{`{"k": "\uDCFF"}`, false},
	} {
		if got := ValidText([]byte(tc.raw)); got != tc.want {
			t.Errorf("ValidText(%s) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}
