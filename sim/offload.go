package sim

import "scalesim/topology"

// The offload service: offload.nodes separate servers, each with
// offload.cores cores and a FIFO queue of its own, behind the service's
// own load balancer (offload.policy). A call goes to the node the
// balancer picks and waits there, even while another node has a core
// free: two 2-core nodes are two M/M/2 queues, not one M/M/4. The
// station sidOffload gathers the nodes' statistics; its servers are all
// the nodes' cores.

// offloadNode is one server of the offload service.
type offloadNode struct {
	q     fifo
	cores int // 0 for a node removed once it has finished its calls
	busy  int
	calls int // calls it holds, waiting or served: what least_conn counts
}

// offloadService is the nodes and their balancer.
type offloadService struct {
	nodes  []offloadNode
	active int // nodes [0, active) take calls
	policy topology.Policy
	rr     int
	rn     *stream // random and p2c picks
}

// configureOffload lays out the nodes for o (nil: no service). Removed
// nodes take no new calls and keep their cores until they have served
// the ones they hold (offloadRetire).
func (s *Sim) configureOffload(o *topology.Offload) {
	f := &s.offload
	st := &s.stations[sidOffload]
	if f.rn == nil {
		f.rn = s.newStream("offload/lb")
	}
	nodes, cores := 0, 0
	if o != nil {
		nodes, cores = o.Nodes, o.Cores
		f.policy = o.Policy
		st.hop = int64(o.Latency)
	} else {
		st.hop = 0
	}
	for len(f.nodes) < nodes {
		f.nodes = append(f.nodes, offloadNode{})
	}
	f.active = nodes
	if f.rr >= nodes {
		f.rr = 0
	}
	servers := 0
	for i := range f.nodes {
		n := &f.nodes[i]
		switch {
		case i < nodes:
			n.cores = cores
		case n.calls == 0:
			n.cores = 0
		}
		servers += n.cores
	}
	f.trim()
	st.setServers(s.now, servers)
	for i := range f.nodes {
		s.offloadStart(i)
	}
}

// pickOffload is the node the balancer sends request id's call to.
func (s *Sim) pickOffload(id int32) int {
	f := &s.offload
	n := f.active
	if n == 1 {
		return 0
	}
	r := &s.reqs[id]
	switch f.policy {
	case topology.LeastConn:
		best := 0
		for i := 1; i < n; i++ {
			if f.nodes[i].calls < f.nodes[best].calls {
				best = i
			}
		}
		return best
	case topology.Random:
		return f.rn.at(r.serial, uint64(r.pc)|uint64(r.try)<<48).IntN(n)
	case topology.P2C:
		rng := f.rn.at(r.serial, uint64(r.pc)|uint64(r.try)<<48)
		a, b := rng.IntN(n), rng.IntN(n-1)
		if b >= a {
			b++
		}
		if f.nodes[b].calls < f.nodes[a].calls {
			return b
		}
		return a
	default:
		f.rr = (f.rr + 1) % n
		return f.rr
	}
}

// offloadArrive: request id's call reaches the service's balancer.
func (s *Sim) offloadArrive(id int32) {
	r := &s.reqs[id]
	k := s.pickOffload(id)
	r.onode = int16(k)
	n := &s.offload.nodes[k]
	n.calls++
	if n.busy < n.cores {
		s.offloadServe(k, id)
		return
	}
	r.qpos = n.q.push(id)
	s.stations[sidOffload].addQueued(s.now, 1)
	s.setState(id, stQueue)
}

// offloadServe starts request id's call on a core of node k.
func (s *Sim) offloadServe(k int, id int32) {
	r := &s.reqs[id]
	s.offload.nodes[k].busy++
	d := s.slowed(tierOffload, s.serviceTime(r))
	s.startService(&s.stations[sidOffload], id, d)
	s.schedule(event{t: s.in(d), kind: evOffloadDone, id: id, gen: r.gen, sid: uint16(k)})
}

// offloadStart starts the calls waiting at node k that fit its cores.
func (s *Sim) offloadStart(k int) {
	n := &s.offload.nodes[k]
	for n.busy < n.cores && n.q.len() > 0 {
		next := n.q.pop()
		s.stations[sidOffload].addQueued(s.now, -1)
		s.offloadServe(k, next)
	}
}

// onOffloadDone: a core of node sid has finished a call. It finishes
// even when the request was killed meanwhile; only a live one goes on.
func (s *Sim) onOffloadDone(e *event) {
	k := int(e.sid)
	n := &s.offload.nodes[k]
	n.busy--
	n.calls--
	st := &s.stations[sidOffload]
	st.addBusy(s.now, -1)
	st.stats.completions++
	s.offloadStart(k)
	s.offloadRetire(k)
	if r := &s.reqs[e.id]; r.gen == e.gen && r.state == stService {
		s.stationReturn(e.id)
	}
}

// leaveStationQueue takes request id, killed, out of the queue it waits
// in at its station.
func (s *Sim) leaveStationQueue(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	q := &st.q
	if r.sid != sidOffload {
		s.dequeue(q, id)
		st.addQueued(s.now, -1)
		return
	}
	n := &s.offload.nodes[r.onode]
	n.calls--
	s.dequeue(&n.q, id)
	st.addQueued(s.now, -1)
	s.offloadRetire(int(r.onode))
}

// offloadRetire lets node k go if it was removed and has served its
// last call.
func (s *Sim) offloadRetire(k int) {
	f := &s.offload
	n := &f.nodes[k]
	if k < f.active || n.calls > 0 || n.cores == 0 {
		return
	}
	st := &s.stations[sidOffload]
	st.setServers(s.now, st.stats.servers-n.cores)
	n.cores = 0
	f.trim()
}

// trim drops the removed nodes at the end that hold no calls.
func (f *offloadService) trim() {
	for len(f.nodes) > f.active && f.nodes[len(f.nodes)-1].calls == 0 {
		f.nodes = f.nodes[:len(f.nodes)-1]
	}
}
