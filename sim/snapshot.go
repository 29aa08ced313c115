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
	// State is what it does for the load balancer: up, booting,
	// draining or down. Up and Draining say the same in two flags: Up
	// is false only when it is down.
	State NodeStatus `json:"state"`
	// ReadyIn is, while it boots, how long until it takes traffic.
	ReadyIn      time.Duration `json:"ready_in,omitempty"`
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
	// Active workers take requests; Retiring ones finish theirs, after a
	// reload or a removal, then exit.
	Active   int `json:"active"`
	Retiring int `json:"retiring"`
	// Slots adds up the slots of all its workers (active and retiring)
	// by activity.
	Slots WorkerState `json:"slots"`
	// Workers lists each worker, when the node has at most
	// MaxWorkerDetail of them (and the snapshot's total allows); else it
	// is empty and only Slots describes them. Detailed tells which.
	Workers []WorkerState `json:"workers,omitempty"`
}

// Detailed reports whether Workers lists every worker of the node.
func (n *NodeState) Detailed() bool { return len(n.Workers) == n.Active+n.Retiring }

// Limits on the workers a snapshot lists one by one, so that its size
// grows with the nodes and not with their workers: a frame of a
// thousand nodes of ten thousand workers stays small. A display draws
// individual workers only when they fit on a screen anyway.
const (
	// MaxWorkerDetail is the most workers of one node listed one by one.
	MaxWorkerDetail = 64
	// maxDetailTotal is the most workers listed over all nodes.
	maxDetailTotal = 1024
	// maxDetailScan is the most worker entries (live or exited) a node
	// may have for the snapshot to walk them.
	maxDetailScan = 4 * MaxWorkerDetail
)

// slotState describes slots slots whose busy ones do what act counts.
func slotState(slots int, retiring bool, act *[numActivities]int32) WorkerState {
	busy := 0
	for _, c := range act {
		busy += int(c)
	}
	return WorkerState{
		Slots: slots, Retiring: retiring, Idle: slots - busy,
		CPU: int(act[actCPU]), WaitGIL: int(act[actWaitGIL]), WaitCore: int(act[actWaitCore]),
		IO: int(act[actIO]), DB: int(act[actDB]), Cache: int(act[actCache]), Offload: int(act[actOffload]),
	}
}

// StationState is a shared station (db, cache, offload) now.
type StationState struct {
	Name    string `json:"name"`
	Servers int    `json:"servers"`
	Busy    int    `json:"busy"`
	Queue   int    `json:"queue"`
}

// Snapshot is the state of a running simulation, for display: plain data
// that shares nothing with the simulation but the Topology, which
// neither side modifies.
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
	// Autoscale is the autoscaler's state; nil without one.
	Autoscale *AutoscaleState
	// Marks are the last changes applied (by a key, the timeline, ...),
	// oldest first; Next the next few changes of the timeline to come;
	// Caption the timeline's last say: (empty Text for none).
	Marks   []Mark
	Next    []Mark
	Caption Mark
	// Life is the whole run, which no reset of the window forgets.
	Life Lifetime
	// Load is what the workload asks for now: the open workload's rate
	// in requests per second or the closed workload's users, as its
	// stages move it.
	Load float64
}

// Snapshot reads the simulation's state. It allocates and is meant to be
// called a few dozen times per second, not per event; its cost and size
// grow with the nodes and stations, not with the workers or the
// requests in flight. Topology is shared with the simulation (which
// never modifies it): Clone it before changing it.
func (s *Sim) Snapshot() Snapshot {
	snap := Snapshot{
		Now: time.Duration(s.now), Topology: s.topo, Seed: s.seed,
		Totals: s.Totals(), Summary: s.Summary(), Series: s.series.export(s.present()),
		Log: s.Log(), Events: s.events, Autoscale: s.autoscaleState(),
		Marks: s.Marks(), Next: s.Next(), Caption: s.tl.caption,
		Life: s.lifetime(),
		Load: s.OfferedLoad(),
	}
	snap.Nodes = make([]NodeState, 0, len(s.nodes))
	var detail []WorkerState // one backing array for every node's list
	for _, n := range s.nodes {
		if n.draining && n.inflight == 0 {
			continue
		}
		ns := NodeState{
			State: n.status(), Up: n.up, Draining: n.draining, Cores: n.cores, BusyCores: n.cs.busy(),
			CoreQueue: n.cs.runq.len(), Backlog: n.backlog.len(), BacklogLimit: s.appCfg.backlog,
			InFlight: n.inflight, OOMKills: n.oomKills, MemoryUsed: n.memUsed,
			Active: n.active, Retiring: n.retiring, Slots: slotState(n.slots, false, &n.act),
		}
		live := n.active + n.retiring
		if live <= MaxWorkerDetail && len(n.workers) <= maxDetailScan && len(detail)+live <= maxDetailTotal {
			if detail == nil {
				detail = make([]WorkerState, 0, min(maxDetailTotal, MaxWorkerDetail*len(s.nodes)))
			}
			start := len(detail)
			for wi := range n.workers {
				if w := &n.workers[wi]; !w.gone {
					detail = append(detail, slotState(w.slots, w.retiring, &w.act))
				}
			}
			ns.Workers = detail[start:len(detail):len(detail)]
		}
		if ns.State == NodeBooting {
			ns.ReadyIn = time.Duration(n.boot.until - s.now)
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
		snap.Shared = append(snap.Shared, StationState{Name: st.name, Servers: st.stats.servers, Busy: st.stats.busy, Queue: st.stats.queued})
	}
	return snap
}
