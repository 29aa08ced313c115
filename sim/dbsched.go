package sim

import "scalesim/topology"

// The operating system's scheduler of a database server's cores.
//
// PostgreSQL runs each connection in a backend process of its own, so a
// server's cores are shared among the backends that have a query to run
// the way an app node's are among its threads: the same scheduler
// (cpu_sched.go's cpuSched: run queue, base slice, tick, wake-up
// preemption, switch cost), configured by db.scheduler. A query is a
// job: the CPU a backend must have to answer it. The job, not the
// request, holds the core, because a backend runs on when its client is
// gone (a request killed by a timeout leaves its query running); only a
// live request goes on when its query ends. A query is runnable from the
// moment it reaches the server, so the station's queue is its run queue;
// the station's own FIFO holds only the queries that wait for a server
// that is down (a queued order writer's).
//
// Each query runs in its request's connection, one backend: a core that
// takes a query of another request than the one it ran last pays the
// switch cost first.

// dbSliced reports whether the database's cores are time-sliced among
// its queries rather than run first come, first served.
func (s *Sim) dbSliced() bool { return s.topo.DB.CPU.Scheduler != topology.RunToCompletion }

// dbSwitchReason is why a database server's cores are not the queries'
// servers alone, when a switch to each query's backend costs CPU.
func (s *Sim) dbSwitchReason() string {
	if c := s.topo.DB.CPU.SwitchCost; c > 0 {
		return "each query costs its core a " + topology.FormatDuration(c) + " switch to its backend too"
	}
	return ""
}

// dbJob is one query on a database server's cores.
type dbJob struct {
	req     int32  // the request that sent it
	gen     uint32 // that request's gen then: a killed request's query runs on alone
	sid     uint16 // its server's station
	demand  int64  // CPU ns it needs
	remain  int64  // CPU ns it still needs
	ranFrom int64  // since when its CPU on its core is not yet charged
	enq     int64  // when it last became runnable
	wait    int64  // ns runnable but not running, so far
}

// dbJobs is the slab of queries in the database, recycled through a free
// list so that the steady state allocates nothing.
type dbJobs struct {
	jobs []dbJob
	free []int32
}

func (q *dbJobs) alloc() int32 {
	if n := len(q.free); n > 0 {
		j := q.free[n-1]
		q.free = q.free[:n-1]
		return j
	}
	q.jobs = append(q.jobs, dbJob{})
	return int32(len(q.jobs) - 1)
}

func (q *dbJobs) release(j int32) { q.free = append(q.free, j) }

// waiting is how many queries at station st wait: for a core, or for the
// server to come back up. For other stations it is the FIFO.
func (st *station) waiting() int { return st.q.len() + st.db.cs.runq.len() }

// dbServe starts request id's query on its database server: the backend
// is runnable.
func (s *Sim) dbServe(id int32) {
	r := &s.reqs[id]
	st := &s.stations[r.sid]
	d := s.slowed(tierDB, s.serviceTime(r))
	st.stats.service(d)
	st.agg.service(d)
	s.setState(id, stService)
	j := s.db.jobs.alloc()
	s.db.jobs.jobs[j] = dbJob{req: id, gen: r.gen, sid: r.sid, demand: d, remain: d, enq: s.now}
	st.addQueued(s.now, 1)
	s.dbRunnable(j)
}

// dbKey names the backend job j runs in.
func (s *Sim) dbKey(j *dbJob) int64 { return int64(j.req)<<32 | int64(j.gen) }

// dbRunnable puts job j on an idle core of its server, or in the run
// queue, where under time slices it may preempt a query that has had its
// slice.
func (s *Sim) dbRunnable(j int32) {
	job := &s.db.jobs.jobs[j]
	sid := int(job.sid)
	cs := &s.stations[sid].db.cs
	if ci := cs.idleCore(s.dbKey(job)); ci >= 0 {
		s.dbDispatch(sid, ci, j)
		return
	}
	cs.runq.push(j)
	if !cs.rtc {
		if ci := cs.victim(s.now, -1); ci >= 0 {
			s.dbPreempt(sid, ci)
		}
	}
}

// dbDispatch runs job j on core ci of server sid.
func (s *Sim) dbDispatch(sid, ci int, j int32) {
	st := &s.stations[sid]
	job := &s.db.jobs.jobs[j]
	cost, woke := st.db.cs.take(ci, s.dbKey(job), s.now)
	st.db.cs.cores[ci].end = st.db.cs.sliceEnd(s.now)
	if woke {
		st.addBusy(s.now, 1)
	}
	st.addQueued(s.now, -1)
	job.wait += s.now - job.enq
	job.ranFrom = s.now + cost
	st.db.cs.cores[ci].id = j
	s.dbArm(sid, ci)
}

