//go:build !linux

package sim

import "time"

// threadTime is the wall clock where the thread's CPU time is not read.
func threadTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
