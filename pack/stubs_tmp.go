package pack

import (
	"context"
	"errors"
	"io"
)

var errNotYet = errors.New("not built yet")



// Ext4Options .
type Ext4Options struct {
	Size  int64
	Label string
	Log   io.Writer
}

// WriteExt4 .
func WriteExt4(ctx context.Context, root, out string, o Ext4Options) error { return errNotYet }

// InstallOptions .
type InstallOptions struct {
	Yes bool
	Log io.Writer
}

// Install .
func Install(ctx context.Context, src, target string, o InstallOptions) error { return errNotYet }

func writeDirectory(ctx context.Context, env *Env, rel string) error { return errNotYet }
