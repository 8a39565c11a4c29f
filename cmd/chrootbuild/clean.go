package main

// clean is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "clean",
		usage:   "clean [--cache DIR]",
		summary: "Remove work folders and caches.",
		run:     notBuilt("clean"),
	})
}
