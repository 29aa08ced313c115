package sim

import (
	"math"

	"scalesim/topology"
)

// Clients: a logical request's record, its client's timeout on each
// attempt, and its retries with their backoff and budget (see end.go for
// the two levels counted).
//
// A client that times out stops waiting; the server does not notice (a
// uWSGI worker learns of a closed connection only when it writes the
// answer, and a request in the listen backlog is still read and run), so
// the attempt runs to its end and its work is wasted. Deadlines are
// constant per class, so they come in the order attempts were sent: they
// wait in FIFOs, one per timeout value, with only each FIFO's earliest
// on the event heap, as harakiri's do.

// logical is one logical request in flight: sent and not yet ended.
type logical struct {
	gen      uint32
	attempts uint16 // attempts sent so far
	class    int32
	user     int32 // closed workload: the user who sent it; -1 when open
	cur      int32 // the attempt its client waits for; -1 between attempts
	sent     int64 // when its client sent the first attempt
	serial   uint64
	last     outcome // its last attempt's outcome, while a retry is pending
}

// clientCfg is one class's client policy, in the engine's units.
type clientCfg struct {
	timeout  int64 // 0: waits forever
	attempts int   // at most, the first included; 1: no retries
	backoff  float64
	mult     float64
	maxBack  float64
	jitter   bool
	on       topology.RetryOn
	budget   *bucket
}

// bucket is gRPC's retry throttling (topology.Budget): a token bucket
// full at the start; a retryable failure takes a token, an answered
// attempt gives back ratio of one, and a retry goes out only while more
// than half the tokens are left.
type bucket struct {
	conf   topology.Budget
	tokens float64
}

func (b *bucket) failure()     { b.tokens = max(0, b.tokens-1) }
func (b *bucket) success()     { b.tokens = min(b.conf.Tokens, b.tokens+b.conf.Ratio) }
func (b *bucket) allows() bool { return b.tokens > b.conf.Tokens/2 }

// clients is the client side of the simulation.
type clients struct {
	reqs    []logical
	free    []int32
	waiting int    // logical requests in flight
	serial  uint64 // logical requests sent so far
	cfg     []clientCfg
	timed   bool           // some class's client has a timeout
	direct  bool           // no class's client times out, retries or keeps a budget
	tq      []timeoutQueue // pending client deadlines
	jitter  *stream
}

// lidSelf is the lid of an attempt that is its own logical request:
// sent while no client timed out, retried or kept a budget, it carries
// what its record would (its class, serial and user, and its arrival is
// when it was sent), so that its client's record is neither made nor
// read. An edit that gives clients a policy later gives it a record when
// it ends (giveRecord), and the policy then in force decides what its end
// means, as it would have had the record been made when it was sent.
const lidSelf int32 = -2

func (c *clients) init(seed uint64) { c.jitter = newStream(seed, "client/jitter") }

// configure compiles the classes' client policies. A class whose budget
// is unchanged keeps its bucket and its tokens; inv[ci] is where class
// ci was before the edit (-1: a new class).
func (c *clients) configure(t *topology.Topology, inv []int32) {
	old := c.cfg
	c.cfg = make([]clientCfg, len(t.Workload.Requests))
	c.timed, c.direct = false, true
	for ci := range t.Workload.Requests {
		cl := t.Workload.Requests[ci].Client
		cfg := clientCfg{attempts: 1}
		if cl != nil {
			cfg.timeout = int64(cl.Timeout)
			if r := cl.Retry; r != nil {
				cfg.attempts, cfg.on = r.Attempts, r.On
				cfg.backoff, cfg.mult, cfg.maxBack = float64(r.Backoff), r.Multiplier, float64(r.MaxBackoff)
				cfg.jitter = r.Jitter == topology.FullJitter
			}
			if b := cl.Budget; b != nil {
				if oi := inv[ci]; oi >= 0 && int(oi) < len(old) && old[oi].budget != nil && old[oi].budget.conf == *b {
					cfg.budget = old[oi].budget
				} else {
					cfg.budget = &bucket{conf: *b, tokens: b.Tokens}
				}
			}
		}
		c.cfg[ci] = cfg
		c.timed = c.timed || cfg.timeout > 0
		c.direct = c.direct && cfg.timeout == 0 && cfg.attempts <= 1 && cfg.budget == nil
	}
}

// policy returns class ci's policy; a class removed by a live edit has
// none (its requests in flight are not retried).
func (c *clients) policy(ci int32) *clientCfg {
	if int(ci) >= len(c.cfg) {
		return nil
	}
	return &c.cfg[ci]
}

func (c *clients) budget(ci int32) *bucket {
	if p := c.policy(ci); p != nil {
		return p.budget
	}
	return nil
}

// alloc returns a fresh logical request id.
func (c *clients) alloc() int32 {
	var lid int32
	if n := len(c.free); n > 0 {
		lid = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		c.reqs = append(c.reqs, logical{})
		lid = int32(len(c.reqs) - 1)
	}
	c.waiting++
	return lid
}

func (c *clients) release(lid int32) {
	c.reqs[lid].gen++
	c.free = append(c.free, lid)
	c.waiting--
}

// newLogical records a new logical request of class ci from user u (-1
// for the open workload), sent now.
func (s *Sim) newLogical(u, ci int32) int32 {
	c := &s.cl
	lid := c.alloc()
	l := &c.reqs[lid]
	// field by field: a literal copied whole stalls on its narrow stores
	l.attempts, l.class, l.user, l.cur, l.sent, l.serial, l.last = 0, ci, u, -1, s.now, c.serial, outcome{}
	c.serial++
	s.run.Logical.Sent++
	s.winCounts.Logical.Sent++
	return lid
}

