package provision

import (
	"context"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// BenchmarkLocaleStep compares the locale step (localedef for each wanted
// locale) with its peer, the image's own locale-gen after the same locales
// are enabled in /etc/locale.gen, on one copy of the test root:
//
//	go test ./provision -run '^$' -bench LocaleStep -benchtime 3x
func BenchmarkLocaleStep(b *testing.B) {
	r, err := chroot.Open(testroot.Get(b))
	if err != nil {
		b.Fatal(err)
	}
	env := &Env{Root: r, Dir: b.TempDir()}
	step := &Locale{Default: "en_US.UTF-8", Generate: []string{"en_US.UTF-8", "fr_FR.UTF-8"}}
	ctx := context.Background()
	b.Run("step", func(b *testing.B) {
		for b.Loop() {
			if err := step.Apply(ctx, env); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("locale-gen", func(b *testing.B) {
		for b.Loop() {
			if err := recordLocales(r, []string{"en_US.UTF-8 UTF-8", "fr_FR.UTF-8 UTF-8"}); err != nil {
				b.Fatal(err)
			}
			if _, err := r.Output(ctx, "locale-gen"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
