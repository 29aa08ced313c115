package sim

// The GIL of a threads worker, handed over as CPython's ceval_gil.c does
// (take_gil, drop_gil, FORCE_SWITCHING):
//
//   - A thread that finds the GIL taken waits on its condition variable
//     for at most the switch interval (sys.getswitchinterval(), 5 ms).
//     When the wait times out the thread wakes, and like any thread it
//     needs a core to go on: once the OS runs it (at once if it may
//     preempt the thread on the core, else when a slice ends), it takes
//     the GIL if it is free; if not, and no switch happened since its
//     wait began, it sets gil_drop_request; either way it waits again, a
//     whole interval, at the back of the waiters. The timer is the
//     waiter's own: a switch, or being woken only to find the GIL taken
//     again, starts it over.
//   - The holder sees the drop request at its next bytecode boundary
//     (the eval breaker): at once if it is running, when the OS next runs
//     it if it was preempted. It drops the GIL, signals one waiter (the
//     one whose current wait began first), and waits until another
//     thread has taken the GIL before it asks for it again.
//   - A thread that lets go of the GIL by itself (its cpu step ends)
//     signals one waiter too. The waiter preempts it if it has used its
//     slice (wakePreempt); else it goes on running, and if it wants the GIL
//     again before the woken waiter has been scheduled (the next request
//     on a thread that took one from the backlog), it takes it back, and
//     the waiter, when it runs, finds it taken and waits a whole interval
//     again. Only a release with a drop request pending makes the
//     releaser wait for the switch.
//   - A woken waiter is a thread like any other: it needs a core to run
//     and take the GIL, and waits in the run queue for one.
//
// A thread that gets a core only to find the GIL taken runs no Python:
// it costs the core no switch (see cpu_sched.go).
//
// What the model leaves out: a releaser whose next step is not Python
// (io, a query) does not wait for the switch before it starts it.

// gilEnter: request id's thread is on a core and wants to run Python. It
// reports whether it holds the GIL and runs; if not, it now waits.
func (s *Sim) gilEnter(id int32) bool {
	r := &s.reqs[id]
	w := &s.nodes[r.node].workers[r.worker]
	if r.gilWoken {
		r.gilWoken = false
		w.woken--
	}
	timedOut := r.gilTimed
	r.gilTimed = false
	key := threadKey(r)
	switch {
	case w.holder == id:
		if w.drop {
			s.gilForcedDrop(w, id)
			return false
		}
		return true
	case w.holder < 0 && w.noRetake == key && (w.lockQ.len() > 0 || w.woken > 0):
		s.gilSwitchWait(w, id)
		return false
	case w.holder < 0:
		s.gilTake(w, id)
		return true
	}
	// its timed wait ran out with no switch since it began: it asks the
	// holder to drop the GIL, then waits again
	ask := timedOut && w.switches == r.gilSwitch && !w.drop
	s.gilWait(w, id)
	if ask {
		w.drop = true
		s.gilDropNow(w)
	}
	return false
}

// gilTake gives the GIL to request id's thread.
func (s *Sim) gilTake(w *worker, id int32) {
	r := &s.reqs[id]
	w.holder = id
	w.drop = false
	w.noRetake = -1
	if key := threadKey(r); key != w.last {
		w.last = key
		w.switches++
		// the dropper waiting for a switch goes on: it wants the GIL again
		for w.switchQ.len() > 0 {
			next := w.switchQ.pop()
			s.reqs[next].inSwitch = false
			s.runnable(next)
		}
	}
}

// gilWait puts request id's thread in a timed wait for the GIL.
func (s *Sim) gilWait(w *worker, id int32) {
	s.gilQueue(id, &w.lockQ, false)
	s.armGILTimer(w, id)
}

// armGILTimer starts request id's switch interval: when it runs out with
// no switch in between, the thread asks for a drop.
func (s *Sim) armGILTimer(w *worker, id int32) {
	r := &s.reqs[id]
	r.gilSwitch = w.switches
	r.gilSeq++
	s.schedule(event{t: s.in(w.quantum), kind: evGILTimer, id: id, gen: r.gen, sid: r.gilSeq})
}

