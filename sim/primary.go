package sim

import (
	"fmt"

	"scalesim/topology"
)

// A database primary that stops: the queries it holds and those on their
// way to it fail (their connection is reset), and every new query it
// would take is refused at once, as connecting to a stopped PostgreSQL
// is; reads on the shard's replicas go on. The order writers of the
// redis strategy are not clients but a queue's consumers: they retry
// until a primary takes their writes, so their queries wait. After the
// failover delay one of the shard's replicas that is up is promoted
// (as Patroni or RDS would): it takes writes, the shard has one replica
// fewer, and the old primary, when it comes back, is a replica. A shard
// without a replica that is up stays down until its primary comes back.

// primaryDown stops shard's primary and, with a failover delay, arranges
// the promotion of a replica.
func (s *Sim) primaryDown(c topology.Change) (string, error) {
	shard := c.Shard()
	if shard >= s.db.shards {
		return "", fmt.Errorf("%s: no shard %d: there are %d", c, shard+1, s.db.shards)
	}
	sid := s.primary(shard)
	st := &s.stations[sid]
	name := st.name
	if st.db.down {
		return name + " is already down", nil
	}
	st.db.down = true
	failed := 0
	for id := range s.reqs {
		r := &s.reqs[id]
		if r.state == stFree || r.internal || int(r.sid) != sid {
			continue
		}
		switch r.state {
		case stHopTo, stQueue, stService, stPoolWait, stLockWait:
			s.kill(int32(id), failDBDown)
			failed++
		}
	}
	s.dbStop(sid)
	msg := name + " down"
	if failed > 0 {
		msg += fmt.Sprintf(": %d queries failed", failed)
	}
	if c.Failover > 0 {
		s.atPromote(later(s.now, int64(c.Failover)), shard, c.Source)
		msg += fmt.Sprintf(", a replica takes over in %s", topology.FormatDuration(c.Failover))
	}
	return msg, nil
}

// primaryUp brings back the server that was shard's primary when it
// stopped: the primary again, or a replica if another was promoted.
func (s *Sim) primaryUp(c topology.Change) (string, error) {
	shard := c.Shard()
	if shard >= s.db.shards {
		return "", fmt.Errorf("%s: no shard %d: there are %d", c, shard+1, s.db.shards)
	}
	for _, sid := range s.db.index[shard] {
		st := &s.stations[sid]
		if !st.db.down {
			continue
		}
		st.db.down = false
		s.dbStartQueued(sid)
		return st.name + " back up", nil
	}
	return fmt.Sprintf("the primary of shard %d is already up", shard+1), nil
}

// promote makes a replica of shard that is up its primary, if its
// primary is still down.
func (s *Sim) promote(shard int) string {
	if shard >= s.db.shards {
		return ""
	}
	row := s.db.index[shard]
	old := row[0]
	if !s.stations[old].db.down {
		return ""
	}
	for j := 1; j < len(row); j++ {
		if s.stations[row[j]].db.down {
			continue
		}
		nsid := row[j]
		row[0], row[j] = nsid, old
		od, nd := &s.stations[old].db, &s.stations[nsid].db
		od.replica, nd.replica = j, 0
		nd.lastWrite = max(nd.lastWrite, od.lastWrite)
		was := s.stations[nsid].name
		s.stations[old].name = dbName(shard, j, s.db.shards)
		s.stations[nsid].name = dbName(shard, 0, s.db.shards)
		// the writes that waited for a primary go to the new one
		q := &s.stations[old].q
		for q.len() > 0 {
			id := q.pop()
			s.stations[old].addQueued(s.now, -1)
			s.reqs[id].sid = uint16(nsid)
			s.queueForServer(id)
		}
		return fmt.Sprintf("failover: %s promoted to %s", was, s.stations[nsid].name)
	}
	return fmt.Sprintf("failover of shard %d impossible: no replica is up; it waits for its primary", shard+1)
}

// dbDown reports whether DB server sid is stopped.
func (s *Sim) dbDown(sid int) bool { return s.stations[sid].db.down }

// upReplica returns the station of a replica of shard that is up,
// starting from replica k (0-based among the replicas), or the primary
// when every replica is down.
func (s *Sim) upReplica(shard, k int) int {
	row := s.db.index[shard]
	for i := 0; i < s.db.replicas; i++ {
		sid := row[1+(k+i)%s.db.replicas]
		if !s.stations[sid].db.down {
			return sid
		}
	}
	return row[0]
}
