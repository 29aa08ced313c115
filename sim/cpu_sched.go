package sim

import (
	"math/bits"

	"scalesim/topology"
)

// The operating system's scheduler of an app node's cores.
//
// Every thread that wants to run Python code is a task: a sync or gevent
// worker process is one thread, a threads worker has one per request it
// holds. Runnable tasks wait in one run queue per node (Linux keeps one
// per CPU and balances them; one shared queue is the idealised balance)
// and a task on a core runs until its burst ends or its slice does.
//
// The slice is EEVDF's with equal weights: a task runs at least the base
// slice, and is preempted at the first scheduler tick after it (no
// HRTICK), if another task waits; then it goes to the back of the run
// queue, so that runnable tasks take turns, and with slices short
// against the bursts the cores are shared as processor sharing has it.
// A task that wakes while every core is busy preempts a task that has
// already run its base slice or is no longer eligible (EEVDF's wake-up
// preemption, with RUN_TO_PARITY protecting an eligible task's slice
// until it is used). A task that
// finishes its burst and goes on at once on the same thread (the next
// greenlet of a gevent worker, the next request of a thread that took
// one from the backlog) keeps its core and its slice: no switch; unless
// a thread it woke as it finished (the GIL waiter it signalled) preempts
// it, as any waking thread may.
//
// Each time a core starts running a thread other than the one whose
// work it ran last, the new thread first spends the switch cost on it:
// mostly the caches refilled with its own data. A thread that gets the
// core only to find its GIL taken (a timed-out waiter that asks for the
// GIL, a woken one that finds it taken again) blocks at once: it touched
// nothing, the caches hold what they held, and it costs nothing (the
// kernel's own microseconds of a switch are left out). With
// run_to_completion a task is never preempted: bursts run first come,
// first served.

// cpuSched is one server's cores under its operating system.
type cpuSched struct {
	cores  []core
	usable int // cores the configuration gives: index < usable
	idle   int // usable cores with nothing on them
	// idleSet holds a bit for each of them (core i: word i/64, bit
	// i%64), so that finding one skips the busy cores a word at a time
	idleSet  []uint64
	runq     runQueue
	rtc      bool
	slice    int64
	tick     int64
	cost     int64
	switches uint64 // context switches charged, over the whole run
	vsum     int64  // the queued threads' virtual runtimes (eevdf.go)
	rsum     int64  // the running threads' virtual runtimes less when each last ran
	nrun     int64  // threads on cores
	vlast    int64  // V when last computed
	vq       vheap  // the queued threads by deadline
}

// core is one CPU of a server.
type core struct {
	id    int32 // request whose thread runs on it; -1 when idle or busy without one
	busy  bool
	owner int64 // the thread whose work it ran last; -1 for none
	prev  int64 // the owner before the thread now on it
	start int64 // when the current thread's slice began
	end   int64 // when it ends: the thread is preempted then if another waits
	seq   uint32
}

// configure sets the scheduler's policy and its number of cores. Cores
// beyond a smaller number finish what runs on them, then go.
func (cs *cpuSched) configure(c topology.CPUSched, cores int) {
	cs.rtc = c.Scheduler == topology.RunToCompletion
	cs.slice = int64(c.SliceFor(cores))
	cs.tick = int64(c.Tick)
	cs.cost = int64(c.SwitchCost)
	for len(cs.cores) < cores {
		cs.cores = append(cs.cores, core{id: -1, owner: -1})
	}
	words := (cores + 63) / 64
	if cap(cs.idleSet) < words {
		cs.idleSet = make([]uint64, words)
	}
	cs.idleSet = cs.idleSet[:words]
	clear(cs.idleSet)
	idle := 0
	for i := range cs.cores[:cores] {
		if !cs.cores[i].busy {
			idle++
			cs.idleSet[i/64] |= 1 << (i % 64)
		}
	}
	cs.usable, cs.idle = cores, idle
	cs.trim()
}

