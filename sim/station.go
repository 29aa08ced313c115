package sim

// Station ids: the cache, the offload service, then the database servers
// from sidDB on.
const (
	sidCache = iota
	sidOffload
	sidDB
)

// maxDBServers is how many database servers (primaries and replicas) a
// simulation may hold; a request's connections are a bit set over them.
const maxDBServers = 64

// station is a FIFO queue in front of a pool of identical servers: a
// database server's cores, the cache's single thread, the offload
// service's cores. Its capacity is stats.servers and may change while it
// runs.
type station struct {
	name  string
	q     fifo
	hop   int64 // network latency each way
	stats stationStats
	// agg, for database servers, gathers the statistics of all of them.
	agg *stationStats

	// database servers only
	db dbServer
}

func (st *station) addBusy(now int64, d int) {
	st.stats.addBusy(now, d)
	if st.agg != nil {
		st.agg.addBusy(now, d)
	}
}

func (st *station) addQueued(now int64, d int) {
	st.stats.addQueued(now, d)
	if st.agg != nil {
		st.agg.addQueued(now, d)
	}
}

func (st *station) setServers(now int64, n int) {
	if st.agg != nil {
		st.agg.setServers(now, st.agg.servers-st.stats.servers+n)
	}
	st.stats.setServers(now, n)
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
		if o.kind == opCPU { // the commonest step, ahead of the switch
			s.startCPU(id, s.demandAt(id, o.s.sample(r.serial, uint64(r.pc))))
			return
		}
		switch o.kind {
		case opNoGIL:
			r.nogil = true
			s.startCPU(id, s.demandAt(id, o.s.sample(r.serial, uint64(r.pc))))
			return
		case opIO:
			s.setState(id, stIO)
			s.after(o.s.sample(r.serial, uint64(r.pc)), evIODone, id)
			return
		case opDB, opWrite:
			s.query(id, s.primary(s.pickRow(id)))
			return
		case opRead:
			s.query(id, s.readServer(id, s.pickRow(id)))
			return
		case opBuy:
			r.phase, r.tries = 0, 0
			r.item = s.stock.pickItem(r.serial, uint64(r.pc))
			s.buyNext(id)
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
			if s.cache.down {
				// the connection is refused: a miss, no operation
				s.cache.misses++
				r.pc++
				continue
			}
			r.key = s.cache.pickKey(r.serial, uint64(r.pc))
			s.visit(id, sidCache)
			return
		case opCacheSet:
			if !s.cache.on || s.cache.down {
				r.pc++
				continue
			}
			s.visit(id, sidCache)
			return
		}
	}
}

// visit sends request id to station sid, over its network hop.
func (s *Sim) visit(id int32, sid int) {
	r := &s.reqs[id]
	r.sid = uint16(sid)
	if hop := s.stations[sid].hop; hop > 0 {
		s.setState(id, stHopTo)
		s.after(hop, evHop, id)
		return
	}
	s.arrive(id)
}

// arrive: request id reaches its station. A SELECT ... FOR UPDATE first
// takes its row lock, waiting inside the database without a core.
func (s *Sim) arrive(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	st.stats.arrivals++
	if st.agg != nil {
		st.agg.arrivals++
	}
	if r.sid >= sidDB && s.wantsRowLock(id) && !s.lockRow(id) {
		return
	}
	s.queueForServer(id)
}

// queueForServer starts request id's service at its station now if a
// server is free, else queues it.
func (s *Sim) queueForServer(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	r.enq = s.now
	switch {
	case r.sid >= sidDB && !st.db.down:
		s.dbServe(id)
		return
	case r.sid == sidOffload:
		s.offloadArrive(id)
		return
	case r.sid < sidDB && st.stats.busy < st.stats.servers:
		s.serve(id)
		return
	}
	r.qpos = st.q.push(id)
	st.addQueued(s.now, 1)
	s.setState(id, stQueue)
}

