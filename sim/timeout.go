package sim

// Harakiri timeouts. Every request on a worker has one, a constant time
// after it started, so deadlines arrive in the order requests started:
// they wait in a FIFO, and only the earliest is on the event heap. That
// keeps the heap as small as the work in progress instead of growing
// with the rate times the timeout. A live change of the timeout starts a
// new FIFO; the old one drains.

type deadline struct {
	at    int64
	start int64 // when the request took its worker
	id    int32
	gen   uint32
}

type timeoutQueue struct {
	after int64
	buf   []deadline
	head  int
	n     int
	armed bool // the head's event is on the heap
}

func (q *timeoutQueue) push(d deadline) {
	if q.n == len(q.buf) {
		size := max(16, 2*len(q.buf))
		nb := make([]deadline, size)
		for i := 0; i < q.n; i++ {
			nb[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = d
	q.n++
}

func (q *timeoutQueue) peek() *deadline { return &q.buf[q.head] }

func (q *timeoutQueue) pop() {
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
}

// armTimeout gives request id, starting now, its deadline.
func (s *Sim) armTimeout(id int32) {
	after := s.appCfg.timeout
	if s.in(after) >= never-harakiriCheck {
		return // a deadline the clock never reaches
	}
	var q *timeoutQueue
	for i := range s.tq {
		if s.tq[i].after == after {
			q = &s.tq[i]
			break
		}
	}
	if q == nil {
		s.tq = append(s.tq, timeoutQueue{after: after})
		q = &s.tq[len(s.tq)-1]
	}
	// uWSGI's master checks the workers once a second, in whole seconds
	at := (s.now + after) / harakiriCheck * harakiriCheck
	if at <= s.now+after {
		at += harakiriCheck
	}
	q.push(deadline{at: at, start: s.now, id: id, gen: s.reqs[id].gen})
	s.armQueue(q, len(s.tq)-1)
}

func (s *Sim) armQueue(q *timeoutQueue, qi int) {
	if q.armed || q.n == 0 {
		return
	}
	for i := range s.tq {
		if &s.tq[i] == q {
			qi = i
		}
	}
	q.armed = true
	s.schedule(event{t: q.peek().at, kind: evTimeout, sid: uint16(qi)})
}

// onTimeouts kills every request of queue qi whose deadline has come and
// that still runs on the worker it started on.
func (s *Sim) onTimeouts(qi int) {
	q := &s.tq[qi]
	q.armed = false
	for q.n > 0 && q.peek().at <= s.now {
		d := *q.peek()
		q.pop()
		r := &s.reqs[d.id]
		if r.gen == d.gen && r.state.onWorker() && r.start == d.start {
			s.timeouts++
			s.harakiri(int(r.node), r.worker)
			q = &s.tq[qi]
		}
	}
	s.armQueue(q, qi)
}
