package sim

import (
	"strconv"

	"scalesim/topology"
)

// ops is what the simulation does to itself, as an operator's world
// would: an autoscaler adding and removing app nodes, nodes booting
// before they take traffic, and random failures and repairs. Each of its
// decisions is a topology.Change applied at a simulated time.
type ops struct {
	scaler   autoscaler
	failures failureClocks
}

// opsKind is what an evOps event does; it travels in the event's sid.
type opsKind uint16

const (
	opsEvaluate     opsKind = iota // the autoscaler evaluates (gen: its loop)
	opsBooted                      // node id has booted (gen: its boot)
	opsNodeFail                    // node id's failure clock rings (gen: the clocks)
	opsNodeRepair                  // node id is repaired (gen: its failure)
	opsServerFail                  // shared server id (cacheServer, or a shard) fails
	opsServerRepair                // shared server id is repaired (gen: its failure)
)

// scheduleOps puts an ops event of kind k for id on the heap at t.
func (s *Sim) scheduleOps(t int64, k opsKind, id int32, gen uint32) {
	s.schedule(event{t: t, kind: evOps, sid: uint16(k), id: id, gen: gen})
}

// onOps runs an ops event.
func (s *Sim) onOps(e *event) {
	switch opsKind(e.sid) {
	case opsEvaluate:
		s.evaluate(e.gen)
	case opsBooted:
		s.booted(int(e.id), e.gen)
	case opsNodeFail:
		s.nodeFails(int(e.id), e.gen)
	case opsNodeRepair:
		s.nodeRepaired(int(e.id), e.gen)
	case opsServerFail:
		s.serverFails(int(e.id), e.gen)
	case opsServerRepair:
		s.serverRepaired(int(e.id), e.gen)
	}
}

// configureOps follows topology t's autoscale and failures sections after
// a (re)configuration.
func (s *Sim) configureOps(t *topology.Topology) {
	s.configureAutoscaler(t.Autoscale)
	s.configureFailures(t.Failures)
}

// scaleTo asks for n app nodes, now.
func (s *Sim) scaleTo(n int) {
	s.at(s.now, topology.Change{Action: topology.ActSet, Path: "app.nodes", Value: strconv.Itoa(n), Source: topology.SourceAutoscaler})
}

// setNode takes app node ni down as a crash would, or brings it back,
// now.
func (s *Sim) setNode(ni int, up bool) {
	act := topology.ActNodeDown
	if up {
		act = topology.ActNodeUp
	}
	s.at(s.now, topology.Change{Action: act, Node: ni + 1, Source: topology.SourceFailure})
}

// setServer takes shared server id (the cache, or a shard's primary)
// down or brings it back, now.
func (s *Sim) setServer(id int, up bool, o topology.Outage) {
	c := topology.Change{Source: topology.SourceFailure}
	switch {
	case id == cacheServer && up:
		c.Action = topology.ActCacheStart
	case id == cacheServer:
		c.Action = topology.ActCacheStop
	case up:
		c.Action, c.Node = topology.ActPrimaryUp, id
	default:
		c.Action, c.Node, c.Failover = topology.ActPrimaryDown, id, o.Failover
	}
	s.at(s.now, c)
}
