package awstest

import "syscall"

// dieWithParent has the kernel kill a server when the test binary dies
// without calling Stop (a panic, a timeout, a kill). Strictly, the signal
// follows the OS thread that started the process; Go retires a thread only
// when a goroutine locked to it exits, which the callers here never do.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