// giveRecord gives attempt id, its own logical request (lidSelf), the
// record of one attempt sent when it arrived, whose client waits for it.
func (s *Sim) giveRecord(id int32) int32 {
	c := &s.cl
	lid := c.alloc()
	c.waiting-- // counted when it was sent
	r := &s.reqs[id]
	l := &c.reqs[lid]
	l.attempts, l.class, l.user, l.cur, l.sent, l.serial, l.last = 1, r.class, r.user, id, r.arrive, r.serial, outcome{}
	r.lid = lid
	return lid
}

// link makes attempt id the attempt logical request lid's client now
// waits for, counting it as a retry when it is not the first.
func (s *Sim) link(id, lid int32) {
	l := &s.cl.reqs[lid]
	l.attempts++
	if l.attempts > 1 {
		s.run.Retries++
		s.winCounts.Retries++
	}
	l.cur = id
	r := &s.reqs[id]
	r.lid = lid
	r.class = l.class
	r.serial, r.try = l.serial, l.attempts-1
}

// armClientTimeout starts the client's wait for attempt id, sent now.
func (s *Sim) armClientTimeout(id int32) {
	p := s.cl.policy(s.reqs[id].class)
	if p == nil || p.timeout == 0 || s.in(p.timeout) == never {
		return
	}
	qi := -1
	for i := range s.cl.tq {
		if s.cl.tq[i].after == p.timeout {
			qi = i
			break
		}
	}
	if qi < 0 {
		s.cl.tq = append(s.cl.tq, timeoutQueue{after: p.timeout})
		qi = len(s.cl.tq) - 1
	}
	s.cl.tq[qi].push(deadline{at: s.now + p.timeout, id: id, gen: s.reqs[id].gen})
	s.armClientQueue(qi)
}

// armClientQueue puts the earliest deadline of queue qi on the heap,
// if none is. Deadlines of attempts answered already are dropped first:
// most attempts end long before their client would give up, and an
// event for each would fire only to find it gone.
func (s *Sim) armClientQueue(qi int) {
	q := &s.cl.tq[qi]
	if q.armed {
		return
	}
	for q.n > 0 && s.answered(q.peek()) {
		q.pop()
	}
	if q.n == 0 {
		return
	}
	q.armed = true
	s.schedule(event{t: q.peek().at, kind: evClientTimeout, sid: uint16(qi)})
}

// onClientTimeouts: the clients of every attempt of queue qi whose
// deadline has come, and that is still running, stop waiting for it.
func (s *Sim) onClientTimeouts(qi int) {
	q := &s.cl.tq[qi]
	q.armed = false
	for q.n > 0 && q.peek().at <= s.now {
		d := *q.peek()
		q.pop()
		if s.answered(&d) || s.reqs[d.id].state == stFree {
			continue
		}
		r := &s.reqs[d.id]
		lid := r.lid
		r.lid = -1 // the server carries on; nobody waits for the answer
		s.cl.reqs[lid].cur = -1
		if o := abandonedByClient(); !s.retry(lid, o) {
			s.finish(lid, o)
		}
		q = &s.cl.tq[qi]
	}
	s.armClientQueue(qi)
}

// answered reports whether the attempt of client deadline d has its
// answer already, or its client stopped waiting for it.
func (s *Sim) answered(d *deadline) bool {
	r := &s.reqs[d.id]
	return r.gen != d.gen || r.lid == -1
}

// retryOn is the policy's name for outcome o.
func retryOn(o outcome) topology.RetryOn {
	switch o.kind {
	case outAbandoned:
		return topology.OnTimeout
	case outDropped:
		return topology.OnDropped
	case outFailed:
		return topology.OnFailed
	}
	return 0
}

// retry schedules the next attempt of logical request lid after outcome
// o of its last one, if its policy retries o, it has attempts left and
// its budget allows; it reports whether it did.
func (s *Sim) retry(lid int32, o outcome) bool {
	l := &s.cl.reqs[lid]
	p := s.cl.policy(l.class)
	if p == nil || p.on&retryOn(o) == 0 {
		return false
	}
	if p.budget != nil {
		p.budget.failure()
	}
	if int(l.attempts) >= p.attempts {
		return false
	}
	if p.budget != nil && !p.budget.allows() {
		s.run.Logical.Throttled++
		s.winCounts.Logical.Throttled++
		return false
	}
	l.last = o
	s.schedule(event{t: s.in(s.backoff(p, int(l.attempts), l.serial)), kind: evRetry, id: lid, gen: l.gen})
	return true
}

// backoff is the wait before retry n (from 1) of request serial:
// min(max_backoff, backoff × multiplier^(n-1)), or with full jitter a
// uniform draw below that, keyed by (serial, n).
func (s *Sim) backoff(p *clientCfg, n int, serial uint64) int64 {
	d := math.Min(p.maxBack, p.backoff*math.Pow(p.mult, float64(n-1)))
	if p.jitter {
		d *= s.cl.jitter.at(serial, uint64(n)).Float64()
	}
	return nanos(d)
}

// onRetry sends the next attempt of logical request e.id.
func (s *Sim) onRetry(e *event) {
	l := &s.cl.reqs[e.id]
	if l.gen != e.gen {
		return
	}
	if int(l.class) >= len(s.classes) {
		s.finish(e.id, l.last) // its class is gone: nobody retries it
		return
	}
	s.attempt(e.id)
}
