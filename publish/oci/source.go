package oci

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path"
	"slices"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/pack"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// shells are the binaries whose ELF header tells the architecture of a tar
// when dpkg says nothing, first found wins.
var shells = []string{"bin/sh", "usr/bin/sh", "bin/dash", "usr/bin/dash", "bin/bash", "usr/bin/bash", "bin/busybox", "usr/bin/busybox"}

// DetectPlatform returns the OS and architecture of an image root folder or
// a tar of one.
func DetectPlatform(source string) (v1.Platform, error) {
	st, err := os.Stat(source)
	if err != nil {
		return v1.Platform{}, err
	}
	var facts rootFacts
	if st.IsDir() {
		facts, err = dirFacts(source)
	} else {
		facts, err = tarFacts(source)
	}
	if err != nil {
		return v1.Platform{}, err
	}
	p, err := facts.platform()
	if err != nil {
		return v1.Platform{}, fmt.Errorf("telling the architecture of %s: %w", source, err)
	}
	return p, nil
}

// dirFacts reads the architecture facts of a root folder; every path
// (dpkg's files, /bin/sh) is resolved inside the root, never on the host.
func dirFacts(dir string) (rootFacts, error) {
	var f rootFacts
	root, err := chroot.Open(dir)
	if err != nil {
		return f, err
	}
	f.status, _ = root.ReadFile("/var/lib/dpkg/status")
	f.arch, _ = root.ReadFile("/var/lib/dpkg/arch")
	for _, sh := range shells {
		if file, err := root.OpenFile(sh, os.O_RDONLY, 0); err == nil {
			f.elf = readHead(file)
			file.Close()
			break
		}
	}
	return f, nil
}

// tarFacts reads the architecture facts of a tar in one pass.
func tarFacts(name string) (rootFacts, error) {
	var f rootFacts
	file, err := os.Open(name)
	if err != nil {
		return f, err
	}
	defer file.Close()
	r, err := pack.Decompress(file)
	if err != nil {
		return f, fmt.Errorf("reading %s: %w", name, err)
	}
	defer r.Close()
	heads := map[string][]byte{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, fmt.Errorf("reading tar %s: %w", name, err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		switch p := path.Clean("/" + hdr.Name)[1:]; p {
		case "var/lib/dpkg/status":
			f.status, err = io.ReadAll(tr)
		case "var/lib/dpkg/arch":
			f.arch, err = io.ReadAll(tr)
		default:
			if slices.Contains(shells, p) {
				heads[p] = readHead(tr)
			}
		}
		if err != nil {
			return f, fmt.Errorf("reading tar %s: %w", name, err)
		}
	}
	for _, sh := range shells {
		if h, ok := heads[sh]; ok {
			f.elf = h
			break
		}
	}
	return f, nil
}
