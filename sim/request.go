package sim

// reqState says where a request is; it decides what killing it must undo.
type reqState uint8

const (
	stFree     reqState = iota // not in use
	stLB                       // on the network hop from the LB to its node
	stBacklog                  // waiting in its node's backlog for a worker slot
	stWaitGIL                  // on a worker, waiting for the worker's GIL
	stWaitCore                 // holding the GIL (if any), waiting for a core
	stCPU                      // running on a core
	stIO                       // waiting on io outside the topology
	stHopTo                    // on the network hop to station sid
	stQueue                    // waiting in station sid's queue
	stService                  // being served by station sid
	stPoolWait                 // waiting for a pooler connection to DB server sid
	stLockWait                 // inside DB server sid, waiting for a row lock
	stHopBack                  // on the network hop back from station sid
	stReply                    // done on its node, answer on its way to the client
)

// onWorker reports whether a request in state st holds a worker slot.
func (st reqState) onWorker() bool { return st >= stWaitGIL && st <= stHopBack }

// request is one request in flight. Requests live in a slab indexed by
// int32 ids and are recycled through a free list, so the steady state
// allocates nothing. gen changes every time an id is recycled or its
// request killed: an event carrying an older gen is stale.
type request struct {
	gen    uint32
	state  reqState
	serial uint64 // its logical request's serial: the key of its random draws (rng.go)
	try    uint16 // which attempt of it, from 0
	sid    uint16 // station, in the station states
	class  int32
	prog   int32 // index into Sim.progs
	pc     int32
	node   int32
	worker int32
	lid    int32  // the logical request whose client waits for it (client.go); -1 once none does, lidSelf when it is its own
	key    int32  // cache key of the current cache step
	row    int32  // database row of the current query; -1 when rows are not modelled
	user   int32  // with lid == lidSelf: the user who sent it (closed workload); -1 when open
	arrive int64  // when the client sent it (a queued order: when it was sold)
	start  int64  // when it took a worker slot
	enq    int64  // when it began its current wait
	qpos   uint64 // its position in the queue it waits in (fifo.push)
	demand int64  // CPU ns of the current cpu step
	remain int64  // CPU ns left of the current cpu step
	wait   int64  // ns waited so far in the current cpu step
	// the OS thread it runs on and the scheduler's view of it
	thread    int32 // of its worker (threads); 0 for sync and gevent
	wPrev     int32 // the requests on the same worker, a list; -1 at its ends
	wNext     int32
	core      int32  // the core it runs on, in state stCPU
	ranFrom   int64  // since when its CPU time on that core is not yet charged
	gilSwitch uint32 // the GIL's switch number when its timed wait began
	gilSeq    uint16 // numbers its timed waits, so that an old timer is stale
	inSwitch  bool   // waits for another thread to take the GIL it dropped
	gilWoken  bool   // signalled by the GIL's release, not yet run
	gilTimed  bool   // woken by its timed wait's end, not yet run
	nogil     bool   // its cpu step is a nogil step's, run without the GIL (gil.go)
	retake    bool   // its cpu step is the GIL taken back after a wait, of no CPU (gil.go)

	// database
	conns    uint64 // DB servers (bit k: station sidDB+k) it holds a connection to
	poolHeld int16  // DB server whose pooler connection it holds; -1 if none
	onode    int16  // the offload node its call went to (offload.go)
	// buy step
	phase    uint8  // sub-step in progress
	tries    uint8  // optimistic retries so far
	ok       bool   // the last write took effect
	lockHeld bool   // holds its item's row lock
	internal bool   // a queued order written by a consumer, not a client's request
	item     int32  // stock item
	val      int64  // stock value it read
	ver      uint32 // row version it read
	// stockPhase is the stock phase its transaction began in: its lost
	// updates are that phase's; strategy is the strategy it runs to its
	// end, whatever is deployed meanwhile
	stockPhase uint32
	strategy   strategy
	lockT      int64    // when it asked for or got the row lock
	cat        activity // what its worker slot is counted as doing
}

// activity is what a worker slot is doing, as the dashboard shows it.
type activity uint8

const (
	actNone activity = iota // not on a worker
	actCPU
	actWaitGIL
	actWaitCore
	actIO
	actDB
	actCache
	actOffload
	numActivities
)

// activityOf says what a request in state st at station sid does with its
// worker slot.
func activityOf(st reqState, sid uint16) activity {
	if a := stateActivity[st]; a != actStation {
		return a
	}
	switch {
	case sid >= sidDB:
		return actDB
	case sid == sidCache:
		return actCache
	}
	return actOffload
}

// actStation marks, in stateActivity, the states at a station, whose
// activity is the station's.
const actStation = numActivities

// stateActivity is the activity of a request in each state.
var stateActivity = [256]activity{
	stFree: actNone, stLB: actNone, stBacklog: actNone, stReply: actNone,
	stWaitGIL: actWaitGIL, stWaitCore: actWaitCore, stCPU: actCPU, stIO: actIO,
	stHopTo: actStation, stQueue: actStation, stService: actStation,
	stPoolWait: actStation, stLockWait: actStation, stHopBack: actStation,
}

// setState moves request id to state st, keeping its worker's activity
// counts, so that a snapshot reads them without walking every request.
func (s *Sim) setState(id int32, st reqState) {
	r := &s.reqs[id]
	r.state = st
	if stateActivity[st] != r.cat { // off a worker, both are actNone but at a station
		s.moveActivity(r)
	}
}

// moveActivity counts request r's worker slot as doing what its state
// does, if it is not already.
//
//go:noinline
func (s *Sim) moveActivity(r *request) {
	a := activityOf(r.state, r.sid)
	if a == r.cat || r.worker < 0 {
		return
	}
	n := s.nodes[r.node]
	act := &n.workers[r.worker].act
	act[r.cat&7]--
	act[a&7]++
	n.act[r.cat&7]--
	n.act[a&7]++
	r.cat = a
}

// alloc returns a fresh request id.
func (s *Sim) alloc() int32 {
	n := len(s.free)
	if n == 0 {
		s.growReqs()
		n = len(s.free)
	}
	id := s.free[n-1]
	s.free = s.free[:n-1]
	r := &s.reqs[id]
	gen := r.gen
	// zeroed in place, then the fields that do not start at zero: a
	// composite literal would be built on the stack by narrow stores and
	// copied by wide loads, which wait for those stores to retire
	*r = request{}
	r.gen, r.node, r.worker, r.lid, r.poolHeld = gen, -1, -1, -1, -1
	s.live++
	return id
}

// growReqs adds one request record to the slab, on the free list.
func (s *Sim) growReqs() {
	s.reqs = append(s.reqs, request{})
	s.free = append(s.free, int32(len(s.reqs)-1))
}

// allocInternal returns a fresh id for the engine's own work (a queued
// order): it is not a client's request and not counted in flight.
func (s *Sim) allocInternal() int32 {
	id := s.alloc()
	s.live--
	s.reqs[id].internal = true
	return id
}

// release recycles id; its pending events become stale.
func (s *Sim) release(id int32) {
	r := &s.reqs[id]
	r.gen++
	r.state = stFree
	s.free = append(s.free, id)
	if !r.internal {
		s.live--
	}
}
