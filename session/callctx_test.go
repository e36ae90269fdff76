package session

import (
	"testing"
	"unsafe"
)

// TestRequestStateSize holds the per-request allocation to its size class: the
// state (state.go) holds two callCtx, and 72 bytes each keep it at or under
// 704 bytes, the size class below 768 (BenchmarkRead: 1032 B/op, from 1096).
func TestRequestStateSize(t *testing.T) {
	if got := unsafe.Sizeof(callCtx{}); got > 72 {
		t.Errorf("callCtx is %d bytes, want at most 72", got)
	}
	if got := unsafe.Sizeof(state{}); got > 704 {
		t.Errorf("the request state is %d bytes, want at most 704 (the 704-byte size class; above it every request allocates 768)", got)
	}
}
