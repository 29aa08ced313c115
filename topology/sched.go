package topology

import (
	"math/bits"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Scheduler is how the operating system shares a server's cores among
// the threads that want to run.
type Scheduler int

const (
	// Linux time-slices the cores as Linux's fair scheduler (EEVDF since
	// 6.6, CFS before) does: a thread runs at most a slice while others
	// wait, then goes to the back of the run queue.
	Linux Scheduler = iota
	// RunToCompletion runs every CPU burst to its end before the next
	// waiting thread gets the core: first come, first served, as the
	// textbook queue (M/G/1 FCFS) has it.
	RunToCompletion
)

// String returns the scheduler's name in a file.
func (s Scheduler) String() string {
	switch s {
	case Linux:
		return "linux"
	case RunToCompletion:
		return "run_to_completion"
	}
	return "unknown"
}

var (
	schedulers     = []Scheduler{Linux, RunToCompletion}
	schedulerNames = names(schedulers)
)

// CPUSched is how a server's operating system schedules its cores.
type CPUSched struct {
	Scheduler Scheduler
	// Slice is the base slice a thread runs before a waiting one may take
	// its core; 0 (written auto) is Linux's default for the server's
	// cores: sysctl_sched_base_slice, 0.70 ms × (1 + log2(min(cores, 8))).
	Slice time.Duration
	// Tick is the scheduler tick: without high-resolution ticks Linux
	// preempts a thread at the first tick after its slice is used up.
	// 4ms is CONFIG_HZ=250, Debian's kernel; 0 preempts at the slice's
	// exact end (HRTICK).
	Tick time.Duration
	// SwitchCost is the CPU time a core loses each time it starts running
	// a thread other than the one it ran last (saving and restoring state,
	// and warming the caches again).
	SwitchCost time.Duration
}

// DefaultCPUSched is Linux's scheduler with its defaults.
func DefaultCPUSched() CPUSched {
	return CPUSched{Scheduler: Linux, Tick: 4 * time.Millisecond, SwitchCost: 50 * time.Microsecond}
}

// baseSlice is EEVDF's normalized sysctl_sched_base_slice (Linux 6.15 on;
// 0.75 ms from 6.6 to 6.14, when it was CFS's sched_min_granularity).
const baseSlice = 700 * time.Microsecond

// LinuxSlice is Linux's default base slice on a machine of cores CPUs:
// the normalized slice times 1 + ilog2(min(cores, 8)) (the default
// SCHED_TUNABLESCALING_LOG).
func LinuxSlice(cores int) time.Duration {
	c := min(max(cores, 1), 8)
	return baseSlice * time.Duration(1+bits.Len(uint(c))-1)
}

// SliceFor is the base slice in force on a server of cores CPUs.
func (c CPUSched) SliceFor(cores int) time.Duration {
	if c.Slice > 0 {
		return c.Slice
	}
	return LinuxSlice(cores)
}

// cpuSched reads a section's scheduler keys.
func (p *parser) cpuSched(s section, c *CPUSched) {
	if i := s.enum("scheduler", "scheduler", schedulerNames); i >= 0 {
		c.Scheduler = schedulers[i]
	}
	if v, ok := s.scalar("slice", "a duration like 3ms, or auto"); ok {
		if v.Value == "auto" {
			c.Slice = 0
		} else {
			s.duration("slice", &c.Slice)
		}
	}
	s.duration("tick", &c.Tick)
	s.duration("switch_cost", &c.SwitchCost)
}

// cpuSched writes a section's scheduler keys as key, value pairs.
func (m *marshaler) cpuSched(c CPUSched) []*yaml.Node {
	if c.Scheduler < Linux || c.Scheduler > RunToCompletion {
		m.fail("unknown scheduler %d", int(c.Scheduler))
	}
	slice := yamlScalar("auto", "!!str")
	if c.Slice > 0 {
		slice = yamlDuration(c.Slice)
	}
	return []*yaml.Node{
		yamlScalar("scheduler", "!!str"), yamlScalar(c.Scheduler.String(), "!!str"),
		yamlScalar("slice", "!!str"), slice,
		yamlScalar("tick", "!!str"), yamlDuration(c.Tick),
		yamlScalar("switch_cost", "!!str"), yamlDuration(c.SwitchCost),
	}
}

// minSlice keeps a busy core's slices to at most one event per 10µs.
const minSlice = 10 * time.Microsecond

func (v *validator) cpuSched(section string, c CPUSched) {
	switch c.Scheduler {
	case Linux, RunToCompletion:
	default:
		v.add(section+".scheduler", "allowed: "+strings.Join(schedulerNames, ", "), "unknown scheduler %d", int(c.Scheduler))
	}
	if c.Slice != 0 && c.Slice < minSlice {
		v.add(section+".slice", "write auto for Linux's default", "must be at least %s, got %s", FormatDuration(minSlice), FormatDuration(c.Slice))
	}
	if c.Tick != 0 && c.Tick < minSlice {
		v.add(section+".tick", "4ms is CONFIG_HZ=250, 1ms is CONFIG_HZ=1000; 0 preempts at the slice's end", "must be 0 or at least %s, got %s", FormatDuration(minSlice), FormatDuration(c.Tick))
	}
	v.nonNegative(section+".switch_cost", c.SwitchCost)
}
