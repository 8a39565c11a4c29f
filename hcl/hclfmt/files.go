package hclfmt

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Ext is the extension of the files a folder is searched for.
const Ext = ".hcl"

// Files lists the definition files that paths name: a file as given
// (whatever its name), a folder's *.hcl files, and with recursive those
// of its subfolders too, hidden ones (.git) excepted. The order is that of
// paths, each folder's files sorted; a file named twice is listed once.
func Files(paths []string, recursive bool) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			files = append(files, name)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		if !fi.IsDir() {
			add(p)
			continue
		}
		found, err := folderFiles(p, recursive)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			add(f)
		}
	}
	return files, nil
}

// folderFiles lists the *.hcl files of dir, sorted, and with recursive
// those below it.
func folderFiles(dir string, recursive bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		if d.IsDir() {
			if p != dir && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), Ext) && d.Type().IsRegular() || isLinkToFile(p, d) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// isLinkToFile reports a symbolic link named *.hcl to a regular file.
func isLinkToFile(p string, d fs.DirEntry) bool {
	if d.Type()&fs.ModeSymlink == 0 || !strings.HasSuffix(d.Name(), Ext) {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
