package session

import (
	"testing"
	"unsafe"
)

// TestRequestStateSize holds the per-request allocation to its size class: the
// state (state.go) holds two callCtx and the request copy the handler sees, and
// 72 bytes per callCtx keep it at or under 1024 bytes, one size class (the
// request copy inside it saves the separate allocation r.WithContext made).
func TestRequestStateSize(t *testing.T) {
	if got := unsafe.Sizeof(callCtx{}); got > 72 {
		t.Errorf("callCtx is %d bytes, want at most 72", got)
	}
	if got := unsafe.Sizeof(state{}); got > 1024 {
		t.Errorf("the request state is %d bytes, want at most 1024 (the 1024-byte size class; above it every request allocates 1152)", got)
	}
}
