package main

// install is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "install",
		usage:   "install [--yes] ROOT|TAR TARGET",
		summary: "Install an image onto a block device or an NBD export (nbd://host:port[/export]).",
		run:     notBuilt("install"),
	})
}
