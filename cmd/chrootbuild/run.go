package main

// run is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "run",
		usage:   "run ROOT -- CMD [ARGS]",
		summary: "Run a command inside an image root.",
		run:     notBuilt("run"),
	})
}
