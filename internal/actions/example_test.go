package actions

import (
	"fmt"
	"os"
)

func ExampleGuardCommands() {
	text := []byte("segments\n  ::error::a workflow named like a command\n")
	os.Stdout.Write(GuardCommands(text, "TOKEN"))
	fmt.Println(LooksLikeCommand("verdict: PASS"))
	// Output:
	// ::stop-commands::TOKEN
	// segments
	//   ::error::a workflow named like a command
	// ::TOKEN::
	// false
}
