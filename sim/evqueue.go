package sim

import "math"

// eventQueue is the engine's pending events: the heap, and beside it one
// slot each for the two kinds of event that most requests make, an open
// arrival and the end of a burst on a core. A slot holds one such event
// while it is free; another of its kind, scheduled while the slot is
// taken, goes to the heap. The next event is the earliest of the heap's
// top and the slots, by the same (t, seq) order, so the events and their
// order are the heap's alone would give: what changes is that an M/M/1
// request's two events are stored and taken without a walk of the heap
// (an open workload always has one arrival pending, a core at most one
// burst's end that is not stale).
type eventQueue struct {
	h    eventHeap
	slot [2]event // slot[k].t is never when it is free
}

// slotOf is the slot of events of kind k, or -1.
func slotOf(k evKind) int {
	switch k {
	case evArrival:
		return slotArrival
	case evCPUDone:
		return slotCPU
	}
	return -1
}

// freeSlot marks a free slot: due never, after every event.
var freeSlot = event{t: never, seq: math.MaxUint64}

func (q *eventQueue) init() { q.slot[0], q.slot[1] = freeSlot, freeSlot }

// len is the number of pending events.
func (q *eventQueue) len() int {
	n := q.h.len()
	for i := range q.slot {
		if q.slot[i].t != never {
			n++
		}
	}
	return n
}

// push adds e (e.t < never).
func (q *eventQueue) push(e event) {
	if k := slotOf(e.kind); k >= 0 && q.slot[k].t == never {
		d := &q.slot[k]
		d.t, d.seq, d.id, d.gen, d.kind, d.sid = e.t, e.seq, e.id, e.gen, e.kind, e.sid
		return
	}
	q.h.push(e)
}

// popUntil moves the earliest event to *dst if it is due at or before
// end (end < never: a free slot is never due), and reports whether it
// did.
func (q *eventQueue) popUntil(end int64, dst *event) bool {
	a, b := &q.slot[0], &q.slot[1]
	if earlier(b.t, b.seq, a.t, a.seq) {
		a = b
	}
	if q.h.n > 0 {
		if top := &q.h.ev[0]; earlier(top.t, top.seq, a.t, a.seq) {
			if top.t > end {
				return false
			}
			q.h.popTo(dst)
			return true
		}
	}
	if a.t > end {
		return false
	}
	*dst = *a
	a.t, a.seq = never, math.MaxUint64
	return true
}

// top is the earliest pending event; q must not be empty.
func (q *eventQueue) top() *event {
	a := &q.slot[0]
	if b := &q.slot[1]; b.before(a) {
		a = b
	}
	if q.h.n > 0 && q.h.ev[0].before(a) {
		a = &q.h.ev[0]
	}
	return a
}

// due reports whether an event is due at or before end.
func (q *eventQueue) due(end int64) bool {
	t := min(q.slot[0].t, q.slot[1].t)
	if q.h.n > 0 {
		t = min(t, q.h.ev[0].t)
	}
	return t <= end && t != never
}

// events returns the pending events, in no order (it allocates: for
// tests).
func (q *eventQueue) events() []event {
	out := append([]event(nil), q.h.events()...)
	for _, e := range q.slot {
		if e.t != never {
			out = append(out, e)
		}
	}
	return out
}

// Slots of the event queue.
const (
	slotArrival = 0 // evArrival
	slotCPU     = 1 // evCPUDone
)

// scheduleIn is schedule for an event of slot k's kind, written into the
// slot in place when it is free.
func (s *Sim) scheduleIn(k int, t int64, kind evKind, id int32, gen uint32, sid uint16) {
	if d := &s.heap.slot[k]; d.t == never && t < never {
		d.t, d.seq, d.id, d.gen, d.kind, d.sid = t, s.seq, id, gen, kind, sid
		s.seq++
		return
	}
	s.scheduleHeap(t, kind, id, gen, sid)
}

// scheduleHeap is scheduleIn's event, when its slot is taken.
//
//go:noinline
func (s *Sim) scheduleHeap(t int64, kind evKind, id int32, gen uint32, sid uint16) {
	s.schedule(event{t: t, kind: kind, id: id, gen: gen, sid: sid})
}
