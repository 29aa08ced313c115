package sim

// classStats keeps the measured window's latencies by request class, so
// that short requests stuck behind long ones show: one histogram per
// class (fixed memory each, about 40 KB: at most 1000 classes, which
// topology.Validate enforces), indexed like the workload's classes and
// moved with them by a live edit (classmap.go).
type classStats struct {
	lat []Histogram
}

// resize keeps one histogram per class of a workload of n classes.
func (c *classStats) resize(n int) {
	for len(c.lat) < n {
		c.lat = append(c.lat, Histogram{})
	}
	c.lat = c.lat[:n]
}

func (c *classStats) record(class int32, lat int64) {
	if class >= 0 && int(class) < len(c.lat) {
		c.lat[class].Record(lat)
	}
}

func (c *classStats) reset() {
	for i := range c.lat {
		c.lat[i].Reset()
	}
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
func latencyOf(h *Histogram) Latency {
	return Latency{
		Mean: h.Mean() / 1e6, P50: h.Quantile(0.5) / 1e6, P95: h.Quantile(0.95) / 1e6,
		P99: h.Quantile(0.99) / 1e6, Max: float64(h.Max()) / 1e6,
	}
}

// classSummaries describes the classes of the workload in force.
func (s *Sim) classSummaries(span float64) []ClassSummary {
	out := make([]ClassSummary, 0, len(s.topo.Workload.Requests))
	for ci, c := range s.topo.Workload.Requests {
		h := &s.classLat.lat[ci]
		cs := ClassSummary{Name: c.Name, Completed: h.Count(), LatencyMs: latencyOf(h)}
		if span > 0 {
			cs.ThroughputRPS = float64(h.Count()) / span * 1e9
		}
		out = append(out, cs)
	}
	return out
}
