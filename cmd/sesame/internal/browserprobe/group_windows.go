package browserprobe

import (
	"os"
	"syscall"
)

// ownGroup: Windows has no process groups to kill at once; chromedp ends the
// browser, and killGroup ends the main process if it is left.
func ownGroup() *syscall.SysProcAttr { return nil }

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// GroupRunning reports whether the browser's main process is still there.
func GroupRunning(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
