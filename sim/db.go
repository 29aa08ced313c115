package sim

import (
	"fmt"
	mbits "math/bits"

	"scalesim/topology"
)

// dbServer is what a database server adds to a station: its place in the
// cluster, its connections, its pooler and its replication clock.
type dbServer struct {
	shard   int
	replica int  // 0 for the primary, 1.. for its replicas
	active  bool // part of the cluster now (else draining or unused)
	down    bool // stopped by a change (primary.go)

	conns     int    // connections open to it
	refused   uint64 // connections it refused (measured window)
	pool      pooler
	pooled    bool
	cs        cpuSched // its cores under its OS (dbsched.go)
	switched  uint64   // cs.switches when the measured window began
	lastWrite int64    // primary: when a write last committed
	lag       int64    // replica: replication lag
	reads     uint64   // replica: reads served (window)
	behind    uint64   // replica: of them, served while the row's write (any write, without rows) had not arrived
}

// pooler is a transaction-pooling PgBouncer in front of one server: size
// server connections, and a FIFO of transactions waiting for one.
type pooler struct {
	size, busy int
	q          fifo
	stats      stationStats
}

// dbCluster is the database's layout: which station is which server.
type dbCluster struct {
	shards, replicas int
	index            [][]int // station of (shard, replica)
	maxConns         int
	persistent       bool
	rowRN            *stream // which row a query touches
	shardRN          *stream // which shard, when rows are not modelled
	replicaRN        *stream // which replica serves a read
	refused          uint64  // connections refused, measured window
	rowWrite         []int64 // when each row was last written; empty when rows are not modelled
	jobs             dbJobs  // the queries on the servers' cores (dbsched.go)
	agg              stationStats
	pool             stationStats // all poolers together
}

// pickRow chooses the row request id's query touches, and returns the
// shard it lives on: row mod shards, or a shard at random when rows are
// not modelled.
func (s *Sim) pickRow(id int32) int {
	r := &s.reqs[id]
	if n := len(s.db.rowWrite); n > 0 {
		r.row = int32(s.db.rowRN.at(r.serial, uint64(r.pc)).IntN(n))
		return int(r.row) % s.db.shards
	}
	r.row = -1
	if s.db.shards == 1 {
		return 0
	}
	return s.db.shardRN.at(r.serial, uint64(r.pc)).IntN(s.db.shards)
}

// primary returns the station of shard's primary.
func (s *Sim) primary(shard int) int { return s.db.index[shard][0] }

// readServer returns the station request id's read on shard goes to:
// one of its replicas at random, or the primary when it has none.
func (s *Sim) readServer(id int32, shard int) int {
	if s.db.replicas == 0 {
		return s.db.index[shard][0]
	}
	r := &s.reqs[id]
	return s.upReplica(shard, s.db.replicaRN.at(r.serial, uint64(r.pc)|uint64(r.try)<<48).IntN(s.db.replicas))
}

// configureDB lays out the database servers for t, keeping the stations
// of servers that stay, and draining those that go.
func (s *Sim) configureDB(t *topology.DB) error {
	shards, replicas := t.Shards, t.Replicas
	if shards < 1 {
		shards = 1
	}
	// stations by (shard, replica), reused across changes
	want := map[[2]int]bool{}
	for sh := 0; sh < shards; sh++ {
		for r := 0; r <= replicas; r++ {
			want[[2]int{sh, r}] = true
		}
	}
	have := map[[2]int]int{}
	for sid := sidDB; sid < len(s.stations); sid++ {
		d := &s.stations[sid].db
		have[[2]int{d.shard, d.replica}] = sid
	}
	index := make([][]int, shards)
	for sh := range index {
		index[sh] = make([]int, replicas+1)
		for r := range index[sh] {
			key := [2]int{sh, r}
			sid, ok := have[key]
			if !ok {
				sid = s.newDBStation(want, sh, r)
				if sid < 0 {
					return fmt.Errorf("db: more than %d database servers at once; let the old ones drain first", maxDBServers)
				}
			}
			index[sh][r] = sid
		}
	}
	s.db.shards, s.db.replicas, s.db.index = shards, replicas, index
	if len(s.db.rowWrite) != t.Rows {
		s.db.rowWrite = make([]int64, t.Rows)
	}
	s.db.maxConns = t.MaxConnections
	s.db.persistent = t.Connections == topology.Persistent
	for sid := sidDB; sid < len(s.stations); sid++ {
		st := &s.stations[sid]
		d := &st.db
		d.active = want[[2]int{d.shard, d.replica}]
		cores := 0
		if d.active {
			cores = t.Cores
			st.name = dbName(d.shard, d.replica, shards)
		}
		// a server that leaves keeps its cores until it has drained
		if !d.active && (st.stats.busy > 0 || st.waiting() > 0) {
			cores = st.stats.servers
		}
		st.hop = int64(t.Latency)
		st.setServers(s.now, cores)
		s.configureCPU(sid, cores)
		if d.active {
			st.setServers(s.now, d.cs.present()) // servers.go
		}
		s.dbStartQueued(sid)
		d.lag = int64(t.ReplicationLag)
		d.pooled = t.Pool != nil
		size := 0
		if t.Pool != nil && d.active {
			size = t.Pool.Size
		}
		d.pool.size = size
		d.pool.stats.setServers(s.now, size)
		s.grantPool(sid)
	}
	return nil
}

