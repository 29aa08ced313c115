package sim

import (
	"slices"

	"scalesim/topology"
)

// workerCfg is what every worker process of the app tier is like.
type workerCfg struct {
	slots    int   // threads or greenlets (1 for sync)
	lock     bool  // one slot at a time runs cpu: the GIL, or gevent's single OS thread
	quantum  int64 // GIL switch interval for threads; 0 runs a cpu step to its end
	memory   int64 // resident memory of the process with its slots
	backlog  int   // per node; topology.Unlimited for none
	timeout  int64 // harakiri; 0 for none
	respawn  int64 // how long a worker killed by harakiri takes to come back
	nodeMem  int64 // memory of a node; 0 when not modelled
	cores    int
	workers  int
	cpuScale float64
	gevent   bool // greenlets share their process's one OS thread
	cpu      topology.CPUSched
}

func workerConfig(a *topology.App) workerCfg {
	c := workerCfg{
		slots:    a.Concurrency,
		lock:     a.GIL || a.Model == topology.Gevent,
		memory:   a.WorkerMemory + int64(a.Concurrency)*a.SlotMemory,
		backlog:  a.Backlog,
		timeout:  int64(a.Timeout),
		respawn:  int64(a.Respawn),
		nodeMem:  a.Memory,
		cores:    a.Cores,
		workers:  a.Workers,
		cpuScale: a.Speed,
		gevent:   a.Model == topology.Gevent,
		cpu:      a.CPU,
	}
	if a.Model == topology.Sync {
		c.slots = 1
	}
	if a.Model == topology.Threads && a.GIL {
		c.quantum = int64(a.SwitchInterval)
	}
	return c
}

// worker is one worker process of a node.
type worker struct {
	slots   int
	busy    int // slots in use
	lock    bool
	quantum int64
	memory  int64
	holder  int32 // request holding the lock, -1 if none
	lockQ   fifo  // requests waiting for the lock (the GIL's, in their current wait's order)
	// the GIL of a threads worker (gil.go)
	switchQ  fifo  // threads that dropped it on request, waiting for a switch
	last     int64 // thread that held it last
	switches uint32
	drop     bool  // gil_drop_request
	noRetake int64 // thread that let go with a drop request pending; -1 for none
	woken    int32 // waiters signalled that have not yet run
	// thread numbers of a threads worker: the next never used, and the
	// free ones, the most recently freed on top
	nextThread int32
	threads    []int32
	retiring   bool  // takes no new requests; gone once idle
	killed     bool  // killed by harakiri: respawning
	reqs       int32 // the first of the requests on it (request.wNext links the rest); -1 for none
	gone       bool  // exited: the entry may be reused
	// persistent DB connections by server: open, and in use by a request
	dbHeld, dbInUse []int32
	// act counts its busy slots by what they do (actNone: between steps)
	act [numActivities]int32
	vt  []vthread // each thread's virtual time under the OS scheduler (eevdf.go)
}

// node is one app server: its cores, its backlog and its workers.
type node struct {
	up       bool
	draining bool // removed from the pool: takes no new requests
	cores    int
	cs       cpuSched // its cores under the OS scheduler
	backlog  fifo
	workers  []worker
	gone     minHeap  // indices of exited workers, whose entries spawn reuses lowest first
	free     freeTree // which worker takes the next request
	target   int      // workers it should run
	memUsed  int64    // memory of its live worker processes
	inflight int      // requests assigned to it, from the LB hop to the reply
	counted  int      // its cores in Sim.cpu's servers (servers.go)
	hops     int32    // the first of its requests on the hop from the LB (request.wNext links the rest); -1 for none
	oomKills int
	boot     bootState
	// running counts over its live (not gone) workers, kept as they
	// change so that nothing walks every worker per request or frame
	active     int                  // workers taking requests
	retiring   int                  // workers finishing theirs before they exit
	respawning int                  // workers killed by harakiri, not yet back
	slots      int                  // slots of its live workers
	act        [numActivities]int32 // their busy slots by activity
}

