// Package metadata serves the platform's instance metadata the way the
// original servers' images read it: GET /conf returns shell-style KEY=value
// lines, and GET /conf?format=json the same facts as JSON. The image's
// helpers (oc-metadata, oc-fetch-ssh-keys, oc-add-extra-volumes, the DHCP
// hostname hook) are tested against it, and `chrootbuild boot` serves it
// to the guest.
package metadata

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Metadata is what the service knows about one server.
type Metadata struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Hostname      string            `json:"hostname"`
	Organization  string            `json:"organization"`
	PrivateIP     string            `json:"private_ip"`
	PublicIP      PublicIP          `json:"public_ip"`
	SSHPublicKeys []SSHKey          `json:"ssh_public_keys"`
	Tags          []string          `json:"tags"`
	Volumes       map[string]Volume `json:"volumes"`
}

// PublicIP is the server's public address.
type PublicIP struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	Dynamic bool   `json:"dynamic"`
}

// SSHKey is one public key of the server's organization.
type SSHKey struct {
	Key         string `json:"key"`
	Fingerprint string `json:"fingerprint"`
}

// Volume is one attached volume; volume "0" is the root.
type Volume struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ExportURI  string `json:"export_uri"`
	VolumeType string `json:"volume_type"`
	Size       int64  `json:"size"`
}

// Text renders the metadata as the `conf` endpoint does: one KEY=value line
// per fact, values quoted for a POSIX shell when they need it. A value
// holding a newline is an error, since clients read the text line by line.
func (m *Metadata) Text() (string, error) {
	var b strings.Builder
	for _, kv := range m.pairs() {
		if strings.ContainsAny(kv[1], "\n\r") {
			return "", fmt.Errorf("rendering metadata key %s: value holds a newline", kv[0])
		}
		b.WriteString(kv[0] + "=" + Quote(kv[1]) + "\n")
	}
	return b.String(), nil
}

func (m *Metadata) pairs() [][2]string {
	p := [][2]string{
		{"ID", m.ID}, {"NAME", m.Name}, {"HOSTNAME", m.Hostname},
		{"ORGANIZATION", m.Organization}, {"PRIVATE_IP", m.PrivateIP},
		{"PUBLIC_IP_ID", m.PublicIP.ID}, {"PUBLIC_IP_ADDRESS", m.PublicIP.Address},
		{"PUBLIC_IP_DYNAMIC", pyBool(m.PublicIP.Dynamic)},
		{"SSH_PUBLIC_KEYS", strconv.Itoa(len(m.SSHPublicKeys))},
	}
	for i, k := range m.SSHPublicKeys {
		n := "SSH_PUBLIC_KEYS_" + strconv.Itoa(i)
		p = append(p, [2]string{n + "_KEY", k.Key}, [2]string{n + "_FINGERPRINT", k.Fingerprint})
	}
	p = append(p, [2]string{"TAGS", strconv.Itoa(len(m.Tags))})
	for i, t := range m.Tags {
		p = append(p, [2]string{"TAGS_" + strconv.Itoa(i), t})
	}
	ids := m.volumeIDs()
	p = append(p, [2]string{"VOLUMES", strings.Join(ids, " ")})
	for _, id := range ids {
		v, n := m.Volumes[id], "VOLUMES_"+id
		p = append(p, [2]string{n + "_ID", v.ID}, [2]string{n + "_NAME", v.Name},
			[2]string{n + "_EXPORT_URI", v.ExportURI}, [2]string{n + "_VOLUME_TYPE", v.VolumeType},
			[2]string{n + "_SIZE", strconv.FormatInt(v.Size, 10)})
	}
	return p
}

// pyBool writes a boolean as the original service did (it was Python).
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// volumeIDs returns the volume keys in numeric order ("0", "1", ..., "10").
func (m *Metadata) volumeIDs() []string {
	ids := make([]string, 0, len(m.Volumes))
	for id := range m.Volumes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, errA := strconv.Atoi(ids[i])
		b, errB := strconv.Atoi(ids[j])
		if errA != nil || errB != nil {
			return ids[i] < ids[j]
		}
		return a < b
	})
	return ids
}

var plain = regexp.MustCompile(`^[A-Za-z0-9_./:@%+,=-]*$`)

// Quote returns s as one POSIX shell word: unchanged when it holds only
// safe characters, otherwise in single quotes with each ' written '\”.
func Quote(s string) string {
	if plain.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// JSON renders the metadata as the `conf?format=json` endpoint does.
func (m *Metadata) JSON() ([]byte, error) {
	c := *m
	if c.SSHPublicKeys == nil {
		c.SSHPublicKeys = []SSHKey{}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if c.Volumes == nil {
		c.Volumes = map[string]Volume{}
	}
	return json.MarshalIndent(&c, "", "  ")
}
