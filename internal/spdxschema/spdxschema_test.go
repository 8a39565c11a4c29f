package spdxschema

import (
	"strings"
	"testing"
)

// minimal is the smallest document the schema accepts, with one package.
const minimal = `{
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "image", "documentNamespace": "https://example.org/spdx/image-1",
  "creationInfo": {"created": "2023-11-14T22:13:20Z", "creators": ["Tool: chrootbuild"]},
  "packages": [{"SPDXID": "SPDXRef-Package-bash", "name": "bash", "downloadLocation": "NOASSERTION",
    "primaryPackagePurpose": "OPERATING_SYSTEM"}]
}`

// TestCheck wants the schema to accept a minimal document and to refuse
// each of the mistakes it should catch, naming where.
func TestCheck(t *testing.T) {
	if err := Check([]byte(minimal)); err != nil {
		t.Fatalf("minimal document: %v", err)
	}
	for _, c := range []struct{ from, to, where string }{
		{`"OPERATING_SYSTEM"`, `"OPERATING-SYSTEM"`, "/packages/0/primaryPackagePurpose"},
		{`"name": "bash"`, `"name": 42`, "/packages/0/name"},
		{`"downloadLocation": "NOASSERTION",`, ``, "/packages/0"},
		{`"spdxVersion": "SPDX-2.3",`, ``, "missing property"},
	} {
		err := Check([]byte(strings.Replace(minimal, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.where) {
			t.Errorf("%s → %s: %v, want an error at %s", c.from, c.to, err, c.where)
		}
	}
}