// busy is how many cores are busy.
func (cs *cpuSched) busy() int {
	n := cs.usable - cs.idle
	for i := cs.usable; i < len(cs.cores); i++ {
		if cs.cores[i].busy {
			n++
		}
	}
	return n
}

// trim drops idle cores beyond the usable ones.
func (cs *cpuSched) trim() {
	for len(cs.cores) > cs.usable && !cs.cores[len(cs.cores)-1].busy {
		cs.cores = cs.cores[:len(cs.cores)-1]
	}
}

// sliceEnd is when a slice that begins at now ends.
func (cs *cpuSched) sliceEnd(now int64) int64 {
	if cs.rtc {
		return never
	}
	t := now + cs.slice
	if cs.tick > 0 {
		t = (t + cs.tick - 1) / cs.tick * cs.tick
	}
	return t
}

// idleCore picks an idle usable core for thread key: the one it ran on
// last if that is idle (Linux wakes a task on its previous CPU when it
// can), else the lowest-numbered. -1 if none is idle.
func (cs *cpuSched) idleCore(key int64) int {
	if cs.idle == 0 {
		return -1
	}
	pick := -1
	for wi, word := range cs.idleSet {
		for ; word != 0; word &= word - 1 {
			i := wi*64 + bits.TrailingZeros64(word)
			if cs.cores[i].owner == key {
				return i
			}
			if pick < 0 {
				pick = i
			}
		}
	}
	return pick
}

// carry is a core whose thread has finished a burst and goes on with its
// work at once, within the same event: if it runs Python again before it
// blocks, it keeps the core.
type carry struct {
	active    bool
	anyThread bool // gevent: every greenlet of the worker runs on its one thread
	// exited: its worker process exited as the thread went on (its page
	// was the last of a retiring worker), carryFreed if the core is still
	// the thread's to free, carryLost if another thread had preempted it
	exited uint8
	node   int32
	worker int32
	thread int32
	core   int
}

const (
	carryFreed = 1 + iota
	carryLost
)

// workerExits: worker wi of node ni exits. If it is the worker whose
// thread a core carries between bursts, that thread is gone with it
// (the worker's entry may be reused at once): it leaves the scheduler,
// and the burst's end frees the core.
func (s *Sim) workerExits(ni, wi int) {
	c := &s.carry
	if int(c.node) != ni || int(c.worker) != wi {
		return
	}
	w := &s.nodes[ni].workers[wi]
	if !c.active {
		c.exited = carryLost
		return
	}
	s.vBlock(ni, &w.vt[c.thread])
	c.active = false
	c.exited = carryFreed
}

// nextCoreSeq numbers a core's new state: one counter for every core of
// every server, so that an event of a core's old state is known stale by
// its number alone.
func (s *Sim) nextCoreSeq() uint32 {
	s.coreSeq++
	return s.coreSeq
}

// threadKey names the OS thread request r runs on, within its node.
func threadKey(r *request) int64 { return int64(r.worker)<<32 | int64(r.thread) }

// runnable makes the thread of request id, whose cpu step wants to run,
// runnable on its node.
func (s *Sim) runnable(id int32) {
	r := &s.reqs[id]
	ni := int(r.node)
	cs := &s.nodes[ni].cs
	// (a core beyond a smaller number of cores finishes its burst and
	// goes: its thread goes on elsewhere)
	if c := &s.carry; c.active && c.node == r.node && c.worker == r.worker && (c.anyThread || c.thread == r.thread) && c.core < cs.usable {
		c.active = false
		r.core = int32(c.core)
		r.ranFrom = s.now
		s.cpuQueued(r, -1)
		r.wait += s.now - r.enq
		s.runOnCore(ni, c.core, id)
		return
	}
	t := s.vth(r)
	woke := t.state == vOff
	if woke && !cs.rtc {
		s.vPlace(ni, r)
	}
	if ci := cs.idleCore(threadKey(r)); ci >= 0 {
		s.dispatchCore(ni, ci, id)
		return
	}
	s.vPush(ni, id)
	s.setState(id, stWaitCore)
	if !cs.rtc {
		s.wakePreempt(ni, id)
	}
}

