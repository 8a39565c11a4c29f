package main

// shell is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "shell",
		usage:   "shell ROOT",
		summary: "Open an interactive shell inside an image root.",
		run:     notBuilt("shell"),
	})
}
