package sim

import (
	"time"

	"scalesim/topology"
)

// WorkerState is what one worker process's slots are doing now.
type WorkerState struct {
	Slots    int  `json:"slots"`
	Retiring bool `json:"retiring"`
	// Slots by activity; with Idle they add up to Slots, but for slots
	// between two steps at the instant of the snapshot.
	CPU     int `json:"cpu"`      // running on a core (holding the GIL, if any)
	WaitGIL int `json:"wait_gil"` // ready to run, waiting for the GIL
	// WaitCore holds the GIL (if any) and waits for a core of its node.
	WaitCore int `json:"wait_core"`
	IO       int `json:"io"`
	DB       int `json:"db"`
	Cache    int `json:"cache"`
	Offload  int `json:"offload"`
	Idle     int `json:"idle"`
}

// NodeState is one app node now.
type NodeState struct {
	Up           bool          `json:"up"`
	Draining     bool          `json:"draining"`
	Cores        int           `json:"cores"`
	BusyCores    int           `json:"busy_cores"`
	CoreQueue    int           `json:"core_queue"`
	Backlog      int           `json:"backlog"`
	BacklogLimit int           `json:"backlog_limit"` // topology.Unlimited for none
	InFlight     int           `json:"in_flight"`
	OOMKills     int           `json:"oom_kills"`
	MemoryUsed   int64         `json:"memory_used"`
	Workers      []WorkerState `json:"workers"`
}

// StationState is a shared station (db, cache, offload) now.
type StationState struct {
	Name    string `json:"name"`
	Servers int    `json:"servers"`
	Busy    int    `json:"busy"`
	Queue   int    `json:"queue"`
}

// Snapshot is the state of a running simulation, for display: plain data
// that shares nothing with the simulation.
type Snapshot struct {
	Now      time.Duration
	Topology *topology.Topology
	Seed     uint64
	Totals   Counts
	Nodes    []NodeState
	Shared   []StationState
	// Summary covers the measured window: since the warm-up or the last
	// ResetStats.
	Summary Summary
	Series  Series
	Log     []LogEntry
	Events  uint64
}

// Snapshot reads the simulation's state. It allocates and is meant to be
// called a few dozen times per second, not per event; its cost grows with
// the workers and stations, not with the requests in flight.
func (s *Sim) Snapshot() Snapshot {
	snap := Snapshot{
		Now: time.Duration(s.now), Topology: s.topo.Clone(), Seed: s.seed,
		Totals: s.Totals(), Summary: s.Summary(), Series: s.series.export(s.present()),
		Log: s.Log(), Events: s.events,
	}
	for _, n := range s.nodes {
		if n.draining && n.inflight == 0 {
			continue
		}
		ns := NodeState{
			Up: n.up, Draining: n.draining, Cores: n.cores, BusyCores: n.busyCores,
			CoreQueue: n.coreQ.len(), Backlog: n.backlog.len(), BacklogLimit: s.appCfg.backlog,
			InFlight: n.inflight, OOMKills: n.oomKills, MemoryUsed: n.memUsed,
		}
		for wi := range n.workers {
			w := &n.workers[wi]
			if w.gone {
				continue
			}
			a := &w.act
			ns.Workers = append(ns.Workers, WorkerState{
				Slots: w.slots, Retiring: w.retiring, Idle: w.slots - w.busy,
				CPU: int(a[actCPU]), WaitGIL: int(a[actWaitGIL]), WaitCore: int(a[actWaitCore]),
				IO: int(a[actIO]), DB: int(a[actDB]), Cache: int(a[actCache]), Offload: int(a[actOffload]),
			})
		}
		snap.Nodes = append(snap.Nodes, ns)
	}
	p := s.present()
	if p[serDB] {
		a := &s.db.agg
		snap.Shared = append(snap.Shared, StationState{Name: "db", Servers: a.servers, Busy: a.busy, Queue: a.queued})
	}
	for k, sid := range []int{sidCache, sidOffload} {
		if !p[serCache+k] {
			continue
		}
		st := &s.stations[sid]
		snap.Shared = append(snap.Shared, StationState{Name: st.name, Servers: st.stats.servers, Busy: st.stats.busy, Queue: st.q.len()})
	}
	return snap
}
