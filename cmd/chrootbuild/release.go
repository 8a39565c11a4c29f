package main

// release is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "release",
		usage:   "release [--insecure] [--latest] [--tag T]... ROOT|TAR REGISTRY/REPO:TAG",
		summary: "Push an image to an OCI registry.",
		run:     notBuilt("release"),
	})
}
