package sim

import "slices"

// A node's requests, found without a walk over every request of the
// run: those on the hop from the load balancer are on a list of their
// node's (linked through request.wPrev and wNext, free while a request
// is not on a worker), those in its backlog are in its queue, and those
// on its workers are on their workers' lists.

// lbLink puts request id, now on the hop to node ni, on its list.
func (s *Sim) lbLink(ni int, id int32) {
	n := s.nodes[ni]
	r := &s.reqs[id]
	r.wPrev, r.wNext = -1, n.hops
	if n.hops >= 0 {
		s.reqs[n.hops].wPrev = id
	}
	n.hops = id
}

// lbUnlink takes request id, arriving at its node or killed, off it.
func (s *Sim) lbUnlink(id int32) {
	r := &s.reqs[id]
	n := s.nodes[r.node]
	if r.wPrev >= 0 {
		s.reqs[r.wPrev].wNext = r.wNext
	} else {
		n.hops = r.wNext
	}
	if r.wNext >= 0 {
		s.reqs[r.wNext].wPrev = r.wPrev
	}
	r.wPrev, r.wNext = -1, -1
}

// nodeRequests returns the requests assigned to node ni that are not on
// their way back to their client, in increasing id order: the order a
// walk over every request would visit them. The slice is reused by the
// next call.
func (s *Sim) nodeRequests(ni int) []int32 {
	n := s.nodes[ni]
	out := s.nodeScratch[:0]
	for id := n.hops; id >= 0; id = s.reqs[id].wNext {
		out = append(out, id)
	}
	q := &n.backlog
	for i := 0; i < q.n; i++ {
		if id := q.buf[q.at(i)]; id != hole {
			out = append(out, id)
		}
	}
	for wi := range n.workers {
		for id := n.workers[wi].reqs; id >= 0; id = s.reqs[id].wNext {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	s.nodeScratch = out
	return out
}
