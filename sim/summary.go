package sim

// Counts are request outcomes. Over a whole run, arrived = completed +
// dropped + failed + in_flight.
type Counts struct {
	Arrived   uint64 `json:"arrived"`
	Completed uint64 `json:"completed"`
	// Dropped were refused: backlog full (503), or the simulator's cap
	// on requests in flight.
	Dropped uint64 `json:"dropped"`
	// Failed were killed by the timeout, or lost with a node taken down
	// or refused because no node was up.
	Failed   uint64 `json:"failed"`
	InFlight uint64 `json:"in_flight"`
}

// Latency summarises end-to-end latencies of completed requests, in ms.
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// CacheSummary is the cache's outcome over the measured window.
type CacheSummary struct {
	Enabled  bool    `json:"enabled"`
	Hits     uint64  `json:"hits"`
	Misses   uint64  `json:"misses"`
	HitRatio float64 `json:"hit_ratio"`
	Keys     int     `json:"keys_cached"`
}

// NodeSummary is one app node at the end of a run.
type NodeSummary struct {
	Up       bool `json:"up"`
	Workers  int  `json:"workers"`
	OOMKills int  `json:"oom_kills"`
}

// Summary describes a run. Requests count the whole run, so that the
// conservation law holds exactly; Window counts the measured window
// (after warm-up), which is what throughput, latency and the stations
// describe.
type Summary struct {
	Name          string         `json:"name"`
	Seed          uint64         `json:"seed"`
	DurationS     float64        `json:"duration_s"`
	WarmupS       float64        `json:"warmup_s"`
	Requests      Counts         `json:"requests"`
	Window        Counts         `json:"window"`
	ThroughputRPS float64        `json:"throughput_rps"`
	LatencyMs     Latency        `json:"latency_ms"`
	Stations      []StationStats `json:"stations"`
	Cache         *CacheSummary  `json:"cache,omitempty"`
	Nodes         []NodeSummary  `json:"nodes"`
	DB            *DBSummary     `json:"db,omitempty"`
	Stock         *StockSummary  `json:"stock,omitempty"`
	Events        uint64         `json:"events"`
}

// Totals returns the outcome counts of the whole run so far.
func (s *Sim) Totals() Counts {
	return Counts{Arrived: s.arrived, Completed: s.completed, Dropped: s.dropped, Failed: s.failed, InFlight: uint64(s.live)}
}

// Summary describes the run so far; the measured window runs from the end
// of the warm-up (or the last ResetStats) to now.
func (s *Sim) Summary() Summary {
	span := float64(s.now - s.windowStart)
	out := Summary{
		Name:      s.topo.Name,
		Seed:      s.seed,
		DurationS: span / 1e9,
		WarmupS:   float64(s.windowStart) / 1e9,
		Requests:  s.Totals(),
		Window:    s.winCounts,
		Events:    s.events,
	}
	out.Window.InFlight = uint64(s.live)
	if span > 0 {
		out.ThroughputRPS = float64(s.winCounts.Completed) / span * 1e9
	}
	h := &s.latency
	out.LatencyMs = Latency{
		Mean: h.Mean() / 1e6, P50: h.Quantile(0.5) / 1e6, P95: h.Quantile(0.95) / 1e6,
		P99: h.Quantile(0.99) / 1e6, Max: float64(h.Max()) / 1e6,
	}
	out.Stations = s.stationSummaries(span)
	if s.topo.Cache != nil {
		c := &s.cache
		cs := &CacheSummary{Enabled: c.on, Hits: c.hits, Misses: c.misses, Keys: c.lru.size}
		if n := c.hits + c.misses; n > 0 {
			cs.HitRatio = float64(c.hits) / float64(n)
		}
		out.Cache = cs
	}
	if s.present()[serDB] {
		out.DB = s.dbSummary(span)
	}
	if s.stock.on {
		out.Stock = s.stockSummary(span)
	}
	for _, n := range s.nodes {
		if n.draining && n.inflight == 0 {
			continue
		}
		out.Nodes = append(out.Nodes, NodeSummary{Up: n.up, Workers: n.active, OOMKills: n.oomKills})
	}
	return out
}

// present reports which series stations the topology has.
func (s *Sim) present() [numSeries]bool {
	p := [numSeries]bool{serApp: true, serCPU: true}
	for _, prog := range s.classes {
		for _, o := range s.progs[prog].ops {
			switch o.kind {
			case opDB, opRead, opWrite, opBuy:
				p[serDB] = true
			case opCacheGet:
				p[serCache] = s.topo.Cache != nil
			case opOffload:
				p[serOffload] = true
			}
		}
	}
	if s.topo.Cache != nil {
		p[serCache] = true
	}
	return p
}

func (s *Sim) stationSummaries(span float64) []StationStats {
	var out []StationStats
	p := s.present()
	for k, st := range s.seriesStations() {
		if p[k] {
			out = append(out, st.summary(seriesNames[k], s.now, span))
		}
	}
	return out
}
