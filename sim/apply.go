package sim

import (
	"fmt"
	"slices"

	"scalesim/topology"
)

// Apply changes the running simulation to topology t, as a live edit: no
// request in flight is lost. t is validated like a file; an invalid t is
// refused and nothing changes.
//
// What changes how: a new arrival rate takes effect from the next
// arrival; added users start thinking now, removed ones leave after their
// current request. Added nodes and workers start now; removed ones stop
// taking requests and leave once idle. A change of model, concurrency,
// GIL, speed or memory replaces every worker the way a graceful reload
// does: old workers finish what they hold, new ones take new requests.
// Capacities (cores, DB cores, offload cores) change at once; requests in
// service keep their server. A new cache capacity keeps the most recently
// used keys that fit.
func (s *Sim) Apply(t *topology.Topology) error {
	// the timeline was checked and scheduled when the simulation was built
	check := *t
	check.Events = nil
	if err := check.Validate(); err != nil {
		return err
	}
	if err := s.dbRoom(&t.DB); err != nil {
		return err
	}
	s.configure(t.Clone(), false)
	return nil
}

// configure makes the simulation run t; first is true when building it.
func (s *Sim) configure(t *topology.Topology, first bool) {
	old := s.topo
	s.topo = t

	// request classes: what is kept by class follows each class to its
	// new place (classmap.go); recompile only what changed, so unchanged
	// classes keep their random streams
	n := len(t.Workload.Requests)
	inv := make([]int32, n)
	for ci := range inv {
		inv[ci] = -1
	}
	if !first {
		perm := classMap(old.Workload.Requests, t.Workload.Requests)
		s.remapClasses(perm, n)
		inv = inverse(perm, n)
	}
	s.cumW = s.cumW[:0]
	total := 0.0
	newClasses := make([]int32, n)
	for ci := range t.Workload.Requests {
		c := &t.Workload.Requests[ci]
		total += c.Share
		s.cumW = append(s.cumW, total)
		if oi := inv[ci]; oi >= 0 && classEqual(&old.Workload.Requests[oi], c) && old.App.Speed == t.App.Speed && offloadSpeed(old) == offloadSpeed(t) {
			newClasses[ci] = s.classes[oi]
			continue
		}
		s.progs = append(s.progs, s.compile(c, ci))
		newClasses[ci] = int32(len(s.progs) - 1)
	}
	s.classes = newClasses
	s.classLat.resize(n, s.latency.window())
	s.life.resize(n)
	s.cl.configure(t, inv)

	// workload
	s.configurePopulations(&t.Workload)
	s.configureLoad(&t.Workload, first)

	// app tier
	cfg := workerConfig(&t.App)
	reload := !first && (cfg.slots != s.appCfg.slots || cfg.lock != s.appCfg.lock ||
		cfg.quantum != s.appCfg.quantum || cfg.memory != s.appCfg.memory || cfg.nodeMem != s.appCfg.nodeMem)
	s.appCfg = cfg
	for ni, n := range s.nodes {
		if ni >= t.App.Nodes && !n.draining {
			s.drain(ni)
		}
	}
	for ni := 0; ni < t.App.Nodes; ni++ {
		if ni == len(s.nodes) {
			s.nodes = append(s.nodes, &node{up: true, draining: true, hops: -1})
		}
		n := s.nodes[ni]
		if n.draining {
			if !first {
				s.joinPool(ni)
			}
			s.undrain(ni)
		}
		n.cores = cfg.cores
		s.setCores(ni)
		s.countCores(ni)
		n.target = cfg.workers
		active := 0
		for wi := range n.workers {
			s.visits++
			w := &n.workers[wi]
			if !w.active() {
				continue
			}
			if reload || active >= n.target {
				s.retire(ni, wi)
				continue
			}
			active++
		}
		s.reconcile(ni)
	}
	s.refreshEligible()

	// shared stations
	s.configureDB(&t.DB)
	s.stock.configure(s.now, t.Stock)
	if c := t.Cache; c != nil {
		s.setStation(sidCache, 1, int64(c.NetLatency))
	} else {
		s.setStation(sidCache, 0, 0)
	}
	s.configureOffload(t.Offload)
	s.cache.configure(t.Cache)
	s.configureOps(t)
}

// setStation sets station sid's capacity and hop, starting waiters that
// now fit.
func (s *Sim) setStation(sid int, servers int, hop int64) {
	st := &s.stations[sid]
	st.hop = hop
	st.setServers(s.now, servers)
	for st.stats.busy < st.stats.servers && st.q.len() > 0 {
		next := st.q.pop()
		st.addQueued(s.now, -1)
		s.serve(next)
	}
}

