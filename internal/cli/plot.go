package cli

import (
	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

func writePlot(env Env, d *gate.Decision, names report.Names, path string) error {
	return usagef("--plot is not available in this build yet")
}
