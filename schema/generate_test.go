package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

var update = flag.Bool("update", false, "rewrite the schema files from the Go types")

// An ann annotates one key of a schema: its description and the limits
// the Go code enforces.
type ann struct {
	desc     string
	enum     []string
	min, max *float64 // inclusive
	exMin    *float64
	exMax    *float64
	// required lists keys of an object that must be written.
	required []string
	// orZero allows 0 besides the range min..max (0 standing for unset).
	orZero bool
	// keyPattern is a pattern every key of a map must match.
	keyPattern string
}

func f(x float64) *float64 { return &x }

// generator builds a JSON Schema object tree from a Go type.
type generator struct {
	// tag is the struct tag naming keys: "yaml" for the policy, "json"
	// for the report.
	tag  string
	anns map[string]ann
	// refs replaces the schema of a key path with a reference.
	refs map[string]string
	used map[string]bool
	t    *testing.T
}

// keyOf returns the key of a struct field, whether it is inlined, and
// whether it may be left out (omitempty, or a policy key: all optional).
func (g *generator) keyOf(fl reflect.StructField) (key string, inline, optional bool) {
	tag, ok := fl.Tag.Lookup(g.tag)
	if fl.Anonymous && (!ok || strings.Contains(tag, ",inline")) {
		return "", true, true
	}
	if !ok && g.tag == "json" {
		return fl.Name, false, false
	}
	parts := strings.Split(tag, ",")
	if parts[0] == "-" || !fl.IsExported() {
		return "", false, false
	}
	return parts[0], slices.Contains(parts[1:], "inline"), slices.Contains(parts[1:], "omitempty") || g.tag == "yaml"
}

// schemaOf returns the schema of a value of type t at path.
func (g *generator) schemaOf(t reflect.Type, path string) map[string]any {
	if ref, ok := g.refs[path]; ok {
		g.used[path] = true
		return g.annotate(map[string]any{"$ref": ref}, path)
	}
	nullable := false
	if t.Kind() == reflect.Pointer {
		nullable, t = true, t.Elem()
	}
	s := map[string]any{}
	switch {
	case t == reflect.TypeFor[report.Float]():
		s["type"] = []string{"number", "null"}
	case t.Kind() == reflect.Struct:
		s["type"] = "object"
		props := map[string]any{}
		var required []string
		g.fields(t, path, props, &required)
		s["properties"] = props
		s["additionalProperties"] = false
		if len(required) > 0 {
			sort.Strings(required)
			s["required"] = required
		}
	case t.Kind() == reflect.Map:
		// A Go map may be nil: null in JSON, an empty key in YAML.
		s["type"] = []string{"object", "null"}
		s["additionalProperties"] = g.schemaOf(t.Elem(), path+".*")
	case t.Kind() == reflect.Slice:
		s["type"] = "array"
		s["items"] = g.schemaOf(t.Elem(), path+"[]")
	case t.Kind() == reflect.String:
		s["type"] = "string"
	case t.Kind() == reflect.Bool:
		s["type"] = "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s["type"] = "integer"
		if t.Kind() >= reflect.Uint {
			s["minimum"] = 0
		}
	case t.Kind() == reflect.Float64:
		s["type"] = "number"
	default:
		g.t.Fatalf("%s: no schema for Go type %v", path, t)
	}
	if nullable {
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
	}
	return g.annotate(s, path)
}

// fields adds the keys of struct t (inlined structs flattened) to props.
func (g *generator) fields(t reflect.Type, path string, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		fl := t.Field(i)
		key, inline, optional := g.keyOf(fl)
		if inline {
			g.fields(fl.Type, path, props, required)
			continue
		}
		if key == "" {
			continue
		}
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		props[key] = g.schemaOf(fl.Type, sub)
		if !optional {
			*required = append(*required, key)
		}
	}
}

// annotate adds the key's description and limits.
func (g *generator) annotate(s map[string]any, path string) map[string]any {
	a, ok := g.anns[path]
	if !ok {
		return s
	}
	g.used[path] = true
	if a.desc != "" {
		s["description"] = a.desc
	}
	if a.enum != nil {
		s["enum"] = a.enum
	}
	if a.required != nil {
		s["required"] = a.required
	}
	if a.keyPattern != "" {
		s["propertyNames"] = map[string]any{"pattern": a.keyPattern}
	}
	limits := s
	if a.orZero {
		limits = map[string]any{}
		s["anyOf"] = []any{map[string]any{"const": 0}, limits}
	}
	for k, v := range map[string]*float64{"minimum": a.min, "maximum": a.max, "exclusiveMinimum": a.exMin, "exclusiveMaximum": a.exMax} {
		if v != nil {
			limits[k] = *v
		}
	}
	return s
}

// generate writes the schema document of type t.
func generate(t *testing.T, tag, id, title string, typ reflect.Type, anns map[string]ann, refs map[string]string) []byte {
	t.Helper()
	g := &generator{tag: tag, anns: anns, refs: refs, used: map[string]bool{}, t: t}
	root := g.schemaOf(typ, "")
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = id
	root["title"] = title
	for path := range anns {
		if !g.used[path] {
			t.Errorf("%s: the annotation of %q names no key of the Go type (renamed or removed?)", id, path)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// keysWithoutDescription lists the object keys of a schema that have no
// description, for the policy: an editor shows every key's meaning.
func keysWithoutDescription(s map[string]any, path string) []string {
	var out []string
	if props, ok := s["properties"].(map[string]any); ok {
		for k, v := range props {
			sub := strings.TrimPrefix(path+"."+k, ".")
			vs := v.(map[string]any)
			if _, ok := vs["description"]; !ok {
				out = append(out, sub)
			}
			out = append(out, keysWithoutDescription(vs, sub)...)
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		out = append(out, keysWithoutDescription(ap, path+".*")...)
	}
	return out
}

// checkFile compares a generated schema with the file kept in the
// repository, or rewrites the file under -update.
func checkFile(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the schema generated from the Go types (a key added to one and not the other?); "+
			"run 'go test ./schema -update' after changing the types or the annotations, and review the diff", name)
	}
}

// TestPolicySchema generates the policy schema from gate.Policy (its yaml
// keys) and the annotations, and compares it with gate.schema.json.
func TestPolicySchema(t *testing.T) {
	got := generate(t, "yaml", PolicyURL, "ftgate policy (gate.yaml)", reflect.TypeFor[gate.Policy](), policyAnns, nil)
	var doc map[string]any
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if missing := keysWithoutDescription(doc, ""); len(missing) > 0 {
		sort.Strings(missing)
		t.Errorf("policy keys without a description in policyAnns: %s", strings.Join(missing, ", "))
	}
	checkFile(t, "gate.schema.json", got)
}

// TestReportSchema generates the report schema from report.JSONReport
// (its json keys) and compares it with report.schema.json.
func TestReportSchema(t *testing.T) {
	got := generate(t, "json", ReportURL, "ftgate JSON report (ftgate.report/v1)", reflect.TypeFor[report.JSONReport](), reportAnns,
		map[string]string{"policy": PolicyURL})
	checkFile(t, "report.schema.json", got)
}

func TestEmbeddedIsTheFile(t *testing.T) {
	for name, data := range map[string][]byte{"gate.schema.json": Policy(), "report.schema.json": Report()} {
		file, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(file, data) {
			t.Errorf("%s: the embedded schema is not the file (%v)", name, err)
		}
	}
}

func ExamplePolicy() {
	var s struct {
		Title string `json:"title"`
	}
	_ = json.Unmarshal(Policy(), &s)
	fmt.Println(s.Title)
	// Output: ftgate policy (gate.yaml)
}
