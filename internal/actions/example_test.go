package actions

import (
	"os"

	"github.com/ftgate/ftgate/internal/visible"
)

// Only the command writer's Command method writes a real workflow
// command; text on the same stream that looks like one is shown inert.
func ExampleCommandWriter() {
	out := visible.NewWriter(os.Stdout, visible.Options{})
	out.Write([]byte("segments\n  ::error::a workflow named like a command ##[error]\n"))
	out.Command("warning", [][2]string{{"title", "ftgate: warning"}}, "two\nlines")
	out.Flush()
	// Output:
	// segments
	//   :\x3aerror::a workflow named like a command #\x23[error]
	// ::warning title=ftgate%3A warning::two%0Alines
}
