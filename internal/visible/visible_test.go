package visible

import "testing"

func TestEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		keep func(rune) bool
		want string
	}{
		{"plain text, é ü 中 \u00a0", nil, "plain text, é ü 中 \u00a0"},
		{"a\x1b[31mred", nil, `a\x1b[31mred`},
		{"line\nbreak\ttab", nil, `line\x0abreak\x09tab`},
		{"line\nbreak\ttab", func(r rune) bool { return r == '\n' }, "line\nbreak\\x09tab"},
		{"abc\u202edcba\u2066x\u200e", nil, `abc\u202edcba\u2066x\u200e`},
		{"del\x7f c1\u0085 csi\u009b", nil, `del\x7f c1\x85 csi\x9b`},
		{"ls\u2028ps\u2029", nil, `ls\u2028ps\u2029`},
		{"bad \xff\xfe utf8 \xe2\x82", nil, `bad \xff\xfe utf8 \xe2\x82`},
		{"real \ufffd stays", nil, "real \ufffd stays"},
	} {
		if got := Escape(tc.in, tc.keep); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
