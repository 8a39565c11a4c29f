package main

// build is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "build",
		usage:   "build [--out DIR] [--cache DIR] [--var k=v]... [--var-file F] PATH",
		summary: "Build the image a definition describes and write its outputs.",
		run:     notBuilt("build"),
	})
}