// wakePreempt: request id's thread is runnable and every core is busy.
// Each thread on a core is brought up to now, and given a new deadline if
// it has reached its own; then, if the woken thread is the one EEVDF
// would run next, it preempts the thread that is no longer eligible, or
// else the one that has run its protected slice and whose deadline is
// latest. RUN_TO_PARITY protects an eligible thread only, as the
// kernel's pick_eevdf drops a current thread that is not eligible before
// it looks at its protection: so a woken thread owed any service
// preempts a thread that has run alone on its core (V is then that
// thread's own v, and the woken one's placement below it makes it not
// eligible) at once, as measured uWSGI threads woken from the GIL's
// condition variable or a sleep do. The preempted thread may be the
// one that woke it, still on its core as it goes on with its work (it
// let go of the GIL, and the waiter it signalled woke): it is preempted
// before it goes on. A thread the core has just picked, not yet running
// (it is taking the GIL, whose taking woke this one), is left alone.
func (s *Sim) wakePreempt(ni int, id int32) {
	cs := &s.nodes[ni].cs
	V := s.vAvg(ni)
	best, bestOut := -1, false
	var bestD int64
	for i := range cs.cores[:cs.usable] {
		t := s.coreThread(ni, i)
		if t == nil {
			continue
		}
		if c := &cs.cores[i]; c.id >= 0 && s.reqs[c.id].state != stCPU {
			continue // just picked: it has not begun to run
		}
		t.vRun(s.now)
		cs.vRenew(t)
		out := t.v > V // no longer eligible
		if t.v < t.prot && !out {
			continue // RUN_TO_PARITY
		}
		if best < 0 || out && !bestOut || out == bestOut && t.d > bestD {
			best, bestOut, bestD = i, out, t.d
		}
	}
	if best < 0 {
		return
	}
	if pick, _ := s.vBest(ni, V); pick != id {
		return
	}
	if !bestOut && bestD < s.vth(&s.reqs[id]).d {
		return
	}
	if c := &s.carry; c.active && int(c.node) == ni && c.core == best {
		c.active = false
		t := &s.nodes[ni].workers[c.worker].vt[c.thread]
		cs.vStop(t, s.now)
		t.state = vPreempted
		s.dispatchCore(ni, best, s.vPick(ni))
		return
	}
	s.preempt(ni, best)
}

// victim is the usable core whose task has run longest past its base
// slice, which a waking task preempts; -1 if none has used its slice.
// Core carried (-1 for none) counts as running its task though it has
// none on it for the moment.
func (cs *cpuSched) victim(now int64, carried int) int {
	best := -1
	for i := range cs.cores[:cs.usable] {
		c := &cs.cores[i]
		if (c.id < 0 && i != carried) || now-c.start < cs.slice {
			continue
		}
		if best < 0 || c.start < cs.cores[best].start {
			best = i
		}
	}
	return best
}

// take starts thread key's slice on core ci at now; the caller sets
// when it ends. It reports the switch cost the thread pays first (when
// the core ran another thread last), and whether the core was idle.
func (cs *cpuSched) take(ci int, key, now int64) (cost int64, woke bool) {
	c := &cs.cores[ci]
	if !c.busy {
		c.busy = true
		cs.idle--
		if ci < cs.usable {
			cs.idleSet[ci/64] &^= 1 << (ci % 64)
		}
		woke = true
	}
	if c.owner != key {
		cost = cs.cost
		cs.switches++
	}
	c.prev, c.owner, c.start = c.owner, key, now
	return cost, woke
}

// release makes core ci idle; a core beyond the usable ones goes.
func (cs *cpuSched) release(ci int) {
	if cs.markIdle(ci) {
		return
	}
	cs.trim()
}

