package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ftgate/ftgate/schema"
	"github.com/ftgate/ftgate/scorecard"
	"gopkg.in/yaml.v3"
)

// checkPolicySchema checks a policy that ftgate's own reader accepted
// against the published JSON Schema (schema/gate.schema.json), the
// contract editors and other tools read. The reader's FILE:LINE messages
// come first and say what to fix; this check runs after them, so a
// problem found here means the schema and the reader disagree, and it is
// reported the same way, at the line of the key.
func checkPolicySchema(name string, data []byte) error {
	var root yaml.Node
	var doc any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil // the reader has said why
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil
	}
	if doc == nil {
		doc = map[string]any{}
	}
	problems, err := schema.ValidatePolicy(doc)
	if err != nil {
		return &internalError{fmt.Errorf("policy schema: %w", err)}
	}
	var errs scorecard.ErrorList
	for _, p := range problems {
		key := p.Path
		if key == "" {
			key = "the policy"
		}
		line, col := keyPosition(&root, p.Path)
		errs = append(errs, &scorecard.InputError{File: name, Line: line, Col: col,
			Msg: fmt.Sprintf("%s: the policy schema (schema/gate.schema.json) rejects it: %s", key, p.Message)})
	}
	return errs.Err()
}

// keyPosition finds the line and column of a key path ("pricing.ft",
// "a.0.b") in a YAML document; the document's start when it is not there.
func keyPosition(root *yaml.Node, path string) (line, col int) {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line, col = n.Line, n.Column
	if path == "" {
		return line, col
	}
	for _, part := range strings.Split(path, ".") {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					line, col = n.Content[i].Line, n.Content[i].Column
					n, found = n.Content[i+1], true
					break
				}
			}
			if !found {
				return line, col
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n.Content) {
				return line, col
			}
			n = n.Content[i]
			line, col = n.Line, n.Column
		default:
			return line, col
		}
	}
	return line, col
}
