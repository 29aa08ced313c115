package sim

import (
	"sort"

	"scalesim/topology"
)

// send creates a logical request from user u (-1 for the open workload)
// and sends its first attempt: of a class of the user's population. A
// user of a population a live edit removed leaves instead.
func (s *Sim) send(u int32) {
	if u < 0 {
		s.sendClass(u, s.pickClass(s.cl.serial))
		return
	}
	p, i := userOf(u)
	pop := &s.pops[p]
	if pop.gone {
		pop.users[i] = false
		return
	}
	s.sendClass(u, s.pick(pop, s.cl.serial))
}

// sendClass sends the first attempt of a new logical request of class ci
// from user u. While no client times out, retries or keeps a budget, the
// attempt is its own logical request (lidSelf), with no record.
func (s *Sim) sendClass(u, ci int32) {
	c := &s.cl
	if !c.direct {
		s.attempt(s.newLogical(u, ci))
		return
	}
	id := s.alloc()
	r := &s.reqs[id]
	r.lid, r.user, r.class, r.serial = lidSelf, u, ci, c.serial
	c.serial++
	c.waiting++
	s.run.Logical.Sent++
	s.winCounts.Logical.Sent++
	s.toLB(id)
}

// attempt hands an attempt of logical request lid to the load balancer.
func (s *Sim) attempt(lid int32) {
	id := s.alloc()
	s.link(id, lid)
	s.toLB(id)
}

// toLB hands attempt id, sent now, to the load balancer.
func (s *Sim) toLB(id int32) {
	s.arrived++
	s.winCounts.Arrived++
	r := &s.reqs[id]
	r.arrive = s.now
	r.prog = s.classes[r.class]
	if s.live > s.opt.MaxInFlight {
		s.dropCapped(id)
		return
	}
	ni := -1
	if el := s.eligible; len(el) == 1 {
		// every policy picks it; a round robin starts again from it, and
		// a draw is keyed by the request, so skipping it moves no other
		s.rr, ni = 0, int(el[0])
	} else if ni = s.pickNode(r.serial, r.try); ni < 0 {
		// every node is down: the load balancer answers 502
		s.end(id, failedBy(failNoNode))
		return
	}
	if s.cl.timed {
		s.armClientTimeout(id)
	}
	r.node = int32(ni)
	s.addInflight(ni, 1)
	if s.topo.LB.Latency > 0 {
		s.toLBHop(id, ni)
		return
	}
	s.admit(id, ni)
}

// dropCapped drops attempt id at the door: the simulator's cap on
// requests in flight is reached.
func (s *Sim) dropCapped(id int32) {
	if !s.log.capped {
		s.logOnce(&s.log.capped, "%d requests in flight: the simulator drops further arrivals", s.opt.MaxInFlight)
	}
	s.end(id, droppedBy(dropCap))
}

// toLBHop puts attempt id on the network hop from the LB to node ni.
func (s *Sim) toLBHop(id int32, ni int) {
	s.setState(id, stLB)
	s.lbLink(ni, id)
	s.after(int64(s.topo.LB.Latency), evHop, id)
}

// pickClass draws the class of request serial.
func (s *Sim) pickClass(serial uint64) int32 {
	if len(s.cumW) == 1 {
		return 0
	}
	return s.drawClass(serial)
}

// drawClass draws the class of request serial among several.
func (s *Sim) drawClass(serial uint64) int32 {
	x := s.classRN.at(serial, 0).Float64() * s.cumW[len(s.cumW)-1]
	return int32(sort.SearchFloat64s(s.cumW, x))
}

// pickNode chooses a node for attempt try of request serial by the LB
// policy among several eligible, or -1 if none is up (toLB picks the one
// eligible node itself).
func (s *Sim) pickNode(serial uint64, try uint16) int {
	el := s.eligible
	if len(el) == 0 {
		return -1
	}
	switch s.topo.LB.Policy {
	case topology.LeastConn:
		return s.conns.best()
	case topology.Random:
		return int(el[s.lbRN.at(serial, uint64(try)).IntN(len(el))])
	case topology.P2C:
		rng := s.lbRN.at(serial, uint64(try))
		a := rng.IntN(len(el))
		b := rng.IntN(len(el) - 1)
		if b >= a {
			b++
		}
		na, nb := el[a], el[b]
		if s.nodes[nb].inflight < s.nodes[na].inflight {
			return int(nb)
		}
		return int(na)
	default:
		if s.rr++; s.rr >= len(el) {
			s.rr = 0
		}
		return int(el[s.rr])
	}
}

