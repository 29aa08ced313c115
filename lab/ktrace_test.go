package lab

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestKernelTraceLineParses(t *testing.T) {
	for _, c := range []struct {
		line string
		want kevent
	}{
		{"           uwsgi-7062    [001] dN.3. 46975.770543: sched_wakeup: comm=uwsgi pid=7061 prio=120 target_cpu=001",
			kevent{t: 46975770543000, pid: 7062, kind: kWakeup, need: true, a: 7061}},
		{"           uwsgi-7061    [001] d..2. 46975.768979: sched_switch: prev_comm=uwsgi prev_pid=7061 prev_prio=120 prev_state=R ==> next_comm=uwsgi next_pid=7062 next_prio=120",
			kevent{t: 46975768979000, pid: 7061, kind: kSwitch, runnable: true, a: 7061, b: 7062}},
		{"    kworker/u8:1-24000   [001] d..2. 46976.048639: sched_switch: prev_comm=kworker/u8:1 prev_pid=24000 prev_prio=120 prev_state=I ==> next_comm=uwsgi next_pid=7061 next_prio=120",
			kevent{t: 46976048639000, pid: 24000, kind: kSwitch, a: 24000, b: 7061}},
		{"           uwsgi-7061    [001] ..... 46975.770444: sys_futex(uaddr: 0x7faeecb37810, op: 0x89, val: 0, utime: 0x7faeec1fecd0, uaddr2: 0, val3: 0xffffffff)",
			kevent{t: 46975770444000, pid: 7061, kind: kFutex, timed: true, a: 0x89}},
		{"           uwsgi-7063    [001] ..... 46975.789456: sys_futex(uaddr: 0x7faeecb37868, op: 0x189, val: 0, utime: 0, uaddr2: 0, val3: 0xffffffff)",
			kevent{t: 46975789456000, pid: 7063, kind: kFutex, a: 0x189}},
		{"           uwsgi-7060    [001] ..... 46975.789442: sys_futex -> 0xffffffffffffff92",
			kevent{t: 46975789442000, pid: 7060, kind: kFutexRet, a: -110}},
		{"           uwsgi-7062    [001] ..... 46975.771959: sys_clock_nanosleep(which_clock: 1, flags: 1, rqtp: 0x7faeeb9fdc10, rmtp: 0)",
			kevent{t: 46975771959000, pid: 7062, kind: kSleep}},
	} {
		got, ok, err := parseKernelLine(c.line)
		if err != nil || !ok || got != c.want {
			t.Errorf("%s:\n got %+v (%v, %v)\nwant %+v", c.line, got, ok, err, c.want)
		}
	}
	if _, ok, err := parseKernelLine("           uwsgi-7061    [001] d.s8. 46975.770429: softirq_raise: vec=3"); ok || err != nil {
		t.Errorf("an event the trace does not read: %v, %v; want it skipped", ok, err)
	}
	if _, _, err := parseKernelLine("garbage"); err == nil {
		t.Error("a line without a task and a cpu parsed")
	}
}

func TestKernelTraceOfThePairsCycleEnding(t *testing.T) {
	// 0.45 s of a real uWSGI server (4 threads, 10 ms of CPU and 40 ms of
	// sleep a page, 8 closed users) on core 1 as the bursts overlapping
	// in pairs give way to a pipeline: one pair at 3.66-3.89 ms, then a
	// forced hand-over in which the signalled waiter did not preempt the
	// dropper, and the pair's next bursts apart (counted from the same
	// excerpt by hand and by a script).
	f, err := os.Open("testdata/ktrace-threads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ev, err := parseKernelTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	s := summarizeKernelTrace(ev, 5e6)
	t.Log(s)
	if s.threads != 4 {
		t.Errorf("%d threads; want the worker's 4", s.threads)
	}
	var near []float64
	for _, o := range s.offsets {
		if o < 5 {
			near = append(near, o)
		}
	}
	slices.Sort(near)
	if len(near) < 8 || near[0] < 3.6 || near[len(near)-1] > 3.95 {
		t.Errorf("the pairs' offsets %v; want the cycle's 3.66-3.89 ms, several of them", near)
	}
	h := s.handovers
	if n := h[0][0] + h[0][1] + h[1][0] + h[1][1]; n < 15 {
		t.Errorf("%d forced hand-overs; want the pairs' two a cycle", n)
	}
	if h[0][1]+h[1][1] == 0 {
		t.Errorf("no hand-over in which the waiter did not preempt the dropper (%v); the excerpt has the one that ended the cycle", h)
	}
	if len(s.late) == 0 || !strings.Contains(s.String(), "µs after its interval") {
		t.Errorf("no timed wait's lateness read: %s", s)
	}
}
