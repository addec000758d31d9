//go:build unix

package cli

import (
	"os"
	"syscall"
)

// sameDevice reports whether two files are on one device, so that one
// can be renamed over the other.
func sameDevice(a, b os.FileInfo) bool {
	sa, okA := a.Sys().(*syscall.Stat_t)
	sb, okB := b.Sys().(*syscall.Stat_t)
	return !okA || !okB || sa.Dev == sb.Dev
}
