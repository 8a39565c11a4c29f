package main

// boot is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "boot",
		usage:   "boot OUTDIR|IMAGE",
		summary: "Boot a built image in QEMU and check that it comes up.",
		run:     notBuilt("boot"),
	})
}