// active reports whether w can take requests.
func (w *worker) active() bool { return !w.gone && !w.retiring && !w.killed }

// freeWorker returns the active worker with the most free slots (the
// lowest-numbered among equals), or -1.
func (n *node) freeWorker() int32 { return n.free.best() }

// touch re-ranks worker wi after its busy slots or its state changed.
func (n *node) touch(wi int) { n.free.set(n.workers, wi) }

// reconcile spawns workers until the node runs its target, as far as its
// memory allows: a worker that does not fit is killed by the OOM killer.
func (s *Sim) reconcile(ni int) {
	n := s.nodes[ni]
	if !n.up {
		return
	}
	cfg := &s.appCfg
	if more := n.target - n.active - n.respawning - n.gone.len(); more > 0 {
		n.workers = slices.Grow(n.workers, more) // one allocation, not a doubling series
		if want := len(n.workers) + more; want > n.free.size {
			n.free.reserve(n.workers, want)
		}
	}
	for active := n.active + n.respawning; active < n.target; active++ {
		if cfg.nodeMem > 0 && n.memUsed+cfg.memory > cfg.nodeMem {
			n.oomKills++
			s.logf("node %d: out of memory, OOM killer took a new worker (%d of %d running)", ni+1, active, n.target)
			return
		}
		s.spawn(n, ni)
	}
}

// spawn starts one worker on node ni with the current configuration.
func (s *Sim) spawn(n *node, ni int) {
	cfg := &s.appCfg
	w := worker{slots: cfg.slots, lock: cfg.lock, quantum: cfg.quantum, memory: cfg.memory, holder: -1, last: -1, noRetake: -1, reqs: -1}
	var idx int
	if n.gone.len() > 0 {
		idx = int(n.gone.pop())
	} else {
		n.workers = append(n.workers, worker{})
		idx = len(n.workers) - 1
	}
	old := &n.workers[idx]
	w.lockQ, w.switchQ, w.threads = old.lockQ, old.switchQ, old.threads[:0] // keep grown buffers
	w.dbHeld, w.dbInUse = old.dbHeld[:0], old.dbInUse[:0]
	w.vt = old.vt[:0]
	n.workers[idx] = w
	n.memUsed += w.memory
	n.active++
	n.slots += w.slots
	n.touch(idx)
	if n.draining {
		return
	}
	s.app.setServers(s.now, s.app.servers+w.slots)
	s.pullBacklog(ni, int32(idx))
}

// retire stops worker wi from taking requests; it exits once idle.
func (s *Sim) retire(ni int, wi int) {
	n := s.nodes[ni]
	w := &n.workers[wi]
	if !w.active() {
		return
	}
	w.retiring = true
	n.active--
	n.retiring++
	n.touch(wi)
	s.exitIfIdle(ni, wi)
}

func (s *Sim) exitIfIdle(ni, wi int) {
	n := s.nodes[ni]
	w := &n.workers[wi]
	if w.retiring && !w.gone && w.busy == 0 {
		s.workerExits(ni, wi)
		w.gone = true
		n.gone.push(int32(wi))
		n.retiring--
		n.slots -= w.slots
		if n.up {
			s.app.setServers(s.now, s.app.servers-w.slots) // counted until it exits
		}
		s.closeWorkerConns(w)
		n.memUsed -= w.memory
		s.reconcile(ni)
	}
}

// admit takes request id into node ni: straight to a free worker slot,
// else into the backlog, else refused (503).
func (s *Sim) admit(id int32, ni int) {
	n := s.nodes[ni]
	r := &s.reqs[id]
	if !n.up || n.draining {
		s.failReq(id, failNodeDown) // the connection is refused or reset
		return
	}
	s.app.arrivals++
	r.enq = s.now
	if wi := n.freeWorker(); wi >= 0 {
		s.startOnWorker(id, ni, wi)
		return
	}
	if s.appCfg.backlog != topology.Unlimited && n.backlog.len() >= s.appCfg.backlog {
		s.app.drop()
		s.addInflight(ni, -1)
		s.end(id, droppedBy(dropBacklog))
		return
	}
	r.qpos = n.backlog.push(id)
	s.setState(id, stBacklog)
	s.app.addQueued(s.now, 1)
}

