package main

// bootstrap is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "bootstrap",
		usage:   "bootstrap --distribution D --suite S [--arch A] [--variant V] [--mirror URL] [--include p,q] [--cache DIR] DIR",
		summary: "Bootstrap a Debian or Ubuntu base system into DIR.",
		run:     notBuilt("bootstrap"),
	})
}
