package sim

import "time"

// Harakiri as uWSGI does it. The master checks its workers once a second
// (harakiriCheck), in whole seconds; a worker whose request has run past
// the timeout is killed with SIGKILL, the whole process: every request
// its other threads or greenlets hold fails with it, its database
// connections close, and its slots are gone until the master has
// respawned it, app.respawn later. The process's memory stays taken
// meanwhile (the master forks the new one as the old one is reaped).

// harakiriCheck is how often uWSGI's master looks for requests past the
// harakiri timeout: its main loop's one-second cycle.
const harakiriCheck = int64(time.Second)

// harakiri kills worker wi of node ni and every request on it.
func (s *Sim) harakiri(ni int, wi int32) {
	n := s.nodes[ni]
	w := &n.workers[wi]
	if w.gone || w.killed {
		return
	}
	retiring := w.retiring
	if !retiring {
		// it takes nothing more from now
		w.killed = true
		n.active--
		n.respawning++
		n.touch(int(wi))
		if !n.draining {
			s.app.setServers(s.now, s.app.servers-w.slots)
		}
	}
	killed := 0
	for w.reqs >= 0 {
		s.kill(w.reqs, failTimeout)
		killed++
		w = &n.workers[wi]
	}
	if !s.log.killed {
		s.logOnce(&s.log.killed, "node %d: harakiri killed worker %d and its %d requests; it respawns in %s (later kills count as timeouts, unlogged)", ni+1, wi+1, killed, time.Duration(s.appCfg.respawn))
	}
	if retiring {
		return // it was leaving anyway: gone now that it is idle
	}
	s.closeWorkerConns(w)
	s.schedule(event{t: s.in(s.appCfg.respawn), kind: evRespawn, id: int32(ni), gen: uint32(wi)})
}

// onRespawn: the master has respawned a worker killed by harakiri. Its
// entry is freed, and the node spawns what its target asks for.
func (s *Sim) onRespawn(e *event) {
	ni, wi := int(e.id), int(e.gen)
	if ni >= len(s.nodes) {
		return
	}
	n := s.nodes[ni]
	if wi >= len(n.workers) || !n.workers[wi].killed {
		return // its node went down meanwhile and started afresh
	}
	w := &n.workers[wi]
	w.killed = false
	w.gone = true
	n.respawning--
	n.slots -= w.slots
	n.memUsed -= w.memory
	n.gone.push(int32(wi))
	n.touch(wi)
	s.reconcile(ni)
}