// markIdle marks core ci idle, and reports whether it is usable (an
// idle core beyond the usable ones goes once trim reaches it).
func (cs *cpuSched) markIdle(ci int) bool {
	cs.cores[ci].busy = false
	if ci < cs.usable {
		cs.idle++
		cs.idleSet[ci/64] |= 1 << (ci % 64)
		return true
	}
	return false
}

// dispatchCore starts request id's thread, from the run queue or waking, on
// core ci of node ni.
func (s *Sim) dispatchCore(ni, ci int, id int32) {
	r := &s.reqs[id]
	cs := &s.nodes[ni].cs
	cost, woke := cs.take(ci, threadKey(r), s.now)
	if woke {
		s.cpu.addBusy(s.now, 1)
		if s.nodes[ni].draining {
			s.countCores(ni) // a core that counts only while busy
		}
	}
	if !cs.rtc {
		t := s.vth(r)
		cs.vRenew(t)
		t.prot = t.d
		cs.vStart(t, s.now)
		cs.cores[ci].end = cs.vSliceEnd(t, s.now)
	} else {
		cs.cores[ci].end = never
	}
	r.core = int32(ci)
	r.ranFrom = s.now + cost
	s.cpuQueued(r, -1)
	r.wait += s.now - r.enq
	s.runOnCore(ni, ci, id)
}

// runOnCore: request id's thread is on core ci. It runs its burst, unless its
// worker's GIL keeps it from running Python: then it blocks at once, and
// the core is free.
func (s *Sim) runOnCore(ni, ci int, id int32) {
	c := &s.nodes[ni].cs.cores[ci]
	r := &s.reqs[id]
	c.id = id
	w := &s.nodes[ni].workers[r.worker]
	if w.quantum > 0 && !r.nogil && !s.gilEnter(id) {
		// it ran no work: the caches hold what they held, and the
		// switch it was charged for costs nothing
		if r.ranFrom > s.now {
			c.owner = c.prev
			s.nodes[ni].cs.switches--
			r.ranFrom = s.now
		}
		s.vBlock(ni, s.vth(r))
		c.id = -1
		s.coreDone(ni, ci)
		return
	}
	s.setState(id, stCPU)
	s.armAt(c, r, ci, id)
}

// armCore schedules the end of request id's burst or slice on core ci.
func (s *Sim) armCore(ni, ci int, id int32) { s.armAt(&s.nodes[ni].cs.cores[ci], &s.reqs[id], ci, id) }

// armAt is armCore for core c, number ci, and request r, number id.
func (s *Sim) armAt(c *core, r *request, ci int, id int32) {
	c.seq = s.nextCoreSeq()
	t := later(r.ranFrom, r.remain)
	if c.end < t {
		t = c.end
	}
	s.scheduleIn(slotCPU, t, evCPUDone, id, c.seq, uint16(ci))
}

// cpuQueued counts request r's thread in or out (d = +1, -1) of the
// threads that wait for a core or the GIL to run a cpu step; the GIL
// taken back after a wait is no cpu step and counts in none of the CPU's
// figures.
func (s *Sim) cpuQueued(r *request, d int) {
	if !r.retake {
		s.cpu.addQueued(s.now, d)
	}
}

// charge counts the CPU time request id's thread has had on its core
// since it last was charged.
func (s *Sim) charge(r *request) {
	if s.now > r.ranFrom {
		r.remain -= s.now - r.ranFrom
		r.ranFrom = s.now
	}
}

// preempt takes the thread running on core ci of node ni off it, to the
// back of the run queue, and starts the one at the head.
func (s *Sim) preempt(ni, ci int) {
	cs := &s.nodes[ni].cs
	c := &cs.cores[ci]
	id := c.id
	r := &s.reqs[id]
	s.charge(r)
	cs.vStop(s.vth(r), s.now)
	c.seq = s.nextCoreSeq()
	c.id = -1
	r.enq = s.now
	s.cpuQueued(r, 1)
	s.vPush(ni, id)
	s.setState(id, stWaitCore)
	s.dispatchCore(ni, ci, s.vPick(ni))
}

