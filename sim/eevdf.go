package sim

// EEVDF's virtual time, as Linux keeps it for an app node's threads (see
// cpu_sched.go for the scheduler around it).
//
// Every thread has a virtual runtime v, which advances with the time it
// runs on a core (all threads have the same weight), and, while it is
// runnable, a virtual deadline d = v + slice, set when it is placed and
// renewed each time v reaches it. V, the average v of the node's runnable
// threads, is where a fair share would have them; a thread's lag V - v is
// the service it is owed (positive) or has had ahead of its share
// (negative). The scheduler runs the eligible thread (v <= V) with the
// earliest deadline, so service follows virtual time: a thread that got
// a tick too much in one round waits for it in the next, and over a
// burst every runnable thread gets its share within a tick, as processor
// sharing has it.
//
// A thread that blocks keeps its lag. One that has had more than its
// share sleeps on the run queue until V has caught up with it
// (DELAY_DEQUEUE, Linux 6.12 on), which for sleeps long against a slice
// leaves it owed nothing: its lag is 0. One owed service keeps what it is
// owed (bounded by the larger of two slices and a tick). When it wakes it
// is placed at V - lag, and preempts the thread on a core if that thread
// has run its slice or is no longer eligible (RUN_TO_PARITY protects an
// eligible thread until its first deadline) and the woken thread is now
// the one to run: eligible, with the earliest deadline, ties going to
// the woken thread.
//
// Left out: weights (nice levels), the kernel's rescaling of lag by the
// number of runnable threads, and a per-CPU run queue (one run queue per
// node, one V).

// vthread is one thread's place in virtual time.
type vthread struct {
	v, d  int64 // virtual runtime, and deadline while runnable
	prot  int64 // v below which it may not be preempted by a wake-up
	lag   int64 // what it was owed when it last blocked
	from  int64 // on a core: since when v has not been advanced
	state uint8 // vOff, vQueued, vOnCore, vPreempted
}

const (
	vOff       = iota // blocked: its lag is kept
	vQueued           // in the run queue
	vOnCore           // on a core (or carried by one between bursts)
	vPreempted        // taken off its core between bursts, not yet queued
)

// vth is the virtual time of the thread request r runs on.
func (s *Sim) vth(r *request) *vthread {
	w := &s.nodes[r.node].workers[r.worker]
	if int(r.thread) < len(w.vt) {
		return &w.vt[r.thread]
	}
	return w.growVT(r.thread)
}

// growVT makes room for thread th's virtual time.
func (w *worker) growVT(th int32) *vthread {
	for int(th) >= len(w.vt) {
		w.vt = append(w.vt, vthread{})
	}
	return &w.vt[th]
}

// vRun brings the v of thread t, on a core, up to now.
func (t *vthread) vRun(now int64) {
	if t.state == vOnCore && now > t.from {
		t.v += now - t.from
		t.from = now
	}
}

// vStart: thread t starts on a core at now.
func (cs *cpuSched) vStart(t *vthread, now int64) {
	t.state, t.from = vOnCore, now
	cs.rsum += t.v - now
	cs.nrun++
}

// vStop: thread t, on a core, leaves it at now.
func (cs *cpuSched) vStop(t *vthread, now int64) {
	if t.state != vOnCore {
		return
	}
	t.vRun(now)
	cs.rsum -= t.v - t.from
	cs.nrun--
	t.state = vOff
}

// vResync counts node ni's runnable threads again, after a change of
// policy or cores: under run_to_completion there is no virtual time.
func (s *Sim) vResync(ni int) {
	cs := &s.nodes[ni].cs
	cs.vsum, cs.rsum, cs.nrun, cs.vq = 0, 0, 0, cs.vq[:0]
	q := &cs.runq
	for i := 0; i < q.n; i++ {
		id := q.buf[q.at(i)]
		if id == hole {
			continue
		}
		t := s.vth(&s.reqs[id])
		t.state = vQueued
		if !cs.rtc {
			cs.vsum += t.v
		}
	}
	if !cs.rtc && q.len() >= vqFrom {
		s.vRebuild(ni)
	}
	for i := range cs.cores {
		t := s.coreThread(ni, i)
		switch {
		case t == nil:
		case cs.rtc:
			t.state = vOff
		default:
			t.vRun(s.now)
			t.state, t.from = vOnCore, s.now
			cs.rsum += t.v - s.now
			cs.nrun++
		}
	}
}

