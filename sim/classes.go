package sim

// classStats keeps the measured window's latencies by request class, so
// that short requests stuck behind long ones show: one histogram per
// class (fixed memory each, about 40 KB: at most 1000 classes, which
// topology.Validate enforces), indexed like the workload's classes and
// moved with them by a live edit (classmap.go).
type classStats struct {
	lat []Histogram
	// one: the workload has had one class since the window began, so
	// that its latencies are the window's, which are not recorded twice:
	// lat[0] is unused then.
	one bool
}

// resize keeps one histogram per class of a workload of n classes; win
// is the window's latencies.
func (c *classStats) resize(n int, win histSum) {
	if len(c.lat) == 0 && n == 1 {
		c.one = true
	}
	if n != 1 {
		c.split(win)
	}
	for len(c.lat) < n {
		c.lat = append(c.lat, Histogram{})
	}
	c.lat = c.lat[:n]
}

// split gives the one class a histogram of its own: the window's so far.
func (c *classStats) split(win histSum) {
	if c.one {
		c.one = false
		c.lat[0].Reset()
		c.lat[0].merge(win.a)
		c.lat[0].merge(win.b)
	}
}

// record adds latency lat, in bucket i, to its class's (a class an edit
// removed counts in none); win is the window's latencies, before lat.
func (c *classStats) record(class int32, i int, lat int64, win histSum) {
	if c.one && class == 0 {
		return
	}
	c.recordOwn(class, i, lat, win)
}

func (c *classStats) recordOwn(class int32, i int, lat int64, win histSum) {
	c.split(win) // in one class, a request of a class an edit removed
	if class >= 0 && int(class) < len(c.lat) {
		c.lat[class].record(i, lat)
	}
}

// of is class ci's latencies; win is the window's.
func (c *classStats) of(ci int, win histSum) histSum {
	if c.one {
		return win
	}
	return histSum{&c.lat[ci], &noValues}
}

// reset starts a new window.
func (c *classStats) reset() {
	for i := range c.lat {
		c.lat[i].Reset()
	}
	c.one = len(c.lat) == 1
}

// ClassSummary is one request class in the measured window: its
// completed requests, their rate and their latency.
type ClassSummary struct {
	Name          string  `json:"name"`
	Completed     uint64  `json:"completed"`
	ThroughputRPS float64 `json:"throughput_rps"`
	LatencyMs     Latency `json:"latency_ms"`
}

// latencyOf reads a histogram of latencies in ns as milliseconds.
func latencyOf(h histSum) Latency {
	return Latency{
		Mean: h.Mean() / 1e6, P50: h.Quantile(0.5) / 1e6, P95: h.Quantile(0.95) / 1e6,
		P99: h.Quantile(0.99) / 1e6, Max: float64(h.Max()) / 1e6,
	}
}

// classSummaries describes the classes of the workload in force.
func (s *Sim) classSummaries(span float64) []ClassSummary {
	out := make([]ClassSummary, 0, len(s.topo.Workload.Requests))
	for ci, c := range s.topo.Workload.Requests {
		h := s.classLat.of(ci, s.latency.window())
		cs := ClassSummary{Name: c.Name, Completed: h.Count(), LatencyMs: latencyOf(h)}
		if span > 0 {
			cs.ThroughputRPS = float64(h.Count()) / span * 1e9
		}
		out = append(out, cs)
	}
	return out
}
