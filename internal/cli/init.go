package cli

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

//go:embed starter.yaml
var starterPolicy []byte

// StarterPolicy returns the commented policy that 'ftgate init' writes.
func StarterPolicy() []byte { return append([]byte(nil), starterPolicy...) }

func runInit(args []string, env Env) error {
	var out string
	var force bool
	flags := newFlagSet("init", env, "ftgate init [--out gate.yaml] [--force]\n\nWrites a commented starter policy (to standard output without --out)")
	flags.StringVar(&out, "out", "", "write the policy to this file instead of standard output")
	flags.BoolVar(&force, "force", false, "overwrite an existing --out file")
	if err := parseFlags(flags, args, false); err != nil {
		return err
	}
	if out == "" || out == "-" {
		_, err := env.Stdout.Write(starterPolicy)
		return err
	}
	if !force {
		if _, err := os.Stat(out); err == nil {
			return usagef("%s already exists; use --force to overwrite it", out)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", out, unwrapPath(err))
		}
	}
	if err := env.WriteFile(out, starterPolicy); err != nil {
		return fmt.Errorf("%s: %w", out, unwrapPath(err))
	}
	fmt.Fprintf(env.Stderr, "wrote %s; check it with 'ftgate validate %s'\n", out, out)
	return nil
}
