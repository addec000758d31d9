package cli

func runPower(args []string, env Env) error {
	return usagef("power is not available in this build yet")
}