// serve starts request id's service at its station.
func (s *Sim) serve(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	d := s.slowed(tierCache, s.serviceTime(r))
	s.startService(st, id, d)
	s.schedule(event{t: s.in(d), kind: evStationDone, id: id, gen: r.gen, sid: r.sid})
}

// startService counts the start of request id's service of d ns at
// station st, a server of which is now busy with it.
func (s *Sim) startService(st *station, id int32, d int64) {
	st.addBusy(s.now, 1)
	st.stats.started(s.now - s.reqs[id].enq)
	st.stats.service(d)
	s.setState(id, stService)
}

// serviceTime draws the service time of request r at its station.
func (s *Sim) serviceTime(r *request) int64 {
	if r.internal {
		return s.stock.query.sample(r.serial, occOrder)
	}
	k := uint64(r.pc)
	if s.progs[r.prog].ops[r.pc].kind == opBuy {
		k = buyOccasion(r)
		if r.sid != sidCache {
			return s.stock.query.sample(r.serial, k)
		}
	}
	if r.sid == sidCache {
		return s.cache.latency.sample(r.serial, k)
	}
	return s.progs[r.prog].ops[r.pc].s.sample(r.serial, k)
}

// onStationDone frees the server. The server finishes its work even when
// the request was killed meanwhile (a query runs on after its client
// died); only a live request goes on. What a query changes in the
// database happens here, when it commits.
func (s *Sim) onStationDone(e *event) {
	st := &s.stations[e.sid]
	st.addBusy(s.now, -1)
	st.stats.completions++
	if st.agg != nil {
		st.agg.completions++
	}
	for st.stats.busy < st.stats.servers && st.q.len() > 0 {
		next := st.q.pop()
		st.addQueued(s.now, -1)
		s.serve(next)
	}
	if r := &s.reqs[e.id]; r.gen == e.gen && r.state == stService {
		s.stationReturn(e.id)
	}
}

// stationReturn: request id's service is over and it is alive. What the
// service changed commits; the request goes back over the hop.
func (s *Sim) stationReturn(id int32) {
	st := &s.stations[s.reqs[id].sid]
	s.commit(id)
	if st.hop > 0 {
		s.setState(id, stHopBack)
		s.after(st.hop, evHop, id)
		return
	}
	s.leaveStation(id)
}

// commit applies what request id's finished service changes: the
// replicas' lag clock for writes, the stock for buys and orders.
func (s *Sim) commit(id int32) {
	r := &s.reqs[id]
	if r.internal {
		s.orderCommitted(id)
		return
	}
	switch s.progs[r.prog].ops[r.pc].kind {
	case opWrite:
		s.noteWrite(int(r.sid), r.row)
	case opRead:
		s.noteRead(int(r.sid), r.row)
	case opBuy:
		s.buyCommit(id)
	}
}

// leaveStation moves request id past the step it was served for.
func (s *Sim) leaveStation(id int32) {
	r := &s.reqs[id]
	if r.sid >= sidDB {
		s.queryDone(id)
	}
	if r.internal {
		s.orderDone(id)
		return
	}
	o := &s.progs[r.prog].ops[r.pc]
	switch o.kind {
	case opCacheGet:
		if s.cache.lookup(r.key, s.now, r.serial, uint64(r.pc)) {
			r.pc = o.hit
		} else {
			r.pc++
		}
	case opCacheSet:
		s.cache.set(r.key, s.now)
		r.pc++
	case opBuy:
		s.buyNext(id)
		return
	default:
		r.pc++
	}
	s.goOnFromWait(id)
}

// onHop ends a network hop of request id.
func (s *Sim) onHop(id int32) {
	r := &s.reqs[id]
	switch r.state {
	case stLB:
		s.lbUnlink(id)
		s.admit(id, int(r.node))
	case stHopTo:
		s.arrive(id)
	case stHopBack:
		s.leaveStation(id)
	case stReply:
		s.complete(id)
	}
}
