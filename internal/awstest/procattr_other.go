//go:build !linux

package awstest

import "syscall"

// dieWithParent has no equivalent of Linux's parent-death signal here:
// servers outlive a test binary that dies without calling Stop.
func dieWithParent() *syscall.SysProcAttr { return nil }
