//go:build !linux

package cli

// mountPoint reports whether path is a mount point; only Linux says so
// cheaply, elsewhere the device check of sameDevice is all there is.
func mountPoint(string) bool { return false }
