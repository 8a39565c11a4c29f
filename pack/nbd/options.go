package nbd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// optErrors names the option error replies (NBD_REP_ERR_*).
var optErrors = map[uint32]string{
	1: "unsupported option", 2: "refused by policy", 3: "invalid request",
	4: "unsupported on this platform", 5: "TLS required", 6: "unknown export",
	7: "server shutting down", 8: "block size negotiation required", 9: "request too big",
}

// maxGoReplies bounds the replies to one NBD_OPT_GO: a server sends a
// handful of NBD_REP_INFO, not an endless stream.
const maxGoReplies = 64

// readGoReplies reads the server's replies to NBD_OPT_GO up to the ACK.
func readGoReplies(r io.Reader, export string) (*Export, error) {
	ex := &Export{Name: export}
	gotSize := false
	for n := 0; ; n++ {
		if n == maxGoReplies {
			return nil, fmt.Errorf("more than %d replies to NBD_OPT_GO", maxGoReplies)
		}
		var h struct {
			Magic        uint64
			Opt, Typ, Ln uint32
		}
		if err := binary.Read(r, binary.BigEndian, &h); err != nil {
			return nil, fmt.Errorf("reading option reply: %w", err)
		}
		if h.Magic != replyMagic || h.Ln > 1<<20 {
			return nil, errors.New("malformed option reply")
		}
		data := make([]byte, h.Ln)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("reading option reply: %w", err)
		}
		switch {
		case h.Typ == repAck:
			if !gotSize {
				return nil, errors.New("server sent no export size")
			}
			return ex, nil
		case h.Typ == repInfo:
			if parseInfo(ex, data) {
				gotSize = true
			}
		case h.Typ&(1<<31) != 0:
			msg := optErrors[h.Typ&^(1<<31)]
			if msg == "" {
				msg = fmt.Sprintf("error %#x", h.Typ)
			}
			if len(data) > 0 {
				msg += ": " + string(data)
			}
			return nil, errors.New(msg)
		}
	}
}

// parseInfo reads one NBD_REP_INFO; it reports whether it held the size.
func parseInfo(ex *Export, d []byte) bool {
	if len(d) < 2 {
		return false
	}
	switch binary.BigEndian.Uint16(d) {
	case infoExport:
		if len(d) >= 12 {
			ex.Size = binary.BigEndian.Uint64(d[2:])
			ex.Flags = binary.BigEndian.Uint16(d[10:])
			return true
		}
	case infoBlockSize:
		if len(d) >= 14 {
			ex.MaxBlock = binary.BigEndian.Uint32(d[10:])
		}
	}
	return false
}
