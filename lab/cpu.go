package lab

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of /proc/stat's counters: USER_HZ, 100 on every
// architecture Debian builds Linux for (getconf CLK_TCK).
const userHZ = 100

// cpuReading is the CPU the server has used so far: its core's busy time
// (everything the core ran that was not idle: the server's processes,
// the kernel's work for their sockets, and anything else pinned there)
// and the run time of the server's own processes and threads.
type cpuReading struct{ core, procs time.Duration }

func (a cpuReading) sub(b cpuReading) cpuReading {
	return cpuReading{a.core - b.core, a.procs - b.procs}
}

// cpuMeter reads the server's CPU: core is the core it is pinned to,
// pgid its process group (the master and every worker).
type cpuMeter struct{ core, pgid int }

func (m cpuMeter) read() (cpuReading, error) {
	core, err := coreBusy(m.core)
	if err != nil {
		return cpuReading{}, err
	}
	procs, err := groupRunTime(m.pgid)
	return cpuReading{core, procs}, err
}

// coreBusy is core's busy time since boot from /proc/stat: user + nice +
// system + irq + softirq (not idle, iowait, steal or the guest times,
// which user and nice already hold).
func coreBusy(core int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	prefix := fmt.Sprintf("cpu%d ", core)
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 8 {
			return 0, fmt.Errorf("/proc/stat: %q has %d fields, want at least 8", line, len(f))
		}
		var busy int64
		for _, i := range []int{1, 2, 3, 6, 7} { // user nice system (idle iowait) irq softirq
			v, err := strconv.ParseInt(f[i], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/stat: %q: %w", line, err)
			}
			busy += v
		}
		return time.Duration(busy) * time.Second / userHZ, nil
	}
	return 0, fmt.Errorf("/proc/stat has no line for core %d", core)
}

// groupRunTime is the time every thread of every process in process
// group pgid has run on a CPU, from /proc/PID/task/TID/schedstat (its
// first field, in nanoseconds, counted by the scheduler exactly).
func groupRunTime(pgid int) (time.Duration, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, err
	}
	var total time.Duration
	found := false
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue // the process has gone
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces and ')'
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 3 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		found = true
		tasks, _ := filepath.Glob(filepath.Join(filepath.Dir(st), "task", "*", "schedstat"))
		for _, task := range tasks {
			b, err := os.ReadFile(task)
			if err != nil {
				continue
			}
			f := strings.Fields(string(b))
			if len(f) == 0 {
				continue
			}
			ns, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", task, err)
			}
			total += time.Duration(ns)
		}
	}
	if !found {
		return 0, fmt.Errorf("no process in group %d: the server has gone", pgid)
	}
	return total, nil
}