// coreDone: nothing runs on core ci of node ni any more. It takes the
// head of the run queue, or goes idle.
func (s *Sim) coreDone(ni, ci int) {
	cs := &s.nodes[ni].cs
	c := &cs.cores[ci]
	c.id = -1
	c.seq = s.nextCoreSeq()
	if ci < cs.usable && cs.runq.len() > 0 {
		s.dispatchCore(ni, ci, s.vPick(ni))
		return
	}
	cs.release(ci)
	s.cpu.addBusy(s.now, -1)
	if ci >= cs.usable || s.nodes[ni].draining {
		s.countCores(ni) // a core that counted only while busy
	}
}

// coreFreeAt frees core ci at t (now or later: the end of a switch).
func (s *Sim) coreFreeAt(ni, ci int, t int64) {
	if t <= s.now {
		s.coreDone(ni, ci)
		return
	}
	c := &s.nodes[ni].cs.cores[ci]
	c.seq = s.nextCoreSeq()
	s.schedule(event{t: t, kind: evCoreFree, id: int32(ni), gen: c.seq, sid: uint16(ci)})
}

func (s *Sim) onCoreFree(e *event) {
	cs := &s.nodes[e.id].cs
	if int(e.sid) >= len(cs.cores) {
		return
	}
	if c := &cs.cores[e.sid]; c.seq == e.gen && c.id < 0 && c.busy {
		s.coreDone(int(e.id), int(e.sid))
	}
}

// onCPUDone: the burst or the slice of the thread on a core has ended.
func (s *Sim) onCPUDone(e *event) {
	ni, ci := int(s.reqs[e.id].node), int(e.sid)
	if ni < 0 {
		return
	}
	cs := &s.nodes[ni].cs
	if ci >= len(cs.cores) {
		return
	}
	c := &cs.cores[ci]
	if c.seq != e.gen || c.id != e.id {
		return // preempted, or its thread let go of the GIL
	}
	id := e.id
	r := &s.reqs[id]
	s.charge(r)
	if r.remain > 0 {
		// the slice is over: the thread goes on if nothing else waits,
		// or if it is still the one to run
		t := s.vth(r)
		t.vRun(s.now)
		cs.vRenew(t)
		if cs.runq.len() == 0 || ci >= cs.usable || s.vKeeps(ni, t) {
			c.start, c.end = s.now, cs.vSliceEnd(t, s.now)
			s.armAt(c, r, ci, id)
			return
		}
		s.preempt(ni, ci)
		return
	}
	s.burstDone(ni, ci, id)
}

// burstDone: request id's cpu step has had all its CPU. Its thread keeps
// the core while it goes on with its work; once it blocks, the core is
// free.
func (s *Sim) burstDone(ni, ci int, id int32) {
	cs := &s.nodes[ni].cs
	c := &cs.cores[ci]
	r := &s.reqs[id]
	w := &s.nodes[ni].workers[r.worker]
	c.id = -1
	c.seq = s.nextCoreSeq()
	retake := r.retake
	if retake {
		r.retake = false // the GIL taken back after a wait (gil.go)
	} else {
		s.cpu.started(r.wait)
		s.cpu.finished(r.demand)
	}
	cr := &s.carry // field by field: a literal copied whole stalls on its narrow stores
	cr.active, cr.anyThread, cr.node, cr.worker, cr.thread, cr.core = true, s.appCfg.gevent, r.node, r.worker, r.thread, ci
	cr.exited = 0
	wi, th := r.worker, r.thread
	if w.holder == id && !s.staysInPython(r, retake) {
		s.dropLock(w, id)
	}
	switch {
	case retake:
		s.step(id)
	case r.nogil:
		s.nogilDone(id)
	case s.buys && s.progs[r.prog].ops[r.pc].kind == opBuy:
		s.buyNext(id) // the app code between a buy's queries
	default:
		r.pc++
		s.step(id)
	}
	switch s.carry.exited {
	case carryFreed:
		s.coreDone(ni, ci)
		return
	case carryLost:
		return
	}
	t := &s.nodes[ni].workers[wi].vt[th]
	if s.carry.active {
		s.vBlock(ni, t)
		s.carry.active = false
		s.coreDone(ni, ci)
		return
	}
	if t.state == vPreempted {
		s.vBlock(ni, t) // preempted as it went on, then it blocked
	}
}

