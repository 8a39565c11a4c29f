package pack

import (
	"context"
	"errors"
	"io"
)

var errNotYet = errors.New("not built yet")




// InstallOptions .
type InstallOptions struct {
	Yes bool
	Log io.Writer
}

// Install .
func Install(ctx context.Context, src, target string, o InstallOptions) error { return errNotYet }

func writeDirectory(ctx context.Context, env *Env, rel string) error { return errNotYet }
