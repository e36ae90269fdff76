//go:build unix && !linux

package browserprobe

import "syscall"

// ownGroup puts Chromium in a process group of its own.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// GroupRunning reports whether a process of group pgid is still there.
func GroupRunning(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }
