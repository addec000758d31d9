package cli

import (
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/report"
	"github.com/ftgate/ftgate/schema"
	"github.com/ftgate/ftgate/scorecard"
)

// Shell completion of flag values: cobra's completion scripts ask the
// program (ftgate __complete ARGS) for the words that may follow.

// completeFormats offers the values of --format.
func completeFormats(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return append([]string{"auto\tdetect the format from the content (the default)"}, scorecard.Formats()...), cobra.ShellCompDirectiveNoFileComp
}

// A policyKey is one key that --set can override, with its schema.
type policyKey struct {
	key, desc string
	values    []string // the choices of an enum or a boolean
}

// policyKeys lists every key of the policy that holds a value (not a
// block), from the policy's JSON Schema, sorted. Keys under a map (a
// model's prices, a workflow's share) are written with a placeholder:
// pricing.MODEL.input_per_mtok.
func policyKeys() []policyKey {
	var root map[string]any
	if err := json.Unmarshal(schema.Policy(), &root); err != nil {
		return nil
	}
	var out []policyKey
	join := func(prefix, k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	var walk func(prefix string, s map[string]any)
	walk = func(prefix string, s map[string]any) {
		if props, ok := s["properties"].(map[string]any); ok {
			for k, v := range props {
				if sub, ok := v.(map[string]any); ok {
					walk(join(prefix, k), sub)
				}
			}
			return
		}
		if sub, ok := s["additionalProperties"].(map[string]any); ok {
			name := "NAME"
			if prefix == "pricing" {
				name = "MODEL"
			}
			walk(join(prefix, name), sub)
			return
		}
		k := policyKey{key: prefix}
		if d, ok := s["description"].(string); ok {
			k.desc, _, _ = strings.Cut(d, ". ")
			k.desc = strings.ReplaceAll(strings.TrimSuffix(k.desc, "."), "`", "")
		}
		if enum, ok := s["enum"].([]any); ok {
			for _, e := range enum {
				if v, ok := e.(string); ok {
					k.values = append(k.values, v)
				}
			}
		}
		if t, _ := s["type"].(string); t == "boolean" {
			k.values = []string{"true", "false"}
		}
		out = append(out, k)
	}
	walk("", root)
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// completeSet offers the policy's keys for --set KEY=VALUE, and the
// values of a key that has a list of them once KEY= is typed.
func completeSet(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	keys := policyKeys()
	if key, _, ok := strings.Cut(toComplete, "="); ok {
		i := slices.IndexFunc(keys, func(k policyKey) bool { return k.key == key })
		if i < 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, v := range keys[i].values {
			out = append(out, key+"="+v)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, k := range keys {
		out = append(out, k.key+"=\t"+k.desc)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeFromReport offers the workflows (or the failure classes) of the
// changed cases of the report that 'ftgate cases' is given, when it is
// already on the command line and readable.
func completeFromReport(classes bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		data, err := os.ReadFile(args[0])
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		cs, err := report.ReadCaseChanges(data)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, c := range cs {
			words := []string{c.Workflow}
			if classes {
				words = append(slices.Clone(c.Baseline.Classes), c.Candidate.Classes...)
			}
			for _, w := range words {
				if w != "" && !slices.Contains(out, w) {
					out = append(out, w)
				}
			}
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// mustComplete registers a flag's completion; a flag name misspelt in
// this package is a programming error.
func mustComplete(cmd *cobra.Command, flag string, f cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(flag, f); err != nil {
		panic(err)
	}
}
