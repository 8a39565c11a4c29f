package main

// publish is not built yet; the issue that builds it replaces this file.
func init() {
	register(&command{
		name:    "publish",
		usage:   "publish [--endpoint URL] [--name N] [--version V] [--latest] FILE... s3://BUCKET/PREFIX/",
		summary: "Upload image files to S3.",
		run:     notBuilt("publish"),
	})
}
