// Package schema holds the JSON Schemas (draft 2020-12) of ftgate's two
// documents: the policy file (gate.yaml) and the JSON report (schema
// ftgate.report/v1). Both are generated from the Go types that read the
// policy and write the report, with the descriptions and limits kept in
// this package's tests, and a test fails when a key is in one and not
// the other. Editors use the policy schema through the
// "# yaml-language-server: $schema=..." line that 'ftgate init' writes;
// 'ftgate validate' checks a policy against it after ftgate's own checks.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// english prints the validator's messages.
var english = message.NewPrinter(language.English)

// The schemas' identifiers: where the repository publishes them.
const (
	PolicyURL = "https://raw.githubusercontent.com/ftgate/ftgate/main/schema/gate.schema.json"
	ReportURL = "https://raw.githubusercontent.com/ftgate/ftgate/main/schema/report.schema.json"
)

//go:embed gate.schema.json
var policySchema []byte

//go:embed report.schema.json
var reportSchema []byte

// Policy returns the policy's JSON Schema.
func Policy() []byte { return bytes.Clone(policySchema) }

// Report returns the JSON report's JSON Schema.
func Report() []byte { return bytes.Clone(reportSchema) }

var (
	compileOnce                    sync.Once
	compiledPolicy, compiledReport *jsonschema.Schema
	compileErr                     error
)

func compile() {
	c := jsonschema.NewCompiler()
	for url, data := range map[string][]byte{PolicyURL: policySchema, ReportURL: reportSchema} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			compileErr = fmt.Errorf("schema %s: %w", url, err)
			return
		}
		if err := c.AddResource(url, doc); err != nil {
			compileErr = fmt.Errorf("schema %s: %w", url, err)
			return
		}
	}
	if compiledPolicy, compileErr = c.Compile(PolicyURL); compileErr != nil {
		return
	}
	compiledReport, compileErr = c.Compile(ReportURL)
}

// plain makes a decoded YAML document encodable as JSON: mapping keys
// that are not strings become their text, and the numbers JSON cannot
// hold (NaN, ±Inf) become strings, which the schema then reports as not
// numbers.
func plain(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
	}
	return v
}

// A Problem is one place where a document breaks its schema.
type Problem struct {
	// Path is the key path of the value ("latency.max_p95_ms"), "" for
	// the document itself.
	Path    string
	Message string
}

// ValidatePolicy checks a policy, decoded into plain values (maps, slices,
// strings, numbers, booleans and nil), against the policy schema and
// returns every problem.
func ValidatePolicy(doc any) ([]Problem, error) {
	return validate(func() *jsonschema.Schema { return compiledPolicy }, doc)
}

// ValidateReport checks a JSON report, decoded into plain values, against
// the report schema and returns every problem.
func ValidateReport(doc any) ([]Problem, error) {
	return validate(func() *jsonschema.Schema { return compiledReport }, doc)
}

func validate(which func() *jsonschema.Schema, doc any) ([]Problem, error) {
	compileOnce.Do(compile)
	if compileErr != nil {
		return nil, compileErr
	}
	// Numbers go through JSON so that every integer and float type the
	// caller's decoder produced reads the same.
	data, err := json.Marshal(plain(doc))
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	err = which().Validate(inst)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, err
	}
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			path := ""
			for i, k := range e.InstanceLocation {
				if i > 0 {
					path += "."
				}
				path += k
			}
			out = append(out, Problem{Path: path, Message: e.ErrorKind.LocalizedString(english)})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out, nil
}
