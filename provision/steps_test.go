package provision

import (
	"testing"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhnaWKwJfrqGsQl1hjBbHHcn8mW8cx9z2jXMgcfSsC5 test@chrootbuild"

// TestStepKindsOnRoot applies the step kinds to one real root of each
// suite (bookworm, trixie: a fresh copy of the cached one) and checks the
// result with the image's own tools. Subtests share the root, so they run
// in order.
func TestStepKindsOnRoot(t *testing.T) { forEachSuite(t, testStepKinds) }

func testStepKinds(t *testing.T, env *Env) {
	t.Run("group", func(t *testing.T) { testGroupApply(t, env) })
	t.Run("user", func(t *testing.T) { testUserApply(t, env) })
	t.Run("ssh_server", func(t *testing.T) { testSSHServerApply(t, env) })
	t.Run("service", func(t *testing.T) { testServiceApply(t, env) })
	t.Run("service_vs_systemctl", func(t *testing.T) { testServiceVsSystemctl(t, env) })
	t.Run("console", func(t *testing.T) { testConsoleApply(t, env) })
	t.Run("ntp", func(t *testing.T) { testNTPApply(t, env) })
	t.Run("network", func(t *testing.T) { testNetworkApply(t, env) })
	t.Run("kernel_modules", func(t *testing.T) { testKernelModulesApply(t, env) })
	t.Run("cleanup", func(t *testing.T) { testCleanupApply(t, env) })
	t.Run("escapes", func(t *testing.T) { testEscapes(t, env) })
	t.Run("idempotent", func(t *testing.T) { testIdempotent(t, env) })
}
