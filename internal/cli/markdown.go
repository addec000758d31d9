package cli

import (
	"context"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

func writeMarkdown(env Env, d *gate.Decision, names report.Names, path string) error {
	return usagef("--markdown is not available in this build yet")
}

func writeJUnit(env Env, d *gate.Decision, names report.Names, path string) error {
	return usagef("--junit is not available in this build yet")
}

// publishActions writes step outputs, the job summary and annotations when
// running inside GitHub Actions.
func publishActions(ctx context.Context, env Env, d *gate.Decision, names report.Names, f compareFlags) error {
	return nil
}
