package lab

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A kernel trace of the server's core (LAB_KTRACE=1, as root): an ftrace
// instance that records, on core LAB_CORE only, the scheduler's switches
// and wake-ups and the system calls a threads worker's GIL and its page's
// sleep make (futex, clock_nanosleep), while one run lasts. From it the
// lab reads what the GIL's hand-overs and the kernel did: each thread's
// bursts between two sleeps, how far apart the bursts of a pair begin,
// and whether the waiter a forced hand-over signals preempts the thread
// that drops the GIL for it (which decides whether the dropper asks for
// the GIL back a slice late, or at once: see the README's closed
// threads). The page's own trace (LAB_TRACE) writes a line per page and
// so lets go of the GIL once more; this one costs the threads nothing of
// the sort, only the kernel's few hundred nanoseconds an event.

// tracefs is where the kernel's tracing file system is mounted.
const tracefs = "/sys/kernel/tracing"

// kernelEvents are the events the trace records.
var kernelEvents = []string{
	"sched/sched_switch", "sched/sched_wakeup",
	"syscalls/sys_enter_futex", "syscalls/sys_exit_futex",
	"syscalls/sys_enter_clock_nanosleep", "syscalls/sys_exit_clock_nanosleep",
}

// kernelTrace is a running ftrace instance.
type kernelTrace struct{ dir string }

