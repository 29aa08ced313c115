package sim

// What the app's stations count as their servers, so that a station's
// utilisation, busy over servers, never exceeds one.
//
//   - A worker slot counts from its worker's spawn until the worker
//     exits or is killed: a retiring worker's slots count while it
//     finishes its requests (a draining node's, which also take the
//     requests of its backlog), then go with it.
//   - A core counts while its node is up and takes traffic, and a core
//     beyond a smaller number of cores while it finishes its burst. A
//     draining node's cores count while busy with its last requests:
//     busy time on cores that exist, though not capacity the load
//     balancer can send work to.
//   - A database server's cores likewise: fewer cores leave as they
//     finish their queries (a server that leaves keeps its cores until
//     it has drained, db.go).

// nodeCores is how many of node n's cores count as servers now.
func nodeCores(n *node) int {
	cs := &n.cs
	switch {
	case !n.up:
		return 0
	case n.draining:
		return cs.busy()
	}
	return cs.present()
}

// present is how many cores exist: the usable ones, and those beyond
// them still busy.
func (cs *cpuSched) present() int {
	n := cs.usable
	for i := cs.usable; i < len(cs.cores); i++ {
		if cs.cores[i].busy {
			n++
		}
	}
	return n
}

// countCores brings node ni's cores in Sim.cpu's servers up to date.
func (s *Sim) countCores(ni int) {
	n := s.nodes[ni]
	if c := nodeCores(n); c != n.counted {
		s.cpu.setServers(s.now, s.cpu.servers-n.counted+c)
		n.counted = c
	}
}