// startOnWorker gives request id a slot of worker wi and starts its steps.
func (s *Sim) startOnWorker(id int32, ni int, wi int32) {
	n := s.nodes[ni]
	n.workers[wi].busy++
	n.touch(int(wi))
	s.app.addBusy(s.now, 1)
	s.seat(id, n, wi)
}

// seat puts request id on a slot of worker wi of node n that is already
// counted busy, and starts its steps.
func (s *Sim) seat(id int32, n *node, wi int32) {
	w := &n.workers[wi]
	r := &s.reqs[id]
	n.act[actNone]++
	s.app.started(s.now - r.enq)
	r.worker = wi
	r.wPrev, r.wNext = -1, w.reqs
	if w.reqs >= 0 {
		s.reqs[w.reqs].wPrev = id
	}
	w.reqs = id
	r.thread = 0
	if !s.appCfg.gevent && w.slots > 1 {
		r.thread = w.takeThread()
	}
	r.cat = actNone
	w.act[actNone]++
	r.start = s.now
	r.pc = 0
	if s.appCfg.timeout > 0 {
		s.armTimeout(id)
	}
	s.step(id)
}

// pullBacklog hands free slots of worker wi to requests in the backlog.
func (s *Sim) pullBacklog(ni int, wi int32) {
	n := s.nodes[ni]
	w := &n.workers[wi]
	for w.active() && w.busy < w.slots && n.backlog.len() > 0 {
		id := n.backlog.pop()
		s.app.addQueued(s.now, -1)
		s.startOnWorker(id, ni, wi)
	}
}

// leaveWorker frees the slot request id holds. When the worker takes
// the backlog's head at once, the slot passes straight to it: the
// worker's busy slots, its rank among the node's workers and the busy
// slots' integral would go down and up again at the same instant, so
// they are left as they are.
func (s *Sim) leaveWorker(id int32) {
	r := &s.reqs[id]
	if r.holdsDB() {
		s.releaseDB(id) // may grow the slab of requests
		r = &s.reqs[id]
	}
	ni := int(r.node)
	n := s.nodes[ni]
	wi := r.worker
	w := &n.workers[wi]
	w.act[r.cat]--
	n.act[r.cat]--
	r.cat = actNone
	s.app.finished(s.now - r.start)
	s.addInflight(ni, -1)
	if r.wPrev >= 0 {
		s.reqs[r.wPrev].wNext = r.wNext
	} else {
		w.reqs = r.wNext
	}
	if r.wNext >= 0 {
		s.reqs[r.wNext].wPrev = r.wPrev
	}
	if !s.appCfg.gevent && w.slots > 1 {
		w.threads = append(w.threads, r.thread)
	}
	r.worker = -1
	active := w.active()
	if active && n.backlog.len() > 0 {
		next := n.backlog.pop()
		s.app.addQueued(s.now, -1)
		s.seat(next, n, wi)
		if w := &n.workers[wi]; w.busy < w.slots {
			s.pullBacklog(ni, wi) // slots it had free besides
		}
		return
	}
	w.busy--
	n.touch(int(wi))
	s.app.addBusy(s.now, -1)
	switch {
	case active:
		s.pullBacklog(ni, wi)
	case n.draining && n.up && n.backlog.len() > 0:
		// a draining node still serves the connections it accepted:
		// its retiring workers take them before they exit
		next := n.backlog.pop()
		s.app.addQueued(s.now, -1)
		s.startOnWorker(next, ni, wi)
	default:
		s.exitIfIdle(ni, int(wi))
	}
}

// takeThread picks the thread a new request of w runs on: the one freed
// last (a uWSGI thread loops on accept), or a new one.
func (w *worker) takeThread() int32 {
	if n := len(w.threads); n > 0 {
		t := w.threads[n-1]
		w.threads = w.threads[:n-1]
		return t
	}
	w.nextThread++
	return w.nextThread - 1
}
