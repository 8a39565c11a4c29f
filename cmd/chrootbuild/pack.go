package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/pack"
)

func init() {
	register(&command{
		name:    "pack",
		usage:   "pack --format " + strings.Join(pack.FileKinds(), "|") + " [--compression C] [--level N] [--size S] [--label L] ROOT OUTFILE",
		summary: "Pack an image root into a file (written under a temporary name, with OUTFILE.sha256 beside it).",
		run:     runPack,
	})
}

func runPack(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["pack"], stderr)
	format := fs.String("format", "", "output `format`: "+strings.Join(pack.FileKinds(), ", "))
	var o pack.FileOptions
	fs.StringVar(&o.Compression, "compression", "", "`name`: "+compressionHelp()+" (default: tar and cpio from the extension, else none)")
	fs.IntVar(&o.Level, "level", 0, "squashfs compression `level` (0: the compressor's default)")
	fs.StringVar(&o.Size, "size", "", "ext4 image `size`, like 2G (default auto)")
	fs.StringVar(&o.Label, "label", "", "ext4 volume `label` (default rootfs)")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if *format == "" || len(pos) != 2 {
		fmt.Fprintln(stderr, "chrootbuild pack: give --format, the ROOT folder and the OUTFILE")
		fs.Usage()
		return exitUsage
	}
	out, err := pack.NewFile(*format, pos[1], o)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild pack: %v\n", err)
		return exitUsage
	}
	if fi, err := os.Stat(pos[0]); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "chrootbuild pack: %s is not a folder holding a root\n", pos[0])
		return exitFail
	}
	if err := chroot.CheckCleanDir(pos[0]); err != nil {
		fmt.Fprintf(stderr, "chrootbuild pack: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &pack.Env{RootDir: pos[0], OutDir: filepath.Dir(pos[1]), Log: stderr}
	if err := out.Write(ctx, env); err != nil {
		fmt.Fprintf(stderr, "chrootbuild pack: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s\n", pos[1])
	return exitOK
}

// compressionHelp lists each file kind's compressions, as in
// "cpio none|gzip|zstd, squashfs none|gzip|...".
func compressionHelp() string {
	var parts []string
	for _, k := range pack.FileKinds() {
		if c := pack.Compressions(k); c != nil {
			parts = append(parts, k+" "+strings.Join(c, "|"))
		}
	}
	return strings.Join(parts, ", ")
}
