package sim

// Station ids of the shared FIFO multi-server stations.
const (
	sidDB = iota
	sidCache
	sidOffload
	numStations
)

// station is a FIFO queue in front of a pool of identical servers: the
// database's cores, the cache's single thread, the offload service's
// cores. Its capacity is stats.servers and may change while it runs.
type station struct {
	name  string
	q     fifo
	hop   int64 // network latency each way
	stats stationStats
}

// step runs request id's program from its pc until the request must wait.
func (s *Sim) step(id int32) {
	r := &s.reqs[id]
	ops := s.progs[r.prog].ops
	for {
		if int(r.pc) >= len(ops) {
			s.finishWork(id)
			return
		}
		o := &ops[r.pc]
		switch o.kind {
		case opCPU:
			s.startCPU(id, o.s.sample())
			return
		case opIO:
			r.state = stIO
			s.after(o.s.sample(), evIODone, id)
			return
		case opDB:
			s.visit(id, sidDB)
			return
		case opOffload:
			s.visit(id, sidOffload)
			return
		case opCacheGet:
			if !s.cache.on {
				// No cache: every read goes to the miss path, with no
				// cache operations at all.
				r.pc++
				continue
			}
			r.key = s.cache.pickKey()
			s.visit(id, sidCache)
			return
		case opCacheSet:
			if !s.cache.on {
				r.pc++
				continue
			}
			s.visit(id, sidCache)
			return
		}
	}
}

// visit sends request id to station sid, over its network hop.
func (s *Sim) visit(id int32, sid uint8) {
	r := &s.reqs[id]
	r.sid = sid
	if hop := s.stations[sid].hop; hop > 0 {
		r.state = stHopTo
		s.after(hop, evHop, id)
		return
	}
	s.arrive(id)
}

func (s *Sim) arrive(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	st.stats.arrivals++
	r.enq = s.now
	if st.stats.busy < st.stats.servers {
		s.serve(id)
		return
	}
	st.q.push(id)
	st.stats.addQueued(s.now, 1)
	r.state = stQueue
}

// serve starts request id's service at its station.
func (s *Sim) serve(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	var d int64
	if r.sid == sidCache {
		d = s.cache.latency.sample()
	} else {
		d = s.progs[r.prog].ops[r.pc].s.sample()
	}
	st.stats.addBusy(s.now, 1)
	st.stats.started(s.now - r.enq)
	st.stats.serviceSum += float64(d)
	r.state = stService
	s.schedule(event{t: s.now + d, kind: evStationDone, id: id, gen: r.gen, sid: r.sid})
}

// onStationDone frees the server. The server finishes its work even when
// the request was killed meanwhile (a query runs on after its client
// died); only a live request goes on.
func (s *Sim) onStationDone(e *event) {
	st := &s.stations[e.sid]
	st.stats.addBusy(s.now, -1)
	st.stats.completions++
	st.stats.lifeCompletions++
	for st.stats.busy < st.stats.servers && st.q.len() > 0 {
		next := st.q.pop()
		st.stats.addQueued(s.now, -1)
		s.serve(next)
	}
	r := &s.reqs[e.id]
	if r.gen != e.gen || r.state != stService {
		return
	}
	if st.hop > 0 {
		r.state = stHopBack
		s.after(st.hop, evHop, e.id)
		return
	}
	s.leaveStation(e.id)
}

// leaveStation moves request id past the step it was served for.
func (s *Sim) leaveStation(id int32) {
	r := &s.reqs[id]
	o := &s.progs[r.prog].ops[r.pc]
	switch o.kind {
	case opCacheGet:
		if s.cache.lookup(r.key, s.now) {
			r.pc = o.hit
		} else {
			r.pc++
		}
	case opCacheSet:
		s.cache.set(r.key, s.now)
		r.pc++
	default:
		r.pc++
	}
	s.step(id)
}

// onHop ends a network hop of request id.
func (s *Sim) onHop(id int32) {
	r := &s.reqs[id]
	switch r.state {
	case stLB:
		s.admit(id, int(r.node))
	case stHopTo:
		s.arrive(id)
	case stHopBack:
		s.leaveStation(id)
	case stReply:
		s.complete(id)
	}
}
