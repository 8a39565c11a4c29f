package main

// pack is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "pack",
		usage:   "pack --format tar|squashfs|cpio|ext4 [--compression C] ROOT OUTFILE",
		summary: "Pack an image root into a file.",
		run:     notBuilt("pack"),
	})
}
