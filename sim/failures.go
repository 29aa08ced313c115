package sim

import (
	"fmt"

	"scalesim/topology"
)

// failureClocks drive the failures section's random outages. Each app
// node, the cache and each shard's primary has a failure clock: a
// Poisson process of rate 1/MTBF on a random stream of its own. A tick
// that finds its server up takes it down, and a repair follows after an
// exponential time of mean MTTR, drawn from a second stream; a tick that
// finds it down (or booting, or removed) does nothing. Because the
// exponential distribution is memoryless, each up time is then
// exponential with mean MTBF, and the failure times of a server are the
// same whatever else the topology holds (common random numbers).
type failureClocks struct {
	nodesOn bool
	nodes   topology.Outage
	gen     uint32 // counts node clock settings; a tick of an older one is stale
	node    []serverClock

	// shared servers: the cache, then each shard's primary
	serverOn  [1 + maxShards]bool
	serverCfg [1 + maxShards]topology.Outage
	server    [1 + maxShards]serverClock
}

// maxShards is the most shards a topology has (topology's limit).
const maxShards = 64

// Shared servers' ids in failure events.
const cacheServer = 0

// serverClock is one server's failure clock.
type serverClock struct {
	started          bool
	gen              uint32 // counts clock settings
	failRN, repairRN seqStream
	failures         uint32 // counts failures; a repair of an older one is stale
	down             bool   // down by a failure of this clock, not yet repaired
}

func (c *serverClock) start(seed uint64, name string) {
	if c.failRN.st == nil {
		c.failRN = seqStream{st: newStream(seed, name+"/fail")}
		c.repairRN = seqStream{st: newStream(seed, name+"/repair")}
	}
	c.started = true
}

// draw returns an exponential time of mean d, in ns.
func draw(q *seqStream, d int64) int64 { return nanos(q.next().ExpFloat64() * float64(d)) }

// configureFailures follows the failures section f (nil: none). A new or
// changed outage restarts its clocks from now; nodes added later get a
// clock of their own when they first join.
func (s *Sim) configureFailures(f *topology.Failures) {
	fc := &s.ops.failures
	var nodes, cache, db *topology.Outage
	if f != nil {
		nodes, cache, db = f.Nodes, f.Cache, f.DB
	}
	if nodes == nil || !fc.nodesOn || *nodes != fc.nodes {
		fc.gen++
		for i := range fc.node {
			fc.node[i].started = false
		}
	}
	fc.nodesOn = nodes != nil
	if nodes != nil {
		fc.nodes = *nodes
		for ni := range s.nodes {
			if ni == len(fc.node) {
				fc.node = append(fc.node, serverClock{})
			}
			if c := &fc.node[ni]; !c.started {
				c.start(s.seed, fmt.Sprintf("failures/node/%d", ni+1))
				s.scheduleOps(s.in(draw(&c.failRN, int64(nodes.MTBF))), opsNodeFail, int32(ni), fc.gen)
			}
		}
	}
	if s.topo.Cache == nil {
		cache = nil
	}
	s.configureServer(cacheServer, cache, "failures/cache")
	for k := 0; k < maxShards; k++ {
		var o *topology.Outage
		if k < s.topo.DB.Shards {
			o = db
		}
		s.configureServer(1+k, o, fmt.Sprintf("failures/db/%d", k+1))
	}
}

// configureServer sets shared server id's outage o (nil: none).
func (s *Sim) configureServer(id int, o *topology.Outage, name string) {
	fc := &s.ops.failures
	c := &fc.server[id]
	if o == nil {
		if fc.serverOn[id] {
			fc.serverOn[id] = false
			c.gen++
		}
		return
	}
	if fc.serverOn[id] && fc.serverCfg[id] == *o {
		return
	}
	fc.serverOn[id], fc.serverCfg[id] = true, *o
	c.gen++
	c.start(s.seed, name)
	s.scheduleOps(s.in(draw(&c.failRN, int64(o.MTBF))), opsServerFail, int32(id), c.gen)
}

// nodeFails is a tick of node ni's failure clock.
func (s *Sim) nodeFails(ni int, gen uint32) {
	fc := &s.ops.failures
	if !fc.nodesOn || gen != fc.gen {
		return
	}
	c := &fc.node[ni]
	s.scheduleOps(s.in(draw(&c.failRN, int64(fc.nodes.MTBF))), opsNodeFail, int32(ni), fc.gen)
	n := s.nodes[ni]
	if ni >= s.topo.App.Nodes || !n.up || n.draining {
		return
	}
	c.failures++
	c.down = true
	s.scheduleOps(s.in(draw(&c.repairRN, int64(fc.nodes.MTTR))), opsNodeRepair, int32(ni), c.failures)
	s.setNode(ni, false)
}

// nodeRepaired: node ni's failure number gen is repaired.
func (s *Sim) nodeRepaired(ni int, gen uint32) {
	fc := &s.ops.failures
	c := &fc.node[ni]
	if gen != c.failures || !c.down {
		return
	}
	c.down = false
	n := s.nodes[ni]
	if n.up || n.draining || n.isBooting() {
		return
	}
	s.setNode(ni, true)
}

// serverFails is a tick of shared server id's failure clock.
func (s *Sim) serverFails(id int, gen uint32) {
	fc := &s.ops.failures
	c := &fc.server[id]
	if !fc.serverOn[id] || gen != c.gen {
		return
	}
	o := fc.serverCfg[id]
	s.scheduleOps(s.in(draw(&c.failRN, int64(o.MTBF))), opsServerFail, int32(id), c.gen)
	if c.down {
		return
	}
	c.failures++
	c.down = true
	s.scheduleOps(s.in(draw(&c.repairRN, int64(o.MTTR))), opsServerRepair, int32(id), c.failures)
	s.setServer(id, false, o)
}

// serverRepaired: shared server id's failure number gen is repaired.
func (s *Sim) serverRepaired(id int, gen uint32) {
	c := &s.ops.failures.server[id]
	if gen != c.failures || !c.down {
		return
	}
	c.down = false
	s.setServer(id, true, s.ops.failures.serverCfg[id])
}
