//go:build unix

package browserprobe

import (
	"errors"
	"syscall"
	"time"
)

// killGroup sends SIGKILL to the process group until (at most five seconds) no
// running process of it is left. Chromium's helpers are reaped by init, not by
// us, so their end is polled.
func killGroup(pgid int) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Kill(-pgid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) || !GroupRunning(pgid) || time.Now().After(deadline) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