// startKernelTrace starts recording core's events in an instance of its
// own (other instances, and the top-level buffer, are left alone).
func startKernelTrace(core int) (*kernelTrace, error) {
	dir := filepath.Join(tracefs, "instances", fmt.Sprintf("scalesim-lab-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return nil, fmt.Errorf("LAB_KTRACE needs root and tracefs at %s: %w", tracefs, err)
	}
	k := &kernelTrace{dir: dir}
	set := [][2]string{
		{"tracing_on", "0"},
		{"tracing_cpumask", strconv.FormatUint(1<<uint(core), 16)},
		{"buffer_size_kb", "65536"},
		{"trace_clock", "mono"},
		{"trace", ""},
	}
	for _, e := range kernelEvents {
		set = append(set, [2]string{"events/" + e + "/enable", "1"})
	}
	set = append(set, [2]string{"tracing_on", "1"})
	for _, kv := range set {
		if err := os.WriteFile(filepath.Join(dir, kv[0]), []byte(kv[1]+"\n"), 0o644); err != nil {
			k.remove()
			return nil, fmt.Errorf("LAB_KTRACE: %w", err)
		}
	}
	return k, nil
}

// stop ends the recording and returns what it holds.
func (k *kernelTrace) stop() ([]byte, error) {
	defer k.remove()
	if err := os.WriteFile(filepath.Join(k.dir, "tracing_on"), []byte("0\n"), 0o644); err != nil {
		return nil, fmt.Errorf("LAB_KTRACE: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(k.dir, "trace"))
	if err != nil {
		return nil, fmt.Errorf("LAB_KTRACE: %w", err)
	}
	return b, nil
}

// remove turns the instance's events off and deletes it.
func (k *kernelTrace) remove() {
	for _, e := range kernelEvents {
		os.WriteFile(filepath.Join(k.dir, "events", e, "enable"), []byte("0\n"), 0o644)
	}
	os.Remove(k.dir)
}

// The kinds of kernel event the trace reads.
const (
	kSwitch   = iota + 1 // a: the task switched out, b: in; runnable: a stays runnable
	kWakeup              // a: the task woken; need: it is to preempt the one running
	kFutex               // a: the operation; timed: with a timeout
	kFutexRet            // a: the return value
	kSleep               // clock_nanosleep entered
	kSleepRet            // clock_nanosleep returned
)

// kevent is one line of the trace.
type kevent struct {
	t        int64 // ns, the trace's clock
	pid      int   // the task that was running
	kind     uint8
	need     bool
	runnable bool
	timed    bool
	a, b     int64
}

// parseKernelTrace reads the events of an ftrace text trace that it
// knows, and skips comment lines and other events.
func parseKernelTrace(r io.Reader) ([]kevent, error) {
	var out []kevent
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		e, ok, err := parseKernelLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// parseKernelLine reads one event line:
//
//	uwsgi-7062    [001] dN.3. 46975.770543: sched_wakeup: comm=uwsgi pid=7061 prio=120 target_cpu=001
func parseKernelLine(line string) (kevent, bool, error) {
	var e kevent
	lb := strings.Index(line, " [")
	rb := strings.Index(line, "] ")
	if lb < 0 || rb < lb {
		return e, false, fmt.Errorf("no [cpu] in %q", line)
	}
	task := strings.TrimSpace(line[:lb])
	dash := strings.LastIndexByte(task, '-')
	pid, err := strconv.Atoi(task[dash+1:])
	if dash < 0 || err != nil {
		return e, false, fmt.Errorf("no task-pid in %q", line)
	}
	e.pid = pid
	f := strings.Fields(line[rb+2:])
	if len(f) < 3 || !strings.HasSuffix(f[1], ":") {
		return e, false, fmt.Errorf("no flags and time in %q", line)
	}
	e.need = strings.ContainsRune(f[0], 'N')
	sec, frac, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), ".")
	s, err1 := strconv.ParseInt(sec, 10, 64)
	us, err2 := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	if err1 != nil || err2 != nil {
		return e, false, fmt.Errorf("bad time %q", f[1])
	}
	e.t = s*1e9 + us*1e3
	body := strings.Join(f[2:], " ")
	field := func(key string) int64 {
		i := strings.Index(body, key)
		if i < 0 {
			return -1
		}
		v := body[i+len(key):]
		if j := strings.IndexAny(v, " ,)"); j >= 0 {
			v = v[:j]
		}
		n, err := strconv.ParseInt(v, 0, 64)
		if err != nil {
			return -1
		}
		return n
	}
	switch {
	case strings.HasPrefix(body, "sched_switch:"):
		e.kind, e.a, e.b = kSwitch, field("prev_pid="), field("next_pid=")
		e.runnable = strings.Contains(body, "prev_state=R ") || strings.Contains(body, "prev_state=R+")
	case strings.HasPrefix(body, "sched_wakeup:"):
		e.kind, e.a = kWakeup, field(" pid=")
	case strings.HasPrefix(body, "sys_futex("):
		e.kind, e.a = kFutex, field("op: ")
		e.timed = field("utime: ") > 0
	case strings.HasPrefix(body, "sys_futex -> "):
		v, err := strconv.ParseUint(strings.TrimPrefix(body, "sys_futex -> "), 0, 64)
		if err != nil {
			return e, false, fmt.Errorf("bad return in %q", line)
		}
		e.kind, e.a = kFutexRet, int64(v)
	case strings.HasPrefix(body, "sys_clock_nanosleep("):
		e.kind = kSleep
	case strings.HasPrefix(body, "sys_clock_nanosleep -> "):
		e.kind = kSleepRet
	default:
		return e, false, nil
	}
	return e, true, nil
}

// The futex operations the GIL's condition variables and mutexes use
// (the operation less FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME).
const (
	futexWake       = 1
	futexWaitBitset = 9
	futexOpMask     = 0x7f
	errTimedOut     = -110
)

// kernelSummary is what a kernel trace of a threads worker's run says.
type kernelSummary struct {
	threads, bursts int
	// offsets: for each burst begun in the first half of exactly one
	// other thread's, how long after that one it began (ms): two bursts
	// that overlap, as a pair does (a pipeline's next burst may begin
	// as the last one's thread, preempted, has yet to reach its sleep)
	offsets []float64
	// windows: the trace's whole seconds; paired: those in which at
	// least a quarter of the bursts began in the first half of another's
	// (in pairs every other burst does, in a pipeline none)
	windows, paired int
	// handovers counts the forced hand-overs of the GIL by whether the
	// waiter asked for it on returning from its sleep (0) or later (1),
	// and whether the waiter, signalled by the dropper, preempted it (0)
	// or not (1)
	handovers [2][2]int
	// late: how long after its interval each timed wait for the GIL that
	// ran out woke (µs)
	late []float64
}

// summarizeKernelTrace reads a threads worker's run from its events: its
// threads are the tasks that sleep (the page's io); interval is the
// GIL's switch interval in ns.
func summarizeKernelTrace(ev []kevent, interval int64) kernelSummary {
	var s kernelSummary
	type thread struct {
		woke       int64 // its last sleep's end; -1 before one
		waits      int   // timed waits begun since then
		timedFrom  int64 // its last timed wait's start
		wakeAt     int64 // its last wake-up since then
		returning  bool  // its last timed wait began as its sleep ended: its page waits to return
		timedOut   bool  // its last wait ran out, and it has not yet waited again
		askedFirst bool  // that wait was the one its returning page began
		asked      bool  // it waits again after one ran out: a drop request
	}
	th := map[int]*thread{}
	for _, e := range ev {
		if e.kind == kSleep && th[e.pid] == nil {
			th[e.pid] = &thread{woke: -1}
		}
	}
	s.threads = len(th)
	type burst struct {
		from, to int64
		pid      int
	}
	var bursts []burst
	for i, e := range ev {
		w := th[e.pid]
		switch {
		case e.kind == kSleepRet && w != nil:
			w.woke, w.waits = e.t, 0
		case e.kind == kSleep && w != nil:
			if w.woke >= 0 {
				bursts = append(bursts, burst{w.woke, e.t, e.pid})
			}
		case e.kind == kFutex && w != nil && e.a&futexOpMask == futexWaitBitset && e.timed:
			w.waits++
			w.timedFrom, w.wakeAt = e.t, -1
			if w.timedOut {
				w.asked, w.timedOut = true, false
			} else {
				w.returning = w.waits == 1 && w.woke >= 0 && e.t-w.woke < 1e6
			}
		case e.kind == kFutexRet && w != nil && e.a == errTimedOut:
			w.timedOut, w.askedFirst = true, w.returning && w.waits == 1
			if w.wakeAt > 0 {
				s.late = append(s.late, float64(w.wakeAt-w.timedFrom-interval)/1e3)
			}
		case e.kind == kWakeup:
			v := th[int(e.a)]
			if v == nil {
				break
			}
			if v.wakeAt < 0 {
				v.wakeAt = e.t
			}
			// the dropper's signal: a futex wake by another thread, just
			// before, of a waiter that has asked for the GIL
			if v.asked && w != nil && e.pid != int(e.a) && i > 0 && ev[i-1].pid == e.pid &&
				ev[i-1].kind == kFutex && ev[i-1].a&futexOpMask == futexWake {
				role, pre := 1, 1
				if v.askedFirst {
					role = 0
				}
				if e.need {
					pre = 0
				}
				s.handovers[role][pre]++
				v.asked = false
			}
		}
	}
	s.bursts = len(bursts)
	slices.SortStableFunc(bursts, func(a, b burst) int { return int(a.from - b.from) })
	if len(bursts) == 0 {
		return s
	}
	besideBy := map[int64][2]int{} // second: bursts begun beside another, all
	for i, b := range bursts {
		n, first := 0, burst{}
		for _, o := range bursts[max(0, i-8):i] {
			if o.pid != b.pid && 2*(b.from-o.from) < o.to-o.from {
				n, first = n+1, o
			}
		}
		if n == 1 {
			s.offsets = append(s.offsets, float64(b.from-first.from)/1e6)
		}
		sec := (b.from - bursts[0].from) / 1e9
		c := besideBy[sec]
		if n > 0 {
			c[0]++
		}
		c[1]++
		besideBy[sec] = c
	}
	for _, c := range besideBy {
		s.windows++
		if 4*c[0] >= c[1] {
			s.paired++
		}
	}
	return s
}

// String says it in a line of the lab's log.
func (s kernelSummary) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d threads, %d bursts between sleeps; %d of %d seconds in pairs (a quarter of the bursts or more begun in the first half of another's)",
		s.threads, s.bursts, s.paired, s.windows)
	if len(s.offsets) > 0 {
		o := slices.Sorted(slices.Values(s.offsets))
		fmt.Fprintf(&b, "; such a burst began %.2f ms after the other (median of %d; 5-95%%: %.2f-%.2f)",
			o[len(o)/2], len(o), o[len(o)/20], o[len(o)*19/20])
	}
	h := s.handovers
	fmt.Fprintf(&b, "; forced GIL hand-overs: the signalled waiter preempted the dropper in %d of %d that return a page, %d of %d others",
		h[0][0], h[0][0]+h[0][1], h[1][0], h[1][0]+h[1][1])
	if len(s.late) > 0 {
		l := slices.Sorted(slices.Values(s.late))
		fmt.Fprintf(&b, "; a timed wait that ran out woke %.0f µs after its interval (median; 5-95%%: %.0f-%.0f)",
			l[len(l)/2], l[len(l)/20], l[len(l)*19/20])
	}
	return b.String()
}

// switchInterval is the GIL's switch interval the case's server runs with
// (ns): LAB_SWITCH_INTERVAL in its environment, else CPython's 5 ms.
func (c labCase) switchInterval() int64 {
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "LAB_SWITCH_INTERVAL="); ok {
			if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
				return int64(s * 1e9)
			}
		}
	}
	return 5e6
}

// kernelTraceFor starts a kernel trace of core for a run when LAB_KTRACE
// asks for one (nil when it does not).
func kernelTraceFor(core int) (*kernelTrace, error) {
	if os.Getenv("LAB_KTRACE") == "" {
		return nil, nil
	}
	return startKernelTrace(core)
}

// summary stops the trace and reads it; nil for no trace.
func (k *kernelTrace) summary(interval int64) (*kernelSummary, error) {
	if k == nil {
		return nil, nil
	}
	b, err := k.stop()
	if err != nil {
		return nil, err
	}
	ev, err := parseKernelTrace(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("LAB_KTRACE: %w", err)
	}
	s := summarizeKernelTrace(ev, interval)
	return &s, nil
}
