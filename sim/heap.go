package sim

import "slices"

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

func (a *event) before(b *event) bool {
	return a.t < b.t || (a.t == b.t && a.seq < b.seq)
}

// eventHeap is a 4-ary min-heap of events stored inline (no boxing): a
// shallower tree than a binary heap, with siblings on one cache line.
type eventHeap struct {
	ev []event
}

func (h *eventHeap) len() int { return len(h.ev) }

// push adds e. The entries on its path move down one level each and e
// is written once, field by field, where it belongs: a swap would load
// the entry just stored whole, which waits for its narrow stores to
// reach the cache instead of forwarding them. For the same reason e's
// key is compared by value and its fields are copied one by one: e sits
// in memory (it has too many fields for registers), stored field by
// field, and one load of two of its fields would wait the same way.
func (h *eventHeap) push(e event) {
	if len(h.ev) == cap(h.ev) {
		h.grow()
	}
	ev := h.ev[:len(h.ev)+1]
	h.ev = ev
	t, seq := e.t, e.seq
	i := len(ev) - 1
	for i > 0 {
		p := (i - 1) / 4
		q := &ev[p]
		if q.t < t || (q.t == t && q.seq < seq) {
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
func (h *eventHeap) grow() { h.ev = slices.Grow(h.ev, 1) }

// top returns the earliest event; the heap must not be empty.
func (h *eventHeap) top() *event { return &h.ev[0] }

// popTo moves the earliest event to *dst; the heap must not be empty.
// Entries move memory to memory, whole: an event returned in registers
// and stored by the caller field by field would be read back whole, by
// wide loads that wait for those narrow stores to reach the cache.
func (h *eventHeap) popTo(dst *event) {
	ev := h.ev
	*dst = ev[0]
	n := len(ev) - 1
	if n == 0 {
		h.ev = ev[:0]
		return
	}
	last := &ev[n]
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if ev[j].before(&ev[m]) {
				m = j
			}
		}
		if !ev[m].before(last) {
			break
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = *last
	h.ev = ev[:n]
}
