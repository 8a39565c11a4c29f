package nbd

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"
)

// goReply is one option reply as a server sends it.
func goReply(typ uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint64(nil, replyMagic)
	b = binary.BigEndian.AppendUint32(b, optGo)
	b = binary.BigEndian.AppendUint32(b, typ)
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...)
}

// FuzzGoReplies: whatever a server answers to NBD_OPT_GO, the client
// never panics, and accepts only an answer that gave the export's size.
func FuzzGoReplies(f *testing.F) {
	info := binary.BigEndian.AppendUint16(nil, infoExport)
	info = binary.BigEndian.AppendUint64(info, 1<<20)
	info = binary.BigEndian.AppendUint16(info, FlagSendFlush)
	block := binary.BigEndian.AppendUint16(nil, infoBlockSize)
	block = append(block, make([]byte, 12)...)
	f.Add(append(append(goReply(repInfo, info), goReply(repInfo, block)...), goReply(repAck, nil)...))
	f.Add(goReply(repAck, nil))
	f.Add(goReply(1<<31|6, []byte("no such export")))
	f.Add(append(goReply(repInfo, info[:5]), goReply(repAck, nil)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := readGoReplies(bytes.NewReader(data), "e")
		if err == nil && (ex == nil || ex.Name != "e") {
			t.Fatalf("accepted %+v", ex)
		}
	})
}

// simpleReply is a transmission reply to the request cookie.
func simpleReply(errno uint32, cookie uint64) []byte {
	b := binary.BigEndian.AppendUint32(nil, simpleMagic)
	b = binary.BigEndian.AppendUint32(b, errno)
	return binary.BigEndian.AppendUint64(b, cookie)
}

// FuzzReplies: whatever a server sends during transmission, the reply
// reader never panics and, once the connection ends, every request that
// was waiting has an answer: none is left hanging.
func FuzzReplies(f *testing.F) {
	f.Add(append(simpleReply(0, 1), simpleReply(5, 2)...))
	f.Add(simpleReply(0, 99))
	f.Add([]byte("garbage that is not a reply"))
	f.Add(append(simpleReply(0, 3), simpleReply(0, 3)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		client, server := net.Pipe()
		c := &Client{conn: client, timeout: time.Second, pending: map[uint64]chan error{}, done: make(chan struct{})}
		var waiting []chan error
		for cookie := uint64(1); cookie <= 3; cookie++ {
			ch := make(chan error, 1)
			c.pending[cookie] = ch
			waiting = append(waiting, ch)
		}
		go func() {
			server.Write(data)
			server.Close()
		}()
		c.readReplies()
		client.Close() // the writer may still wait for a reader
		for i, ch := range waiting {
			select {
			case <-ch:
			default:
				t.Fatalf("request %d has no answer after the connection ended", i+1)
			}
		}
	})
}