// dbRoom reports an error if laying out t would need more database
// servers than a simulation holds, counting those still draining.
func (s *Sim) dbRoom(t *topology.DB) error {
	want := map[[2]int]bool{}
	for sh := 0; sh < max(t.Shards, 1); sh++ {
		for r := 0; r <= t.Replicas; r++ {
			want[[2]int{sh, r}] = true
		}
	}
	kept := 0
	for sid := sidDB; sid < len(s.stations); sid++ {
		st := &s.stations[sid]
		d := &st.db
		if want[[2]int{d.shard, d.replica}] || st.stats.busy > 0 || st.waiting() > 0 || d.conns > 0 || d.pool.busy > 0 || d.pool.q.len() > 0 {
			kept++
		}
	}
	for sid := sidDB; sid < len(s.stations); sid++ {
		d := &s.stations[sid].db
		delete(want, [2]int{d.shard, d.replica})
	}
	if kept+len(want) > maxDBServers {
		return fmt.Errorf("db: more than %d database servers at once while the old ones drain; try again in a moment", maxDBServers)
	}
	return nil
}

// newDBStation adds (or recycles) a station for server (shard, replica).
func (s *Sim) newDBStation(want map[[2]int]bool, shard, replica int) int {
	for sid := sidDB; sid < len(s.stations); sid++ {
		st := &s.stations[sid]
		d := &st.db
		if !want[[2]int{d.shard, d.replica}] && st.stats.busy == 0 && st.waiting() == 0 && d.conns == 0 && d.pool.busy == 0 && d.pool.q.len() == 0 {
			d.shard, d.replica = shard, replica
			return sid
		}
	}
	if len(s.stations)-sidDB >= maxDBServers {
		return -1
	}
	s.stations = append(s.stations, station{agg: &s.db.agg, db: dbServer{shard: shard, replica: replica}})
	return len(s.stations) - 1
}

func dbName(shard, replica, shards int) string {
	base := "primary"
	if shards > 1 {
		base = fmt.Sprintf("shard%d", shard+1)
	}
	if replica == 0 {
		return base
	}
	return fmt.Sprintf("%s.replica%d", base, replica)
}

// query sends request id to database server sid: through the pooler when
// there is one, else over a connection of its own.
func (s *Sim) query(id int32, sid int) {
	r := &s.reqs[id]
	r.sid = uint16(sid)
	st := &s.stations[sid]
	if st.db.down && !r.internal {
		s.failOnWorker(id, failDBDown) // connection refused
		return
	}
	if !r.internal {
		if st.db.pooled {
			if int(r.poolHeld) != sid-sidDB {
				p := &st.db.pool
				if p.busy >= p.size {
					r.qpos = p.q.push(id)
					p.stats.addQueued(s.now, 1)
					s.db.pool.addQueued(s.now, 1)
					s.setState(id, stPoolWait)
					r.enq = s.now
					return
				}
				s.takePool(id, sid)
			}
		} else if s.db.maxConns > 0 && !s.connect(id, sid) {
			s.failOnWorker(id, failDBRefused)
			return
		}
	}
	s.visit(id, sid)
}

// takePool gives request id a server connection of sid's pooler.
func (s *Sim) takePool(id int32, sid int) {
	r := &s.reqs[id]
	p := &s.stations[sid].db.pool
	p.busy++
	p.stats.addBusy(s.now, 1)
	s.db.pool.addBusy(s.now, 1)
	if r.state == stPoolWait {
		p.stats.started(s.now - r.enq)
		s.db.pool.started(s.now - r.enq)
	} else {
		p.stats.started(0)
		s.db.pool.started(0)
	}
	r.poolHeld = int16(sid - sidDB)
}

// releasePool gives request id's pooler connection back.
func (s *Sim) releasePool(id int32) {
	r := &s.reqs[id]
	if r.poolHeld < 0 {
		return
	}
	sid := int(r.poolHeld) + sidDB
	p := &s.stations[sid].db.pool
	p.busy--
	p.stats.addBusy(s.now, -1)
	s.db.pool.addBusy(s.now, -1)
	p.stats.finished(0)
	s.db.pool.finished(0)
	r.poolHeld = -1
	s.grantPool(sid)
}

