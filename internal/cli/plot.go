package cli

import (
	"bytes"
	"fmt"

	"github.com/ftgate/ftgate/gate"
	"github.com/ftgate/ftgate/report"
)

// writePlot writes the SVG chart of cost per accepted outcome against
// quality (report.SVG) for --plot FILE.svg.
func writePlot(env Env, d *gate.Decision, names report.Names, path string) error {
	var buf bytes.Buffer
	if err := report.SVG(&buf, d, names); err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	if err := env.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("--plot %s: %w", path, unwrapPath(err))
	}
	return nil
}
