package sim

// Second is one simulated second of a run: what happened in it, and the
// state at its end. Options.OnSecond receives each as it closes, so that
// a reader can write or plot the whole run without the simulation
// keeping it. It is plain data: numbers, and the texts of the changes
// applied in the second.
type Second struct {
	// T is the end of the second, in simulated seconds from the start of
	// the run (warm-up included): the second from 0s to 1s has T 1.
	T float64 `json:"t"`
	// Counts are the outcomes of the second: attempts that arrived,
	// completed, were dropped or failed (by cause), retries and wasted
	// work, and logical requests by how they ended (see Counts). The
	// levels InFlight and Logical.Waiting are those at its end.
	Counts
	// P50Ms and P99Ms are the latency percentiles of the requests
	// completed in the second, in ms (0 when none completed).
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	// Each station's mean queue length and utilisation over the second;
	// zero for a station the topology does not have.
	App     StationSecond `json:"app"` // worker slots; queue: the nodes' backlogs
	CPU     StationSecond `json:"cpu"` // cores; queue: waiting for the GIL or a core
	DB      StationSecond `json:"db"`  // every database server together
	Cache   StationSecond `json:"cache"`
	Offload StationSecond `json:"offload"`
	// NodesUp and NodesBooting count the app nodes at the end of the
	// second that take traffic, and that are starting and do not yet.
	NodesUp      int `json:"nodes_up"`
	NodesBooting int `json:"nodes_booting"`
	// Marks are the changes applied in the second (by the timeline, the
	// autoscaler, a failure, a key), oldest first; nil for none.
	Marks []Mark `json:"marks"`
}

// StationSecond is one station over one second.
type StationSecond struct {
	Queue float64 `json:"queue"` // mean requests waiting
	Util  float64 `json:"util"`  // mean busy servers / servers, 0 to 1
}

// station returns the station k of the series order.
func (r *Second) station(k int) *StationSecond {
	return [numSeries]*StationSecond{&r.App, &r.CPU, &r.DB, &r.Cache, &r.Offload}[k]
}

// minus is c less p, field by field: the outcomes between two readings
// of the whole run's counts. InFlight and Logical.Waiting, levels, are
// c's.
func (c Counts) minus(p Counts) Counts {
	return Counts{
		Arrived: c.Arrived - p.Arrived, Completed: c.Completed - p.Completed,
		Dropped: c.Dropped - p.Dropped, Failed: c.Failed - p.Failed, InFlight: c.InFlight,
		DroppedBy: DropCauses{
			BacklogFull: c.DroppedBy.BacklogFull - p.DroppedBy.BacklogFull,
			InFlightCap: c.DroppedBy.InFlightCap - p.DroppedBy.InFlightCap,
		},
		FailedBy: FailCauses{
			Timeout: c.FailedBy.Timeout - p.FailedBy.Timeout, NodeDown: c.FailedBy.NodeDown - p.FailedBy.NodeDown,
			NoNodeUp: c.FailedBy.NoNodeUp - p.FailedBy.NoNodeUp, DBRefused: c.FailedBy.DBRefused - p.FailedBy.DBRefused,
			GaveUp: c.FailedBy.GaveUp - p.FailedBy.GaveUp, DBDown: c.FailedBy.DBDown - p.FailedBy.DBDown,
		},
		Retries: c.Retries - p.Retries, Wasted: c.Wasted - p.Wasted,
		Logical: Logical{
			Sent: c.Logical.Sent - p.Logical.Sent, Goodput: c.Logical.Goodput - p.Logical.Goodput,
			Dropped: c.Logical.Dropped - p.Logical.Dropped, Failed: c.Logical.Failed - p.Logical.Failed,
			Abandoned: c.Logical.Abandoned - p.Logical.Abandoned, Waiting: c.Logical.Waiting,
			Throttled: c.Logical.Throttled - p.Logical.Throttled,
		},
	}
}

// closeSecond builds the row of the second ending now from the whole
// run's counters and integrals, and moves the marks of the last reading
// on. It is the only writer of those marks: reading a run never moves
// them.
func (s *Sim) closeSecond() Second {
	se := &s.series
	tot := s.Totals()
	row := Second{T: float64(s.now) / 1e9, Counts: tot.minus(se.prevTotals)}
	se.prevTotals = tot
	sec := s.latency.second()
	row.P50Ms = sec.Quantile(0.5) / 1e6
	row.P99Ms = sec.Quantile(0.99) / 1e6
	s.latency.newSecond()
	for k, st := range s.seriesStations() {
		q, b, sv := st.lifeAreas(s.now)
		out := row.station(k)
		out.Queue = (q - se.prevQueue[k]) / 1e9
		if d := sv - se.prevServers[k]; d > 0 {
			out.Util = (b - se.prevBusy[k]) / d
		}
		se.prevQueue[k], se.prevBusy[k], se.prevServers[k] = q, b, sv
	}
	if k := s.tl.marked - se.prevMarked; k > 0 {
		all := s.Marks()
		row.Marks = all[len(all)-int(min(k, uint64(len(all)))):]
		se.prevMarked = s.tl.marked
	}
	for _, n := range s.nodes {
		switch n.status() {
		case NodeUp:
			row.NodesUp++
		case NodeBooting:
			row.NodesBooting++
		}
	}
	return row
}
