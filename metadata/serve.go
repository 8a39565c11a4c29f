package metadata

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// DefaultURL is where the servers' images find the service.
const DefaultURL = "http://169.254.42.42/conf"

// Handler serves m at /conf as text, or as JSON when the query holds
// format=json. Any other path is not found, any other method not allowed.
// m is read on every request, so the caller may change it between
// requests but not during one.
func Handler(m *Metadata) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/conf", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var body []byte
		var err error
		ctype := "text/plain; charset=utf-8"
		if r.URL.Query().Get("format") == "json" {
			body, err = m.JSON()
			ctype = "application/json"
		} else {
			var s string
			s, err = m.Text()
			body = []byte(s)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	})
	return mux
}

// Fingerprint returns the SHA256 fingerprint of a public key written as in
// authorized_keys ("ssh-ed25519 AAAA... comment"), as ssh-keygen -l prints
// it: "SHA256:" and the unpadded base64 digest of the key blob.
func Fingerprint(authorizedKey string) (string, error) {
	f := strings.Fields(authorizedKey)
	if len(f) < 2 {
		return "", fmt.Errorf("fingerprinting key %.20q: want TYPE BASE64 [COMMENT]", authorizedKey)
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil {
		return "", fmt.Errorf("fingerprinting key %.20q: %w", authorizedKey, err)
	}
	sum := sha256.Sum256(blob)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:]), nil
}
