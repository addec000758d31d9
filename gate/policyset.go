package gate

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ftgate/ftgate/scorecard"
)

// setLine is the line number given to the nodes of the i-th override,
// setLine+i: far past any line of a policy file (at most MaxPolicyBytes
// lines), so that relocate can tell them apart.
const setLine = 1 << 30

// An Override sets one key of a policy over the file's value, as the
// command line's --set KEY=VALUE does.
type Override struct {
	// Key is a dotted path to any key of the policy ("quality.min_gain",
	// "pricing.gpt-4.1-mini.input_per_mtok").
	Key string
	// Value is YAML: a number, a word, or a flow mapping such as
	// "{input_per_mtok: 1, output_per_mtok: 2}"; empty is null (unset).
	Value string
	// Source names the override in messages, such as "--set alpha=0.1".
	Source string
}

// ParseOverride reads "KEY=VALUE" (the argument of --set) into an
// Override whose Source is "--set KEY=VALUE".
//
// The source quotes the argument when it holds a line break or another
// character that would not read as itself, so that a message stays on
// its line.
func ParseOverride(kv string) (Override, error) {
	source := "--set " + kv
	if q := strconv.Quote(kv); q != `"`+kv+`"` {
		source = "--set " + q
	}
	key, value, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return Override{}, &scorecard.InputError{File: source, Msg: "give KEY=VALUE, such as quality.min_gain=0.02"}
	}
	return Override{Key: key, Value: value, Source: source}, nil
}

// applySets applies the overrides to the policy's mapping. A key given
// twice, or a key and a key inside it ("quality" and "quality.min_gain"),
// is refused rather than the last one winning.
func applySets(doc *yaml.Node, sets []Override) error {
	var errs scorecard.ErrorList
	var paths [][]string
	for i, o := range sets {
		path := splitKey(o.Key, reflect.TypeOf(Policy{}))
		paths = append(paths, path)
		if j := slices.IndexFunc(paths[:i], func(p []string) bool { return within(p, path) || within(path, p) }); j >= 0 {
			errs = append(errs, &scorecard.InputError{File: o.Source, Msg: fmt.Sprintf("%q is already set by %s; give each key once", strings.Join(paths[j], "."), sets[j].Source)})
			continue
		}
		var v yaml.Node
		if err := yaml.Unmarshal([]byte(o.Value), &v); err != nil {
			errs = append(errs, &scorecard.InputError{File: o.Source, Msg: fmt.Sprintf("the value is not YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))})
			continue
		}
		val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
		if len(v.Content) > 0 {
			val = v.Content[0]
		}
		if hasAlias(val) {
			errs = append(errs, &scorecard.InputError{File: o.Source, Msg: "the value may not use anchors or aliases"})
			continue
		}
		mark(val, setLine+i)
		set(doc, splitKey(o.Key, reflect.TypeOf(Policy{})), val, setLine+i)
	}
	return errs.Err()
}

// within reports whether path inner is path outer or a key inside it.
func within(outer, inner []string) bool {
	return len(inner) >= len(outer) && slices.Equal(outer, inner[:len(outer)])
}

// splitKey splits a dotted key path into keys, guided by the type the
// path walks: a struct's keys have no dots, but a map's keys may (model
// names such as gpt-4.1-mini), so a map key takes every segment up to the
// last one when that one is a key of the map's value type, else all of
// them.
func splitKey(key string, t reflect.Type) []string {
	var out []string
	for key != "" {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Map {
			elem := t.Elem()
			if i := strings.LastIndexByte(key, '.'); i > 0 && fieldType(elem, key[i+1:]) != nil {
				return append(out, key[:i], key[i+1:])
			}
			return append(out, key)
		}
		head, rest, _ := strings.Cut(key, ".")
		out = append(out, head)
		t = fieldType(t, head)
		key = rest
	}
	return out
}

// fieldType returns the type of the field of struct type t whose yaml key
// is name, or nil.
func fieldType(t reflect.Type, name string) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if strings.Split(f.Tag.Get("yaml"), ",")[0] == name {
			return f.Type
		}
		if f.Anonymous && strings.Contains(f.Tag.Get("yaml"), "inline") {
			if ft := fieldType(f.Type, name); ft != nil {
				return ft
			}
		}
	}
	return nil
}

// set puts val at the path of keys under the mapping m, creating the
// mappings on the way and copying an aliased one rather than changing
// the anchor it shares.
func set(m *yaml.Node, keys []string, val *yaml.Node, line int) {
	for i, k := range keys {
		j := -1
		for c := 0; c+1 < len(m.Content); c += 2 {
			if m.Content[c].Value == k && m.Content[c].Tag != "!!merge" {
				j = c
			}
		}
		if j < 0 {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: line},
				&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line})
			j = len(m.Content) - 2
		}
		m.Content[j].Line, m.Content[j].Column = line, 0
		if i == len(keys)-1 {
			m.Content[j+1] = val
			return
		}
		next := resolve(m.Content[j+1])
		if next == nil || next.Kind != yaml.MappingNode {
			next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
		} else if next != m.Content[j+1] {
			copied := *next
			copied.Content = append([]*yaml.Node(nil), next.Content...)
			next = &copied
		}
		m.Content[j+1] = next
		m = next
	}
}

// mark gives every node of a value the line of its override.
func mark(n *yaml.Node, line int) {
	n.Line, n.Column = line, 0
	for _, c := range n.Content {
		mark(c, line)
	}
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// relocateWarning gives a warning located at an override's line ("NAME:LINE:
// ...") the override's source instead.
func relocateWarning(w, name string, sets []Override) string {
	rest, ok := strings.CutPrefix(w, name+":")
	if !ok {
		return w
	}
	digits, msg, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(digits)
	if !ok || err != nil || line < setLine || line-setLine >= len(sets) {
		return w
	}
	return sets[line-setLine].Source + ": " + msg
}

// relocate reports the problems found at an override's line as problems
// of its source.
func relocate(err error, sets []Override) error {
	if err == nil {
		return nil
	}
	var list scorecard.ErrorList
	if !errors.As(err, &list) {
		var one *scorecard.InputError
		if !errors.As(err, &one) {
			return err
		}
		list = scorecard.ErrorList{one}
	}
	for _, e := range list {
		var ie *scorecard.InputError
		if errors.As(e, &ie) && ie.Line >= setLine && ie.Line-setLine < len(sets) {
			ie.File, ie.Line, ie.Col = sets[ie.Line-setLine].Source, 0, 0
		}
	}
	return list
}
