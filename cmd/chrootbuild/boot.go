package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
)

func init() {
	register(&command{
		name:    "boot",
		usage:   "boot [--keep] [--fail-fast] [--timeout D] [--kernel K --initrd I --modules DIR] [--console FILE] OUTDIR|IMAGE",
		summary: "Boot the image in QEMU and check it boots, serves SSH with the metadata's key, meets the check list, reboots and powers off.",
		run:     runBoot,
	})
}

func runBoot(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["boot"], stderr)
	var opt boot.Options
	fs.BoolVar(&opt.Keep, "keep", false, "leave the VM running after the first boot's checks and print how to reach it")
	fs.BoolVar(&opt.FailFast, "fail-fast", false, "skip the reboot and poweroff checks once a first-boot check failed")
	fs.StringVar(&opt.Kernel, "kernel", "", "boot this kernel instead of the distribution's")
	fs.StringVar(&opt.Initrd, "initrd", "", "the initramfs of --kernel")
	fs.StringVar(&opt.Modules, "modules", "", "the /lib/modules/VERSION folder of --kernel")
	fs.StringVar(&opt.CacheDir, "cache", cachedir.Default, "package cache (the kernel is kept under it)")
	fs.StringVar(&opt.NTP, "ntp", "ntp.int.cloud.online.net", "NTP server the image must use")
	fs.DurationVar(&opt.Timeout, "timeout", 0, "how long to wait for the login prompt and SSH, each boot (default 10m; 30m for an image of another instruction set under TCG)")
	consoleFile := fs.String("console", "", "also write the serial console to this file")
	path, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	opt.Image, opt.Log = path, stdout
	if *consoleFile != "" {
		f, err := os.Create(*consoleFile)
		if err != nil {
			fmt.Fprintf(stderr, "chrootbuild boot: %v\n", err)
			return exitFail
		}
		defer f.Close()
		opt.Console = f
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := builder.BootPath(ctx, path, opt)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild boot: %v\n", err)
		return exitFail
	}
	if !r.Passed {
		return exitFail
	}
	return exitOK
}