// staysInPython reports whether request r's thread, its cpu burst done,
// goes straight on to another cpu step: Python running on, which keeps
// the GIL (the step boundary is the file's, not the interpreter's), so
// [cpu: 4ms, cpu: 6ms] is one 10 ms hold, as cpu: 10ms is. A retake, a
// nogil step's end and a buy's app code go on as before.
func (s *Sim) staysInPython(r *request, retake bool) bool {
	if retake || r.nogil {
		return false
	}
	ops := s.progs[r.prog].ops
	if s.buys && ops[r.pc].kind == opBuy {
		return false
	}
	next := int(r.pc) + 1
	return next < len(ops) && ops[next].kind == opCPU
}

// startCPU begins a cpu step of request id.
func (s *Sim) startCPU(id int32, demand int64) {
	r := &s.reqs[id]
	demand = s.slowed(tierApp, demand)
	r.demand, r.remain, r.wait = demand, demand, 0
	if !r.retake {
		s.cpu.arrivals++
	}
	r.enq = s.now
	s.cpuQueued(r, 1)
	w := &s.nodes[r.node].workers[r.worker]
	if w.lock && w.quantum == 0 {
		// gevent: one greenlet of the process runs at a time, the
		// others wait for it to block
		if w.holder >= 0 && w.holder != id {
			r.qpos = w.lockQ.push(id)
			s.setState(id, stWaitGIL)
			return
		}
		w.holder = id
	}
	s.runnable(id)
}

// dropLock lets go of what request id holds of worker w's lock: the GIL,
// or gevent's one thread, which the next ready greenlet takes.
func (s *Sim) dropLock(w *worker, id int32) {
	if w.holder != id {
		return
	}
	if w.quantum > 0 {
		s.gilRelease(w, id)
		return
	}
	w.holder = -1
	if w.lockQ.len() > 0 {
		next := w.lockQ.pop()
		w.holder = next
		s.runnable(next)
	}
}

// leaveCPU takes request id, being killed, out of the scheduler and off
// its worker's lock.
func (s *Sim) leaveCPU(id int32) {
	r := &s.reqs[id]
	ni := int(r.node)
	n := s.nodes[ni]
	w := &n.workers[r.worker]
	switch r.state {
	case stWaitGIL:
		if r.inSwitch {
			s.dequeue(&w.switchQ, id)
		} else {
			s.dequeue(&w.lockQ, id)
		}
		s.cpuQueued(r, -1)
	case stWaitCore:
		s.vRemove(ni, id)
		s.cpuQueued(r, -1)
	case stCPU:
		s.charge(r)
		s.vBlock(ni, s.vth(r))
		s.coreDone(ni, int(r.core))
	}
	if r.gilWoken {
		r.gilWoken = false
		w.woken--
	}
	r.gilTimed = false
	r.retake, r.nogil = false, false
	s.dropLock(w, id)
}

// setCores gives node ni's scheduler the configuration's cores and
// policy, and starts waiting threads on cores that are now free.
func (s *Sim) setCores(ni int) {
	cs := &s.nodes[ni].cs
	rtc := cs.rtc
	cs.configure(s.appCfg.cpu, s.appCfg.cores)
	if cs.rtc != rtc {
		s.vResync(ni)
	}
	for ci := 0; ci < cs.usable && cs.runq.len() > 0; ci++ {
		if !cs.cores[ci].busy {
			s.dispatchCore(ni, ci, s.vPick(ni))
		}
	}
}
