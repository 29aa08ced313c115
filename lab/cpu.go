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
// the kernel's work for their sockets, and anything else pinned there),
// the time a hypervisor took the core away (steal: the server waited
// for a CPU that no one here used), and the run time of the server's own
// processes and threads.
type cpuReading struct{ core, steal, procs time.Duration }

func (a cpuReading) sub(b cpuReading) cpuReading {
	return cpuReading{a.core - b.core, a.steal - b.steal, a.procs - b.procs}
}

// cpuMeter reads the server's CPU: core is the core it is pinned to,
// pgid its process group (the master and every worker).
type cpuMeter struct{ core, pgid int }

func (m cpuMeter) read() (cpuReading, error) {
	core, steal, err := coreBusy(m.core)
	if err != nil {
		return cpuReading{}, err
	}
	procs, err := groupRunTime(m.pgid)
	return cpuReading{core, steal, procs}, err
}

// coreBusy is core's busy time since boot from /proc/stat: user + nice +
// system + irq + softirq (not idle, iowait, steal or the guest times,
// which user and nice already hold), and its steal time (0 where the
// kernel does not count it).
func coreBusy(core int) (busy, steal time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	prefix := fmt.Sprintf("cpu%d ", core)
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 8 {
			return 0, 0, fmt.Errorf("/proc/stat: %q has %d fields, want at least 8", line, len(f))
		}
		var ticks [10]int64 // user nice system idle iowait irq softirq steal guest guest_nice
		for i := 1; i < len(f) && i <= len(ticks); i++ {
			if ticks[i-1], err = strconv.ParseInt(f[i], 10, 64); err != nil {
				return 0, 0, fmt.Errorf("/proc/stat: %q: %w", line, err)
			}
		}
		jiffies := func(n int64) time.Duration { return time.Duration(n) * time.Second / userHZ }
		return jiffies(ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]), jiffies(ticks[7]), nil
	}
	return 0, 0, fmt.Errorf("/proc/stat has no line for core %d", core)
}

// groupRunTime is the time every thread of every process in process
// group pgid has run on a CPU, from /proc/PID/task/TID/schedstat (its
// first field, in nanoseconds, counted by the scheduler exactly).
func groupRunTime(pgid int) (time.Duration, error) {
	procs, err := groupProcs(pgid)
	if err != nil {
		return 0, err
	}
	threads, err := threadRunTimes(procs)
	var total time.Duration
	for _, ran := range threads {
		total += ran
	}
	return total, err
}

// groupProcs lists the /proc directories of every process in process
// group pgid.
func groupProcs(pgid int) ([]string, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return nil, err
	}
	var procs []string
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
		procs = append(procs, filepath.Dir(st))
	}
	if len(procs) == 0 {
		return nil, fmt.Errorf("no process in group %d: the server has gone", pgid)
	}
	return procs, nil
}

// threadRunTimes is the time each thread the processes procs have now
// has run, by its schedstat file. The threads are listed afresh at each
// reading: a process may start one at any time (a Go server starts an
// OS thread when it needs one), and a list taken once misses its run
// time; a thread that has gone counts nothing.
func threadRunTimes(procs []string) (map[string]time.Duration, error) {
	threads := make(map[string]time.Duration)
	for _, proc := range procs {
		tasks, _ := filepath.Glob(filepath.Join(proc, "task", "*", "schedstat"))
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
				return threads, fmt.Errorf("%s: %w", task, err)
			}
			threads[task] = time.Duration(ns)
		}
	}
	return threads, nil
}

// ranBetween is the run time of the threads between two readings of
// threadRunTimes: a thread in after and not in before was started
// between them and ran all its time in between.
func ranBetween(before, after map[string]time.Duration) time.Duration {
	var ran time.Duration
	for task, t := range after {
		ran += t - before[task]
	}
	return ran
}