// dbArm schedules the end of the query or of the slice on core ci.
func (s *Sim) dbArm(sid, ci int) {
	c := &s.stations[sid].db.cs.cores[ci]
	job := &s.db.jobs.jobs[c.id]
	c.seq = s.nextCoreSeq()
	t := min(later(job.ranFrom, job.remain), c.end)
	s.schedule(event{t: t, kind: evDBCore, id: c.id, gen: c.seq, sid: uint16(ci)})
}

// dbCharge counts the CPU job j has had since it was last charged.
func (s *Sim) dbCharge(job *dbJob) {
	if s.now > job.ranFrom {
		job.remain -= s.now - job.ranFrom
		job.ranFrom = s.now
	}
}

// dbPreempt takes the query on core ci of server sid off it, to the back
// of the run queue, and starts the one at the head.
func (s *Sim) dbPreempt(sid, ci int) {
	st := &s.stations[sid]
	cs := &st.db.cs
	c := &cs.cores[ci]
	j := c.id
	job := &s.db.jobs.jobs[j]
	s.dbCharge(job)
	c.id = -1
	job.enq = s.now
	st.addQueued(s.now, 1)
	cs.runq.push(j)
	s.dbDispatch(sid, ci, cs.runq.pop())
}

// dbCoreFree: nothing runs on core ci of server sid any more. It takes
// the head of the run queue, or goes idle.
func (s *Sim) dbCoreFree(sid, ci int) {
	st := &s.stations[sid]
	cs := &st.db.cs
	c := &cs.cores[ci]
	c.id = -1
	c.seq = s.nextCoreSeq()
	if ci < cs.usable && cs.runq.len() > 0 {
		s.dbDispatch(sid, ci, cs.runq.pop())
		return
	}
	cs.release(ci)
	st.addBusy(s.now, -1)
	if ci >= cs.usable && st.db.active {
		st.setServers(s.now, cs.present()) // a core that counted only while busy
	}
}

// onDBCore: the query or the slice on a core of a database server has
// ended.
func (s *Sim) onDBCore(e *event) {
	j := e.id
	job := &s.db.jobs.jobs[j]
	sid, ci := int(job.sid), int(e.sid)
	cs := &s.stations[sid].db.cs
	if ci >= len(cs.cores) {
		return
	}
	c := &cs.cores[ci]
	if c.seq != e.gen || c.id != j {
		return // preempted, or its server stopped
	}
	s.dbCharge(job)
	if job.remain > 0 {
		// the slice is over: the query goes on if nothing else waits
		if cs.runq.len() == 0 || ci >= cs.usable || cs.rtc {
			c.start, c.end = s.now, cs.sliceEnd(s.now)
			s.dbArm(sid, ci)
			return
		}
		s.dbPreempt(sid, ci)
		return
	}
	st := &s.stations[sid]
	st.stats.started(job.wait)
	st.stats.completions++
	st.agg.started(job.wait)
	st.agg.completions++
	id, gen := job.req, job.gen
	s.db.jobs.release(j)
	s.dbCoreFree(sid, ci)
	if r := &s.reqs[id]; r.gen == gen && r.state == stService {
		s.stationReturn(id)
	}
}

// configureCPU gives server sid's scheduler its policy and cores, and
// starts waiting queries on cores that are now free.
func (s *Sim) configureCPU(sid int, cores int) {
	cs := &s.stations[sid].db.cs
	cs.configure(s.topo.DB.CPU, cores)
	for ci := 0; ci < cs.usable && cs.runq.len() > 0; ci++ {
		if !cs.cores[ci].busy {
			s.dbDispatch(sid, ci, cs.runq.pop())
		}
	}
}

// dbStop drops every query on server sid, which has stopped: a queued
// order writer's query waits in the station's FIFO for a server to take
// it; the others' requests have failed.
func (s *Sim) dbStop(sid int) {
	st := &s.stations[sid]
	cs := &st.db.cs
	drop := func(j int32) {
		job := &s.db.jobs.jobs[j]
		id, gen := job.req, job.gen
		s.db.jobs.release(j)
		if r := &s.reqs[id]; r.gen == gen && r.state == stService {
			r.qpos = st.q.push(id)
			st.addQueued(s.now, 1)
			s.setState(id, stQueue)
		}
	}
	for cs.runq.len() > 0 {
		st.addQueued(s.now, -1)
		drop(cs.runq.pop())
	}
	for ci := range cs.cores {
		c := &cs.cores[ci]
		if c.id >= 0 {
			drop(c.id)
			c.id = -1
		}
		c.seq = s.nextCoreSeq()
		if c.busy {
			cs.markIdle(ci)
			st.addBusy(s.now, -1)
		}
	}
	cs.trim()
}

// dbStartQueued gives server sid, which is up, the queries that waited
// for it.
func (s *Sim) dbStartQueued(sid int) {
	st := &s.stations[sid]
	for !st.db.down && st.q.len() > 0 {
		next := st.q.pop()
		st.addQueued(s.now, -1)
		s.dbServe(next)
	}
}