// gilSwitchWait: request id's thread dropped the GIL on request and waits
// until another thread has taken it.
func (s *Sim) gilSwitchWait(w *worker, id int32) {
	s.gilQueue(id, &w.switchQ, true)
}

// gilQueue puts request id's thread at the back of q, waiting for the
// GIL; inSwitch says q is the queue of threads that dropped it.
func (s *Sim) gilQueue(id int32, q *fifo, inSwitch bool) {
	r := &s.reqs[id]
	r.enq = s.now
	s.cpuQueued(r, 1)
	r.inSwitch = inSwitch
	r.qpos = q.push(id)
	s.setState(id, stWaitGIL)
}

// gilSignal wakes the waiter whose current wait began first.
func (s *Sim) gilSignal(w *worker) {
	if w.lockQ.len() == 0 {
		return
	}
	next := w.lockQ.pop()
	r := &s.reqs[next]
	r.gilSeq++ // its timed wait is over
	r.gilWoken = true
	w.woken++
	s.runnable(next)
}

// gilRelease: request id's thread lets go of the GIL by itself.
func (s *Sim) gilRelease(w *worker, id int32) {
	w.holder = -1
	if w.drop {
		w.drop = false
		w.noRetake = threadKey(&s.reqs[id])
	}
	s.gilSignal(w)
}

// gilForcedDrop: the holder, request id, drops the GIL on request; its
// cpu step waits for a switch, then for the GIL again.
func (s *Sim) gilForcedDrop(w *worker, id int32) {
	w.holder = -1
	w.drop = false
	s.gilSwitchWait(w, id)
	s.gilSignal(w)
}

// onGILTimer: request id's timed wait for the GIL has run out. Its
// thread wakes, and once the OS gives it a core, it takes the GIL if it
// is free, or asks for it (gilEnter).
func (s *Sim) onGILTimer(e *event) {
	id := e.id
	r := &s.reqs[id]
	if r.state != stWaitGIL || r.inSwitch || r.gilSeq != e.sid {
		return
	}
	w := &s.nodes[r.node].workers[r.worker]
	s.dequeue(&w.lockQ, id)
	r.gilWoken, r.gilTimed = true, true
	w.woken++
	s.runnable(id)
}

// gilDropNow: a drop request was just set. A holder running on a core
// sees it at its next bytecode and drops the GIL; one the OS has
// preempted drops it when it runs again.
func (s *Sim) gilDropNow(w *worker) {
	h := w.holder
	hr := &s.reqs[h]
	if hr.state != stCPU {
		return
	}
	ni, ci := int(hr.node), int(hr.core)
	c := &s.nodes[ni].cs.cores[ci]
	if c.id != h {
		return // it is leaving its core: being killed
	}
	s.charge(hr)
	c.id = -1
	c.seq = s.nextCoreSeq()
	s.gilForcedDrop(w, h)
	s.coreFreeAt(ni, ci, hr.ranFrom)
}

// goOnFromWait: request id's wait (io, a query, the cache, the offload
// service) is over and its pc is at its next step. A thread of a worker
// with the GIL comes back into Python, and takes the GIL before it runs a
// bytecode (time.sleep and every blocking call end in
// Py_END_ALLOW_THREADS). A cpu step that comes next takes it as it
// starts; before anything else (another wait, or the page's return to
// uWSGI, which answers only once the page has returned) the thread takes
// it for no CPU, and lets it go when it goes on. Under contention that
// costs it a wait of about an interval, as the timed wait of any waiter:
// measured uWSGI threads returned from their page's sleep up to 13-26
// ms late while another thread burned.
func (s *Sim) goOnFromWait(id int32) {
	r := &s.reqs[id]
	if r.worker >= 0 && s.nodes[r.node].workers[r.worker].quantum > 0 && !s.atCPUStep(r) {
		r.retake = true
		s.startCPU(id, 0)
		return
	}
	s.step(id)
}

// atCPUStep reports whether request r's next step is a cpu step.
func (s *Sim) atCPUStep(r *request) bool {
	ops := s.progs[r.prog].ops
	return int(r.pc) < len(ops) && ops[r.pc].kind == opCPU
}
