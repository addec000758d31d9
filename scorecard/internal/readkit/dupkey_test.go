package readkit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindDuplicateKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want *DuplicateKey
	}{
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"a":2}`, &DuplicateKey{Key: "a", Off: 7, First: 1}},
		{`{"a":{"x":1,"y":{"z":[{"k":1},{"k":2,"k":3}]}}}`, &DuplicateKey{Key: "k", Off: 37, First: 31}},
		{`{"a":"a","b":"a"}`, nil},                 // values are not keys
		{`{"a":[1,"a",{"a":1}],"b":{"a":2}}`, nil}, // each object has its own keys
		{`{"a\"b":1,"a\"b":2}`, &DuplicateKey{Key: `a"b`, Off: 10, First: 1}},
		{`{"a":1,"\u0061":2}`, &DuplicateKey{Key: "a", Off: 7, First: 1}}, // the same key, spelled otherwise
		{`[{"a":1},{"a":1}]`, nil},
		{`"a"`, nil},
		{`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":0,"k11":1,"k12":2,"k13":3,"k14":4,"k15":5,"k16":6,"k17":7,"k3":0}`,
			&DuplicateKey{Key: "k3", Off: 135, First: 22}}, // past the short list
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, FindDuplicateKey([]byte(tt.raw))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.raw, diff)
		}
	}
}