// drain takes node ni out of the LB's pool: it finishes what it holds.
func (s *Sim) drain(ni int) {
	n := s.nodes[ni]
	n.draining = true
	n.target = 0
	for wi := range n.workers {
		s.visits++
		w := &n.workers[wi]
		if w.active() {
			w.retiring = true
			n.active--
			n.retiring++
			n.touch(wi)
		}
		s.exitIfIdle(ni, wi)
	}
	s.countCores(ni)
}

// undrain puts node ni back in the pool. A node that was down when it
// was removed holds nothing: it comes back as a new node would, up (or
// booting, when nodes take time to boot), its workers started afresh.
func (s *Sim) undrain(ni int) {
	n := s.nodes[ni]
	n.draining = false
	if !n.boot.booting {
		n.up = true
	}
	if n.up {
		s.app.setServers(s.now, s.app.servers+s.activeSlots(n))
	}
	s.countCores(ni)
}

// activeSlots is the slots of node n's workers that take requests.
func (s *Sim) activeSlots(n *node) int {
	k := 0
	for i := range n.workers {
		s.visits++
		if n.workers[i].active() {
			k += n.workers[i].slots
		}
	}
	return k
}

// SetNodeUp takes app node i (0-based) down, failing every request it
// holds as a crash would, or brings it back with fresh workers: Do of an
// ActNodeDown or ActNodeUp. It reports whether node i exists.
func (s *Sim) SetNodeUp(i int, up bool) bool {
	act := topology.ActNodeDown
	if up {
		act = topology.ActNodeUp
	}
	_, err := s.Do(topology.Change{Action: act, Node: i + 1, Source: topology.SourceKey})
	return err == nil
}

// setNodeUp is SetNodeUp's work; it says what it did.
func (s *Sim) setNodeUp(i int, up bool) (string, error) {
	if i < 0 || i >= len(s.nodes) || s.nodes[i].draining {
		return "", fmt.Errorf("no app node %d: there are %d", i+1, s.topo.App.Nodes)
	}
	n := s.nodes[i]
	if n.isBooting() {
		if !up {
			s.cancelBoot(i) // it stays down
			return fmt.Sprintf("node %d down before it finished booting", i+1), nil
		}
		return fmt.Sprintf("node %d is booting", i+1), nil
	}
	if n.up == up {
		if up {
			return fmt.Sprintf("node %d is already up", i+1), nil
		}
		return fmt.Sprintf("node %d is already down", i+1), nil
	}
	var msg string
	if !up {
		for _, id := range s.nodeRequests(i) {
			r := &s.reqs[id]
			if r.state != stFree && int(r.node) == i && r.state != stReply {
				s.kill(id, failNodeDown)
			}
		}
		s.app.setServers(s.now, s.app.servers-s.activeSlots(n))
		n.gone.clear()
		for wi := range n.workers {
			s.visits++
			w := &n.workers[wi]
			s.closeWorkerConns(w)
			*w = worker{gone: true, lockQ: w.lockQ, switchQ: w.switchQ, threads: w.threads[:0], dbHeld: w.dbHeld[:0], dbInUse: w.dbInUse[:0], vt: w.vt[:0], holder: -1, last: -1, noRetake: -1, reqs: -1}
			n.gone.push(int32(wi)) // in increasing order: already a heap
		}
		n.active, n.retiring, n.respawning, n.slots, n.act = 0, 0, 0, 0, [numActivities]int32{}
		n.free.rebuild(n.workers)
		n.memUsed = 0
		n.up = false
		s.countCores(i)
		msg = fmt.Sprintf("node %d down: its requests failed", i+1)
	} else {
		n.up = true
		s.countCores(i)
		s.reconcile(i)
		msg = fmt.Sprintf("node %d back up", i+1)
	}
	s.refreshEligible()
	return msg, nil
}

// FlushCache empties the cache, as a restart or FLUSHALL would: Do of
// an ActCacheFlush.
func (s *Sim) FlushCache() {
	s.Do(topology.Change{Action: topology.ActCacheFlush, Source: topology.SourceKey})
}

func classEqual(a, b *topology.RequestClass) bool {
	return a.Name == b.Name && stepsEqual(a.Steps, b.Steps)
}

func stepsEqual(a, b []topology.Step) bool {
	return slices.EqualFunc(a, b, func(x, y topology.Step) bool {
		return x.Kind == y.Kind && x.Dist == y.Dist && stepsEqual(x.Miss, y.Miss)
	})
}

func offloadSpeed(t *topology.Topology) float64 {
	if t.Offload == nil {
		return 0
	}
	return t.Offload.Speed
}
