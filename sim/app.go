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
	nodeMem  int64 // memory of a node; 0 when not modelled
	cores    int
	workers  int
	cpuScale float64
}

func workerConfig(a *topology.App) workerCfg {
	c := workerCfg{
		slots:    a.Concurrency,
		lock:     a.GIL || a.Model == topology.Gevent,
		memory:   a.WorkerMemory + int64(a.Concurrency)*a.SlotMemory,
		backlog:  a.Backlog,
		timeout:  int64(a.Timeout),
		nodeMem:  a.Memory,
		cores:    a.Cores,
		workers:  a.Workers,
		cpuScale: a.Speed,
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
	slots    int
	busy     int // slots in use
	lock     bool
	quantum  int64
	memory   int64
	holder   int32 // request holding the lock, -1 if none
	lockQ    fifo  // requests waiting for the lock
	retiring bool  // takes no new requests; gone once idle
	gone     bool  // exited: the entry may be reused
	// persistent DB connections by server: open, and in use by a request
	dbHeld, dbInUse []int32
	// act counts its busy slots by what they do (actNone: between steps)
	act [numActivities]int32
}

// node is one app server: its cores, its backlog and its workers.
type node struct {
	up        bool
	draining  bool // removed from the pool: takes no new requests
	cores     int
	busyCores int
	coreQ     fifo // requests waiting for a core
	backlog   fifo
	workers   []worker
	gone      minHeap  // indices of exited workers, whose entries spawn reuses lowest first
	free      freeTree // which worker takes the next request
	target    int      // workers it should run
	memUsed   int64    // memory of its live worker processes
	inflight  int      // requests assigned to it, from the LB hop to the reply
	oomKills  int
	boot      bootState
	// running counts over its live (not gone) workers, kept as they
	// change so that nothing walks every worker per request or frame
	active   int                  // workers taking requests
	retiring int                  // workers finishing theirs before they exit
	slots    int                  // slots of its live workers
	act      [numActivities]int32 // their busy slots by activity
}

// active reports whether w can take requests.
func (w *worker) active() bool { return !w.gone && !w.retiring }

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
	if more := n.target - n.active - n.gone.len(); more > 0 {
		n.workers = slices.Grow(n.workers, more) // one allocation, not a doubling series
		if want := len(n.workers) + more; want > n.free.size {
			n.free.reserve(n.workers, want)
		}
	}
	for active := n.active; active < n.target; active++ {
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
	w := worker{slots: cfg.slots, lock: cfg.lock, quantum: cfg.quantum, memory: cfg.memory, holder: -1}
	var idx int
	if n.gone.len() > 0 {
		idx = int(n.gone.pop())
	} else {
		n.workers = append(n.workers, worker{})
		idx = len(n.workers) - 1
	}
	old := &n.workers[idx]
	w.lockQ, w.dbHeld, w.dbInUse = old.lockQ, old.dbHeld[:0], old.dbInUse[:0] // keep grown buffers
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
	if !n.draining {
		s.app.setServers(s.now, s.app.servers-w.slots)
	}
	s.exitIfIdle(ni, wi)
}

func (s *Sim) exitIfIdle(ni, wi int) {
	n := s.nodes[ni]
	w := &n.workers[wi]
	if w.retiring && !w.gone && w.busy == 0 {
		w.gone = true
		n.gone.push(int32(wi))
		n.retiring--
		n.slots -= w.slots
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
		n.inflight--
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
	w := &n.workers[wi]
	r := &s.reqs[id]
	w.busy++
	n.act[actNone]++
	n.touch(int(wi))
	s.app.addBusy(s.now, 1)
	s.app.started(s.now - r.enq)
	r.worker = wi
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

// leaveWorker frees the slot request id holds.
func (s *Sim) leaveWorker(id int32) {
	s.releaseDB(id)
	r := &s.reqs[id]
	ni := int(r.node)
	n := s.nodes[ni]
	w := &n.workers[r.worker]
	w.busy--
	w.act[r.cat]--
	n.act[r.cat]--
	n.touch(int(r.worker))
	r.cat = actNone
	s.app.addBusy(s.now, -1)
	s.app.finished(s.now - r.start)
	n.inflight--
	wi := r.worker
	r.worker = -1
	switch {
	case w.active():
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

// startCPU begins a cpu step of request id.
func (s *Sim) startCPU(id int32, demand int64) {
	r := &s.reqs[id]
	demand = s.slowed(tierApp, demand)
	r.demand, r.remain, r.wait = demand, demand, 0
	s.cpu.arrivals++
	s.waitCPU(id)
}

// waitCPU puts request id in line for its worker's lock and a core.
func (s *Sim) waitCPU(id int32) {
	r := &s.reqs[id]
	n := s.nodes[r.node]
	w := &n.workers[r.worker]
	r.enq = s.now
	s.cpu.addQueued(s.now, 1)
	if !w.lock {
		s.requestCore(id)
		return
	}
	if w.holder < 0 {
		w.holder = id
		s.requestCore(id)
		return
	}
	r.qpos = w.lockQ.push(id)
	s.setState(id, stWaitGIL)
}

// requestCore runs request id on a core of its node if one is free, or
// queues it for one.
func (s *Sim) requestCore(id int32) {
	r := &s.reqs[id]
	n := s.nodes[r.node]
	if n.busyCores >= n.cores {
		r.qpos = n.coreQ.push(id)
		s.setState(id, stWaitCore)
		return
	}
	s.runOnCore(id)
}

func (s *Sim) runOnCore(id int32) {
	r := &s.reqs[id]
	n := s.nodes[r.node]
	w := &n.workers[r.worker]
	n.busyCores++
	s.cpu.addBusy(s.now, 1)
	s.cpu.addQueued(s.now, -1)
	r.wait += s.now - r.enq
	r.slice = r.remain
	if w.quantum > 0 && r.slice > w.quantum {
		r.slice = w.quantum
	}
	s.setState(id, stCPU)
	s.after(r.slice, evCPUDone, id)
}

// freeCore gives a core of node ni back and starts the next waiter.
func (s *Sim) freeCore(ni int) {
	n := s.nodes[ni]
	n.busyCores--
	s.cpu.addBusy(s.now, -1)
	for n.busyCores < n.cores && n.coreQ.len() > 0 {
		s.runOnCore(n.coreQ.pop())
	}
}

// releaseLock hands worker w's lock to the next waiter, if any.
func (s *Sim) releaseLock(w *worker) {
	w.holder = -1
	if w.lockQ.len() > 0 {
		next := w.lockQ.pop()
		w.holder = next
		s.requestCore(next)
	}
}

func (s *Sim) onCPUDone(id int32) {
	r := &s.reqs[id]
	ni := int(r.node)
	w := &s.nodes[ni].workers[r.worker]
	r.remain -= r.slice
	s.freeCore(ni)
	if r.remain > 0 {
		// The switch interval expired: a thread waiting for the GIL
		// takes it, and this one queues for it again.
		if w.lock && w.lockQ.len() > 0 {
			s.releaseLock(w)
			r.enq = s.now
			s.cpu.addQueued(s.now, 1)
			r.qpos = w.lockQ.push(id)
			s.setState(id, stWaitGIL)
			return
		}
		r.enq = s.now
		s.cpu.addQueued(s.now, 1)
		s.requestCore(id)
		return
	}
	s.cpu.started(r.wait)
	s.cpu.finished(r.demand)
	if w.lock && w.holder == id {
		s.releaseLock(w)
	}
	if s.progs[r.prog].ops[r.pc].kind == opBuy {
		s.buyNext(id) // the app code between a buy's queries
		return
	}
	r.pc++
	s.step(id)
}
