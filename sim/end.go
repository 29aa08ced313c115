package sim

// Where requests end. Two levels are counted, and each has one place
// where its requests end:
//
//   - An attempt is one trip of a request through the load balancer. It
//     ends in end, exactly once: completed (the server answered),
//     dropped at the door (by cause) or failed (by cause). Over a whole
//     run, arrived = completed + dropped + failed + in flight, counting
//     attempts.
//   - A logical request is what a client asked for, across its attempts
//     (a retry is a new attempt of it). It ends in finish, exactly once:
//     goodput (an answer reached its client while it waited), dropped or
//     failed (its last attempt was, and no retry followed), or abandoned
//     (its client timed out and did not retry). Over a whole run, sent =
//     goodput + dropped + failed + abandoned + waiting.
//
// The levels meet in two identities: arrived = sent + retries, and
// completed = goodput + wasted, where wasted attempts completed after
// their client had stopped waiting for them. Without a client policy
// every logical request is one attempt and the levels agree.

// outKind is how an attempt or a logical request ended.
type outKind uint8

const (
	outCompleted outKind = iota
	outDropped
	outFailed
	outAbandoned // only a logical request: its client gave up
)

// outcome is an ending with its cause.
type outcome struct {
	kind outKind
	drop dropCause
	fail failCause
}

func completedOK() outcome            { return outcome{kind: outCompleted} }
func droppedBy(why dropCause) outcome { return outcome{kind: outDropped, drop: why} }
func failedBy(why failCause) outcome  { return outcome{kind: outFailed, fail: why} }
func abandonedByClient() outcome      { return outcome{kind: outAbandoned} }

// attempt counts an attempt's end.
func (c *Counts) attempt(o outcome) {
	switch o.kind {
	case outCompleted:
		c.Completed++
	case outDropped:
		c.drop(o.drop)
	case outFailed:
		c.fail(o.fail)
	}
}

// logical counts a logical request's end.
func (c *Counts) logical(o outcome) {
	l := &c.Logical
	switch o.kind {
	case outCompleted:
		l.Goodput++
	case outDropped:
		l.Dropped++
	case outFailed:
		l.Failed++
	case outAbandoned:
		l.Abandoned++
	}
}

// end is where every attempt ends: it counts the outcome over the whole
// run and in the window, recycles the attempt, and tells its client, if
// one still waits for it. The attempt must hold nothing any more (no
// worker slot, no queue place, no node's in-flight count).
func (s *Sim) end(id int32, o outcome) {
	r := &s.reqs[id]
	lid := r.lid
	if lid == lidSelf && !s.cl.direct {
		lid = s.giveRecord(id) // a client policy came since it was sent
	}
	if o.kind == outCompleted {
		s.completed++
		s.winCounts.Completed++
		if lid == -1 {
			s.run.Wasted++
			s.winCounts.Wasted++
		}
	} else {
		s.run.attempt(o)
		s.winCounts.attempt(o)
	}
	if lid == lidSelf {
		u, ci, sent, serial := r.user, r.class, r.arrive, r.serial
		s.release(id)
		if o.kind == outCompleted {
			s.goodput(ci, s.now-sent)
		}
		s.finished(o)
		s.cl.waiting--
		if u >= 0 {
			s.userDone(u, sent, serial, o.kind != outCompleted)
		}
		return
	}
	s.release(id)
	if lid >= 0 {
		s.answer(lid, o)
	}
}

// answer: the client of logical request lid gets outcome o of the
// attempt it waited for. A completion is goodput; anything else is
// retried if the policy says so, else it is the request's end.
func (s *Sim) answer(lid int32, o outcome) {
	l := &s.cl.reqs[lid]
	l.cur = -1
	if o.kind == outCompleted {
		if b := s.cl.budget(l.class); b != nil {
			b.success()
		}
		s.goodput(l.class, s.now-l.sent)
		s.finish(lid, o)
		return
	}
	if !s.retry(lid, o) {
		s.finish(lid, o)
	}
}

// goodput records the latency lat of an answer of class ci that reached
// its client while it waited.
func (s *Sim) goodput(ci int32, lat int64) {
	i := histIndex(lat)
	s.classLat.record(ci, i, lat, s.latency.window())
	s.latency.record(i, lat)
	s.life.complete(ci, i, lat)
	if s.ops.scaler.lat != nil {
		s.observeLatency(i, lat)
	}
}

// finish is where every logical request with a record ends: counted
// once, its record recycled, and its user (in a closed workload) thinks
// again. An attempt that is its own logical request (lidSelf) ends as
// one in end, through finished and userDone.
func (s *Sim) finish(lid int32, o outcome) {
	s.finished(o)
	l := &s.cl.reqs[lid]
	u, sent, serial := l.user, l.sent, l.serial
	paced := o.kind != outCompleted && l.attempts <= 1 // not retried: its policy waited for nothing
	s.cl.release(lid)
	if u >= 0 {
		s.userDone(u, sent, serial, paced)
	}
}

// finished counts a logical request's end, over the run and the window.
func (s *Sim) finished(o outcome) {
	s.run.logical(o)
	s.winCounts.logical(o)
}