// vAvg is the node's V: the average v of its runnable threads, those on
// cores brought up to now (cs.rsum holds their v less the time since
// which each has run). With none, the V of the last time there were.
func (s *Sim) vAvg(ni int) int64 {
	cs := &s.nodes[ni].cs
	if n := int64(cs.runq.len()) + cs.nrun; n > 0 {
		cs.vlast = floorDiv(cs.vsum+cs.rsum+cs.nrun*s.now, n)
	}
	return cs.vlast
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// coreThread is the thread running on core ci of node ni, nil if none.
func (s *Sim) coreThread(ni, ci int) *vthread {
	c := &s.nodes[ni].cs.cores[ci]
	switch {
	case c.id >= 0:
		return s.vth(&s.reqs[c.id])
	case s.carry.active && int(s.carry.node) == ni && s.carry.core == ci:
		w := &s.nodes[ni].workers[s.carry.worker]
		return &w.vt[s.carry.thread]
	}
	return nil
}

// vPlace: request r's thread wakes. It is placed at V less what it is
// owed.
func (s *Sim) vPlace(ni int, r *request) {
	cs := &s.nodes[ni].cs
	t := s.vth(r)
	t.v = s.vAvg(ni) - t.lag
	t.d = t.v + cs.slice
}

// vBlock: thread t, on a core or just taken off one, blocks. It keeps
// what it is owed, if anything: the V it leaves, with itself counted,
// less its v.
func (s *Sim) vBlock(ni int, t *vthread) {
	cs := &s.nodes[ni].cs
	var V int64
	switch {
	case cs.rtc:
		cs.vStop(t, s.now)
		t.state = vOff
		return
	case t.state == vOnCore:
		t.vRun(s.now)
		V = s.vAvg(ni)
		cs.vStop(t, s.now)
	case t.state == vPreempted:
		n := int64(cs.runq.len()) + cs.nrun + 1
		V = floorDiv(cs.vsum+cs.rsum+cs.nrun*s.now+t.v, n)
	default:
		return
	}
	limit := max(2*cs.slice, cs.tick)
	t.lag = min(max(V-t.v, 0), limit)
	t.state = vOff
}

// vPush puts request id's thread, placed or taken off its core, in the
// run queue.
func (s *Sim) vPush(ni int, id int32) {
	cs := &s.nodes[ni].cs
	r := &s.reqs[id]
	t := s.vth(r)
	r.qpos = cs.runq.pushKey(id, t.v, t.d)
	t.state = vQueued
	if !cs.rtc {
		cs.vsum += t.v
		switch n := cs.runq.len(); {
		case n == vqFrom:
			s.vRebuild(ni)
		case n > vqFrom:
			cs.vq.push(vqEntry{d: t.d, pos: r.qpos, id: id})
		}
	}
}

// vRemove takes request id's thread, killed, out of the run queue.
func (s *Sim) vRemove(ni int, id int32) {
	cs := &s.nodes[ni].cs
	s.dequeue(&cs.runq.fifo, id)
	t := s.vth(&s.reqs[id])
	if !cs.rtc {
		cs.vsum -= t.v
		s.vTrim(ni)
	}
	t.state = vOff
}

// vPick takes the thread to run next out of the run queue: the eligible
// one with the earliest deadline, the first queued on a tie;
// run_to_completion takes the head.
func (s *Sim) vPick(ni int) int32 {
	cs := &s.nodes[ni].cs
	if cs.rtc {
		return cs.runq.pop()
	}
	best, pos := s.vBest(ni, s.vAvg(ni))
	cs.vsum -= cs.runq.keyAt(pos).v
	cs.runq.removeAt(pos, best)
	s.vTrim(ni)
	return best
}

// vqFrom is the run queue's length from which its deadline heap is kept:
// a shorter queue is searched.
const vqFrom = 9

// vTrim drops the deadline heap once the run queue is short, or its
// entries of threads no longer queued once they outnumber the queued ones.
func (s *Sim) vTrim(ni int) {
	cs := &s.nodes[ni].cs
	switch n := cs.runq.len(); {
	case n < vqFrom:
		cs.vq = cs.vq[:0]
	case len(cs.vq) > 4*n+32:
		s.vRebuild(ni)
	}
}

// vRebuild makes the deadline heap again from the run queue.
func (s *Sim) vRebuild(ni int) {
	cs := &s.nodes[ni].cs
	q := &cs.runq
	cs.vq = cs.vq[:0]
	for i := 0; i < q.n; i++ {
		if id := q.buf[q.at(i)]; id != hole {
			cs.vq.push(vqEntry{d: q.key(i).d, pos: q.first + uint64(i), id: id})
		}
	}
}

// vBest is the queued thread to run next given V, and its position in
// the run queue. A short queue is searched; a long one's deadline heap
// has the answer at its top unless that thread is not eligible, when the
// queue is searched too.
func (s *Sim) vBest(ni int, V int64) (int32, uint64) {
	cs := &s.nodes[ni].cs
	q := &cs.runq
	for q.len() >= vqFrom && len(cs.vq) > 0 {
		e := cs.vq[0]
		if e.pos >= q.first && e.pos < q.first+uint64(q.n) && q.buf[q.at(int(e.pos-q.first))] == e.id {
			if q.key(int(e.pos-q.first)).v <= V {
				return e.id, e.pos
			}
			break
		}
		cs.vq.pop() // taken, or killed
	}
	// the ring's fields in locals, which the loops keep in registers
	buf, keys, n, head, first := q.buf, q.keys[:len(q.buf)], q.n, q.head, q.first
	mask := len(buf) - 1
	best, bestPos := int32(-1), uint64(0)
	var bd int64
	for i, j := 0, head; i < n; i, j = i+1, (j+1)&mask {
		if id := buf[j]; id != hole {
			if t := &keys[j]; t.v <= V && (best < 0 || t.d < bd) {
				best, bestPos, bd = id, first+uint64(i), t.d
			}
		}
	}
	if best >= 0 {
		return best, bestPos
	}
	// none is eligible: the one with the least v, eligible first
	var minV int64
	for i, j := 0, head; i < n; i, j = i+1, (j+1)&mask {
		if id := buf[j]; id != hole {
			if t := &keys[j]; best < 0 || t.v < minV {
				best, bestPos, minV = id, first+uint64(i), t.v
			}
		}
	}
	return best, bestPos
}

// vqEntry is a queued thread in the deadline heap: request id, pushed
// at position pos of the run queue, with deadline d.
type vqEntry struct {
	d   int64
	pos uint64
	id  int32
}

// vheap is a min-heap of queued threads by deadline, then position.
// Entries of threads taken or killed are dropped when they surface.
type vheap []vqEntry

func (h vheap) less(i, j int) bool {
	return h[i].d < h[j].d || h[i].d == h[j].d && h[i].pos < h[j].pos
}

func (h *vheap) push(e vqEntry) {
	*h = append(*h, e)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *vheap) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && a.less(l, m) {
			m = l
		}
		if l+1 < n && a.less(l+1, m) {
			m = l + 1
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
}

// vKeeps reports whether thread t, on a core, goes on rather than give
// it to the best queued thread: it is eligible and its deadline is
// earlier.
func (s *Sim) vKeeps(ni int, t *vthread) bool {
	V := s.vAvg(ni)
	if t.v > V {
		return false
	}
	best, _ := s.vBest(ni, V)
	return t.d < s.vth(&s.reqs[best]).d
}

// vRenew gives thread t a new deadline if it has reached its own.
func (cs *cpuSched) vRenew(t *vthread) {
	if t.v >= t.d {
		t.d = t.v + cs.slice
	}
}

// vSliceEnd is when thread t, starting on a core at now, reaches its
// deadline, rounded up to the next tick: the kernel looks at the tick.
func (cs *cpuSched) vSliceEnd(t *vthread, now int64) int64 {
	if cs.rtc {
		return never
	}
	end := now + max(t.d-t.v, 0)
	if cs.tick > 0 {
		end = (end + cs.tick - 1) / cs.tick * cs.tick
		if end == now {
			end += cs.tick
		}
	}
	return end
}
