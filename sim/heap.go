package sim

import (
	"math/bits"
	"slices"
)

// evKind says what an event does when it fires.
type evKind uint8

const (
	evArrival       evKind = iota // open workload: the next request arrives
	evUserSend                    // closed workload: user id sends a request
	evCPUDone                     // the burst or slice of request id on core sid ends; gen is the core's state
	evIODone                      // request id finishes an io wait
	evHop                         // request id finishes a network hop (LB, a station, the reply)
	evStationDone                 // a server of station sid finishes request id
	evTimeout                     // the earliest deadline of timeout queue sid has come
	evTick                        // one simulated second has passed
	evWarmupEnd                   // statistics restart here
	evRetry                       // logical request id sends its next attempt
	evClientTimeout               // the earliest client deadline of queue sid has come
	evOps                         // the autoscaler, a boot, a failure or a repair (ops.go; sid: what)
	evChange                      // the scheduled change in timeline slot id applies
	evCoreFree                    // core sid of node id is done with a switch: gen is the core's state
	evGILTimer                    // request id's timed wait for its worker's GIL runs out
	evRespawn                     // worker gen of node id, killed by harakiri, is back
	evLoad                        // a closed workload's shaped population may change (load.go)
	evStage                       // stage id of the load shape ends (load.go)
	evDBCore                      // the query or slice of job id on core sid of its DB server ends; gen is the core's state
	evOffloadDone                 // a core of offload node sid finishes request id
)

// event is one entry of the event heap. It is a plain record, ordered by
// (t, seq): seq breaks ties in the order events were scheduled, which
// keeps runs deterministic.
type event struct {
	t    int64
	seq  uint64
	id   int32
	gen  uint32
	kind evKind
	sid  uint16
}

func (a *event) before(b *event) bool { return earlier(a.t, a.seq, b.t, b.seq) }

// earlier reports whether key (t, seq) orders before key (u, useq): the
// two as one 128-bit number, compared by a subtraction's borrow, which
// the compiler turns into flags for a conditional move rather than two
// branches that a heap's random order mispredicts.
func earlier(t int64, seq uint64, u int64, useq uint64) bool {
	_, b := bits.Sub64(seq, useq, 0)
	_, b = bits.Sub64(uint64(t)^1<<63, uint64(u)^1<<63, b)
	return b != 0
}

// beats is 1 if a is before b, else 0.
func beats(a, b *event) int {
	_, x := bits.Sub64(a.seq, b.seq, 0)
	_, x = bits.Sub64(uint64(a.t)^1<<63, uint64(b.t)^1<<63, x)
	return int(x)
}

// eventHeap is a 4-ary min-heap of events stored inline (no boxing): a
// shallower tree than a binary heap, with siblings on one cache line.
// Its size is kept apart from the slice, whose length is its capacity,
// so that a push or a pop writes one integer, not a slice header with
// the garbage collector's write barrier.
type eventHeap struct {
	ev []event // ev[:n] is the heap
	n  int
}

func (h *eventHeap) len() int { return h.n }

// events returns the pending events, in the heap's order.
func (h *eventHeap) events() []event { return h.ev[:h.n] }

// push adds e. The entries on its path move down one level each and e
// is written once, field by field, where it belongs: a swap would load
// the entry just stored whole, which waits for its narrow stores to
// reach the cache instead of forwarding them. For the same reason e's
// key is compared by value and its fields are copied one by one: e sits
// in memory (it has too many fields for registers), stored field by
// field, and one load of two of its fields would wait the same way.
func (h *eventHeap) push(e event) {
	i := h.n
	ev := h.ev
	if i >= len(ev) {
		h.grow()
		ev = h.ev
	}
	h.n = i + 1
	t, seq := e.t, e.seq
	for i > 0 {
		p := (i - 1) >> 2
		q := &ev[p]
		if earlier(q.t, q.seq, t, seq) {
			break
		}
		ev[i] = *q
		i = p
	}
	d := &ev[i]
	d.t, d.seq, d.id, d.gen, d.kind, d.sid = e.t, e.seq, e.id, e.gen, e.kind, e.sid
}

// grow makes room for one more event.
//
//go:noinline
func (h *eventHeap) grow() {
	h.ev = slices.Grow(h.ev[:h.n], 1)
	h.ev = h.ev[:cap(h.ev)]
}

// top returns the earliest event; the heap must not be empty.
func (h *eventHeap) top() *event { return &h.ev[0] }

// popTo moves the earliest event to *dst; the heap must not be empty.
// Entries move memory to memory, whole: an event returned in registers
// and stored by the caller field by field would be read back whole, by
// wide loads that wait for those narrow stores to reach the cache.
//
// The last entry sinks from the root to where it belongs. A full set of
// four children is compared without branches, by conditional moves: which
// child is earliest is a coin toss that a branch would mispredict.
func (h *eventHeap) popTo(dst *event) {
	ev := h.ev
	*dst = ev[0]
	n := h.n - 1
	h.n = n
	if n == 0 {
		return
	}
	last := &ev[n]
	i := 0
	for {
		c := 4*i + 1
		if c+3 < n {
			// a tournament, two pairs then their winners, in
			// arithmetic on the comparisons' borrows
			a := c + beats(&ev[c+1], &ev[c])
			b := c + 2 + beats(&ev[c+3], &ev[c+2])
			a ^= (a ^ b) & -beats(&ev[b], &ev[a])
			if !ev[a].before(last) {
				break
			}
			ev[i] = ev[a]
			i = a
			continue
		}
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < n; j++ {
			m ^= (m ^ j) & -beats(&ev[j], &ev[m])
		}
		if ev[m].before(last) {
			ev[i] = ev[m]
			i = m
		}
		break
	}
	ev[i] = *last
}