// refreshEligible rebuilds the list of nodes the LB may pick.
func (s *Sim) refreshEligible() {
	s.eligible = s.eligible[:0]
	for i, n := range s.nodes {
		if n.up && !n.draining {
			s.eligible = append(s.eligible, int32(i))
		}
	}
	if s.rr >= len(s.eligible) {
		s.rr = len(s.eligible) - 1
	}
	// the tree is kept only while least_conn reads it; every change of
	// the policy comes through configure, which calls this
	s.conns.on = s.topo.LB.Policy == topology.LeastConn
	s.conns.rebuild(s.nodes, s.eligible)
}

// finishWork: request id has run all its steps; it leaves its worker and
// its answer goes back through the LB.
func (s *Sim) finishWork(id int32) {
	s.leaveWorker(id)
	if s.topo.LB.Latency > 0 {
		s.setState(id, stReply)
		s.after(int64(s.topo.LB.Latency), evHop, id)
		return
	}
	s.complete(id)
}

// complete: the answer of request id has reached its client. An attempt
// that is its own logical request, while no client policy is in force,
// ends here as end would end it, in the same order.
func (s *Sim) complete(id int32) {
	r := &s.reqs[id]
	if r.lid != lidSelf || !s.cl.direct {
		s.end(id, completedOK())
		return
	}
	s.completed++
	s.winCounts.Completed++
	u, ci, sent, serial := r.user, r.class, r.arrive, r.serial
	s.release(id)
	s.goodput(ci, s.now-sent)
	s.run.Logical.Goodput++ // finished(completedOK())
	s.winCounts.Logical.Goodput++
	s.cl.waiting--
	if u >= 0 {
		s.userDone(u, sent, serial, false)
	}
}

// failReq counts request id as failed; it must hold no resources.
func (s *Sim) failReq(id int32, why failCause) {
	r := &s.reqs[id]
	if r.node >= 0 {
		s.addInflight(int(r.node), -1)
	}
	s.end(id, failedBy(why))
}

// userDone: user u of a closed workload (u >= 0), who sent request
// serial at time sent, got its answer, or an error it was not retried
// after (failed); it thinks (a draw of that request), then sends again,
// unless the workload has shrunk below it. Without think time it backs
// off after the error (see userBackoff).
func (s *Sim) userDone(u int32, sent int64, serial uint64, failed bool) {
	p, i := userOf(u)
	pop := &s.pops[p]
	if i >= pop.target || s.load.open {
		pop.users[i] = false
		return
	}
	d := pop.think.sample(serial, 0)
	if d == 0 {
		d = s.userBackoff(pop, i, sent, serial, failed)
	}
	s.schedule(event{t: s.in(d), kind: evUserSend, id: u})
}

// kill ends request id as failed wherever it is, giving back what it
// holds: used for timeouts and for nodes taken down.
func (s *Sim) kill(id int32, why failCause) {
	r := &s.reqs[id]
	var n *node
	if r.node >= 0 {
		n = s.nodes[r.node]
	}
	switch r.state {
	case stLB:
		s.lbUnlink(id)
	case stBacklog:
		s.dequeue(&n.backlog, id)
		s.app.addQueued(s.now, -1)
	case stWaitGIL, stWaitCore, stCPU:
		s.leaveCPU(id)
	case stQueue:
		s.leaveStationQueue(id)
	case stPoolWait:
		s.leavePoolQueue(id)
	case stLockWait:
		s.leaveLockQueue(id)
	case stReply:
		// it has left its node; let the answer arrive
		return
	}
	if r.state.onWorker() {
		s.dropLock(&n.workers[r.worker], id)
		s.leaveWorkerFailed(id, why)
		return
	}
	s.failReq(id, why)
}

// dequeue takes request id out of q, where it waits, by its position.
func (s *Sim) dequeue(q *fifo, id int32) {
	s.visits++
	if !q.removeAt(s.reqs[id].qpos, id) {
		panic("sim: a waiting request is not in its queue")
	}
}

// failOnWorker ends request id, which holds a worker slot and waits for
// nothing, as failed: a refused connection, an optimistic buyer giving up.
func (s *Sim) failOnWorker(id int32, why failCause) { s.leaveWorkerFailed(id, why) }

// leaveWorkerFailed frees the slot of a killed request and counts it.
func (s *Sim) leaveWorkerFailed(id int32, why failCause) {
	r := &s.reqs[id]
	r.state = stFree // no longer anywhere; leaveWorker may start others
	s.leaveWorker(id)
	s.end(id, failedBy(why))
}