// grantPool hands free pooler connections of sid to waiting transactions.
func (s *Sim) grantPool(sid int) {
	p := &s.stations[sid].db.pool
	for p.busy < p.size && p.q.len() > 0 {
		next := p.q.pop()
		p.stats.addQueued(s.now, -1)
		s.db.pool.addQueued(s.now, -1)
		s.takePool(next, sid)
		s.visit(next, sid)
	}
}

// queryDone: request id's query on its DB server has returned. Outside a
// transaction its pooler connection goes back at once.
func (s *Sim) queryDone(id int32) {
	r := &s.reqs[id]
	if !r.lockHeld {
		s.releasePool(id)
	}
}

// connect makes sure request id holds a connection to DB server sid,
// opening one if the server's limit allows. It reports false when the
// server refuses ("too many connections").
func (s *Sim) connect(id int32, sid int) bool {
	r := &s.reqs[id]
	bit := uint64(1) << uint(sid-sidDB)
	if r.conns&bit != 0 {
		return true
	}
	st := &s.stations[sid]
	k := sid - sidDB
	var w *worker
	if s.db.persistent {
		// a connection the worker keeps open and no request uses is free
		w = &s.nodes[r.node].workers[r.worker]
		w.growConns(k + 1)
		if w.dbInUse[k] < w.dbHeld[k] {
			w.dbInUse[k]++
			r.conns |= bit
			return true
		}
	}
	if st.db.conns >= s.db.maxConns {
		s.refuseConn(st)
		return false
	}
	st.db.conns++
	if w != nil {
		w.dbHeld[k]++
		w.dbInUse[k]++
	}
	r.conns |= bit
	return true
}

func (s *Sim) refuseConn(st *station) {
	st.db.refused++
	s.db.refused++
	if !s.log.refused { // checked first: formatting allocates
		s.logOnce(&s.log.refused, "%s: too many connections (max_connections %d): requests fail", st.name, s.db.maxConns)
	}
}

// holdsDB reports whether request r holds anything releaseDB gives back.
func (r *request) holdsDB() bool {
	return r.conns != 0 || r.poolHeld >= 0 || r.lockHeld || r.strategy&claimOpen != 0
}

// releaseDB gives back everything request id holds in the database: its
// claim on a unit of stock, its row lock, its pooler connection and its
// own connections.
func (s *Sim) releaseDB(id int32) {
	s.dropClaim(id)
	r := &s.reqs[id]
	if r.lockHeld {
		s.unlockRow(id)
	}
	s.releasePool(id)
	for bits := r.conns; bits != 0; bits &= bits - 1 {
		k := mbits.TrailingZeros64(bits)
		if s.db.persistent && r.worker >= 0 {
			w := &s.nodes[r.node].workers[r.worker]
			w.dbInUse[k]--
		} else {
			s.stations[sidDB+k].db.conns--
		}
	}
	r.conns = 0
}

// closeWorkerConns closes the persistent connections of a worker that
// exits.
func (s *Sim) closeWorkerConns(w *worker) {
	for k, n := range w.dbHeld {
		s.stations[sidDB+k].db.conns -= int(n)
		w.dbHeld[k], w.dbInUse[k] = 0, 0
	}
}

// leavePoolQueue takes a killed request out of its pooler's queue.
func (s *Sim) leavePoolQueue(id int32) {
	r := &s.reqs[id]
	p := &s.stations[r.sid].db.pool
	if p.q.removeAt(r.qpos, id) {
		p.stats.addQueued(s.now, -1)
		s.db.pool.addQueued(s.now, -1)
	}
}

// growConns makes room for the connection counters of n DB servers.
func (w *worker) growConns(n int) {
	for len(w.dbHeld) < n {
		w.dbHeld = append(w.dbHeld, 0)
		w.dbInUse = append(w.dbInUse, 0)
	}
}

// noteWrite: a write of row (-1: no row) committed on primary sid; its
// replicas lack it until it has travelled the replication lag.
func (s *Sim) noteWrite(sid int, row int32) {
	s.stations[sid].db.lastWrite = s.now
	if row >= 0 {
		s.db.rowWrite[row] = s.now
	}
}

// noteRead: a read of row was served by sid. On a replica that has not
// yet received the last write of that row, it returned stale data. When
// rows are not modelled (row -1) it counts when the replica lacks any
// write: the read may have been stale, an upper bound.
func (s *Sim) noteRead(sid int, row int32) {
	d := &s.stations[sid].db
	if d.replica == 0 {
		return
	}
	d.reads++
	last := s.stations[s.primaryOf(d)].db.lastWrite
	if row >= 0 {
		last = s.db.rowWrite[row]
	}
	if last > 0 && s.now-last < d.lag {
		d.behind++
	}
}

// primaryOf returns the station of a server's primary.
func (s *Sim) primaryOf(d *dbServer) int {
	if d.shard < len(s.db.index) {
		return s.db.index[d.shard][0]
	}
	return sidDB
}
