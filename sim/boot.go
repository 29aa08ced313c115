package sim

import (
	"time"

	"scalesim/topology"
)

// bootState is a node's start-up. A node that joins the pool while the
// simulation runs (the autoscaler's, or one added by hand) starts from
// nothing: it boots for the autoscale section's boot time, taking no
// traffic, then starts its workers and the load balancer sends it
// requests. Down while it boots, it is not up in any sense: the load
// balancer cannot pick it and it holds no workers.
type bootState struct {
	booting bool
	gen     uint32 // counts boots; an opsBooted event of an older one is stale
	until   int64  // when it will have booted
	readyAt int64  // when it last finished booting (0: it never booted)
}

// bootTime is how long a node added now takes to boot.
func (s *Sim) bootTime() int64 {
	if a := s.topo.Autoscale; a != nil {
		return int64(a.Boot)
	}
	return 0
}

// isBooting reports whether node n is starting and not yet in the pool.
func (n *node) isBooting() bool { return n.boot.booting && !n.draining }

// joinPool is called as node ni, new or drained, joins the pool while
// the simulation runs: a node with nothing running boots first. One that
// is still draining (its removal cancelled before it finished) simply
// goes back to work.
func (s *Sim) joinPool(ni int) {
	n := s.nodes[ni]
	d := s.bootTime()
	if d <= 0 || n.active+n.retiring > 0 {
		return
	}
	n.up = false // counted nowhere until it has booted
	n.boot.booting = true
	n.boot.gen++
	n.boot.until = s.in(d)
	s.scheduleOps(n.boot.until, opsBooted, int32(ni), n.boot.gen)
	// one line for the nodes added together
	s.logf("new nodes boot: they take traffic in %s", topology.FormatDuration(time.Duration(d)))
}

// booted: node ni has finished boot number gen. Removed meanwhile, it
// never starts.
func (s *Sim) booted(ni int, gen uint32) {
	n := s.nodes[ni]
	if !n.boot.booting || n.boot.gen != gen {
		return
	}
	n.boot.booting = false
	if n.draining {
		return
	}
	n.up = true
	n.boot.readyAt = s.now
	s.countCores(ni)
	s.reconcile(ni)
	s.refreshEligible()
	s.logf("new nodes booted: they take traffic")
}

// cancelBoot stops node ni's boot: taken down while it boots, it stays
// down.
func (s *Sim) cancelBoot(ni int) {
	s.nodes[ni].boot.booting = false
}

// bootingNodes counts the nodes of the pool that are booting.
func (s *Sim) bootingNodes() int {
	k := 0
	for _, n := range s.nodes {
		if n.isBooting() {
			k++
		}
	}
	return k
}
