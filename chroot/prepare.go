package chroot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// markerPath records, for as long as the root is prepared, which files
// Prepare put in; a Prepare that finds it (a build was killed) undoes that
// first.
const markerPath = "/.chrootbuild-prepared"

// policyRC makes invoke-rc.d refuse to start or stop any service during the
// build.
const policyRC = "#!/bin/sh\n# chrootbuild: no service starts while the image is built.\nexit 101\n"

// tempFile is a file Prepare puts in place for the build. An original at
// Path is kept at Backup (a rename, so a symlink stays a symlink).
type tempFile struct {
	Path    string      `json:"path"`
	Backup  string      `json:"backup"`
	Had     bool        `json:"had"`
	Content []byte      `json:"content"`
	Mode    fs.FileMode `json:"mode"`
}

// Prepare puts the build-time files into the root (a temporary resolv.conf,
// a copy of the host's, and policy-rc.d) and returns the undo that removes
// them and restores whatever the root had, even a symlink. The undo may be
// called more than once. A marker left by an earlier build that was killed
// is undone first. Until the undo, the root is locked: a second Prepare of
// the same root (another chrootbuild) fails rather than mixing the two.
func (r *Root) Prepare() (undo func() error, err error) {
	unlock, err := r.lock()
	if err != nil {
		return nil, fmt.Errorf("preparing %s: %w", r.dir, err)
	}
	files, err := r.prepare()
	if err != nil {
		unlock()
		return nil, fmt.Errorf("preparing %s: %w", r.dir, err)
	}
	done := false
	return func() error {
		if done {
			return nil
		}
		done = true
		defer unlock()
		return r.restore(files)
	}, nil
}

// prepare records the files it will put in, then puts them in.
func (r *Root) prepare() ([]tempFile, error) {
	if err := r.recover(); err != nil {
		return nil, err
	}
	files := []tempFile{{Path: policyRCPath, Content: []byte(policyRC), Mode: 0o755}}
	if resolv, err := os.ReadFile("/etc/resolv.conf"); err == nil {
		files = append(files, tempFile{Path: resolvPath, Content: resolv, Mode: 0o644})
	}
	for i := range files {
		f := &files[i]
		f.Backup = f.Path + backupSuffix
		_, err := r.Lstat(f.Path)
		f.Had = err == nil
	}
	if err := r.writeMarker(files); err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := r.install(f); err != nil {
			return nil, errors.Join(err, r.restore(files))
		}
	}
	return files, nil
}

// install moves the original aside and writes the temporary file.
func (r *Root) install(f tempFile) error {
	if f.Had {
		if err := r.Rename(f.Path, f.Backup); err != nil {
			return err
		}
	}
	if err := r.MkdirAll(path.Dir(f.Path), 0o755); err != nil {
		return err
	}
	return r.WriteFile(f.Path, f.Content, f.Mode)
}

// restore undoes install for every file, then removes the marker. A file
// the build replaced with its own (a package took over resolv.conf) is
// kept and the original dropped.
func (r *Root) restore(files []tempFile) error {
	var errs []error
	for _, f := range files {
		cur, err := r.readRegular(f.Path)
		ours := err == nil && bytes.Equal(cur, f.Content)
		_, berr := r.Lstat(f.Backup)
		switch {
		case berr == nil && (ours || errors.Is(err, fs.ErrNotExist)):
			err = r.Rename(f.Backup, f.Path)
		case berr == nil:
			err = r.RemoveAll(f.Backup)
		case !f.Had && ours:
			if err = r.Remove(f.Path); errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
		default:
			err = nil // never moved aside, or already restored
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("restoring %s after the build: %w", r.dir, err)
	}
	return r.RemoveAll(markerPath)
}

// readRegular reads name if it is a regular file (not through a symlink).
func (r *Root) readRegular(name string) ([]byte, error) {
	fi, err := r.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	return r.ReadFile(name)
}

func (r *Root) writeMarker(files []tempFile) error {
	data, err := json.Marshal(files)
	if err != nil {
		return err
	}
	return r.WriteFile(markerPath, data, 0o600)
}

// recover undoes what a killed build's Prepare left, if anything.
func (r *Root) recover() error {
	data, err := r.ReadFile(markerPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var files []tempFile
	if err := json.Unmarshal(data, &files); err != nil {
		return fmt.Errorf("reading %s%s left by an earlier build: %w", r.dir, markerPath, err)
	}
	if err := checkMarker(files); err != nil {
		return fmt.Errorf("reading %s%s left by an earlier build: %w", r.dir, markerPath, err)
	}
	return r.restore(files)
}
