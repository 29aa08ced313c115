package sim

// Counts are request outcomes at two levels (see end.go): the fields
// from Arrived to InFlight, Retries and Wasted count attempts, Logical
// counts logical requests. Over a whole run, arrived = completed +
// dropped + failed + in_flight; logical.sent = goodput + dropped + failed
// + abandoned + waiting; arrived = logical.sent + retries; completed =
// logical.goodput + wasted.
type Counts struct {
	Arrived   uint64 `json:"arrived"`
	Completed uint64 `json:"completed"`
	// Dropped were refused at the door, by cause.
	Dropped   uint64     `json:"dropped"`
	DroppedBy DropCauses `json:"dropped_by"`
	// Failed were taken in and did not complete, by cause.
	Failed   uint64     `json:"failed"`
	FailedBy FailCauses `json:"failed_by"`
	InFlight uint64     `json:"in_flight"`
	// Retries are attempts beyond the first of their logical request.
	Retries uint64 `json:"retries"`
	// Wasted are attempts the server completed after their client had
	// stopped waiting: work done for nobody.
	Wasted  uint64  `json:"wasted"`
	Logical Logical `json:"logical"`
}

// Logical counts logical requests: what clients asked for, however many
// attempts each took.
type Logical struct {
	Sent uint64 `json:"sent"`
	// Goodput: an answer reached the client while it waited.
	Goodput uint64 `json:"goodput"`
	// Dropped and Failed: the last attempt was, and no retry followed.
	Dropped uint64 `json:"dropped"`
	Failed  uint64 `json:"failed"`
	// Abandoned: the client's timeout expired and it did not retry.
	Abandoned uint64 `json:"abandoned"`
	// Waiting are in flight: an attempt pending or a retry backing off.
	Waiting uint64 `json:"waiting"`
	// Throttled counts the retries a budget refused (each request
	// refused one then ended dropped, failed or abandoned).
	Throttled uint64 `json:"throttled"`
}

// DropCauses say why requests were dropped.
type DropCauses struct {
	// BacklogFull: every worker slot busy and the node's backlog full
	// (503).
	BacklogFull uint64 `json:"backlog_full"`
	// InFlightCap: the simulator's cap on requests in the system at
	// once (Options.MaxInFlight), which bounds its memory.
	InFlightCap uint64 `json:"in_flight_cap"`
}

// FailCauses say why requests failed.
type FailCauses struct {
	Timeout uint64 `json:"timeout"` // killed by the app's timeout (harakiri)
	// NodeDown: lost with a node taken down, or sent to a node that went
	// down or was removed while the request was on its way.
	NodeDown uint64 `json:"node_down"`
	NoNodeUp uint64 `json:"no_node_up"` // the load balancer had no node to send it to (502)
	// DBRefused: a database server refused its connection
	// (max_connections).
	DBRefused uint64 `json:"db_refused"`
	// DBDown: its query's database server was stopped (a primary down).
	DBDown uint64 `json:"db_down"`
	GaveUp uint64 `json:"gave_up"` // an optimistic buyer out of retries
}

// dropCause and failCause index the causes.
type (
	dropCause uint8
	failCause uint8
)

const (
	dropBacklog dropCause = iota
	dropCap
)

const (
	failTimeout failCause = iota
	failNodeDown
	failNoNode
	failDBRefused
	failGaveUp
	failDBDown
)

func (c *Counts) drop(why dropCause) {
	c.Dropped++
	switch why {
	case dropBacklog:
		c.DroppedBy.BacklogFull++
	case dropCap:
		c.DroppedBy.InFlightCap++
	}
}

func (c *Counts) fail(why failCause) {
	c.Failed++
	f := &c.FailedBy
	switch why {
	case failTimeout:
		f.Timeout++
	case failNodeDown:
		f.NodeDown++
	case failNoNode:
		f.NoNodeUp++
	case failDBRefused:
		f.DBRefused++
	case failGaveUp:
		f.GaveUp++
	case failDBDown:
		f.DBDown++
	}
}

// Latency summarises end-to-end latencies of answered logical requests,
// in ms: from the client's first attempt to the answer it waited for,
// retries and backoff included (without retries, of completed requests).
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// CacheSummary is the cache: on or off and its keys at the end, its
// lookups in the measured window.
type CacheSummary struct {
	Enabled bool `json:"enabled"`
	// Used is set when the window saw a lookup: without one, the hit
	// ratio means nothing.
	Used     bool    `json:"used"`
	Hits     uint64  `json:"hits_window"`
	Misses   uint64  `json:"misses_window"`
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
	Name      string  `json:"name"`
	Seed      uint64  `json:"seed"`
	DurationS float64 `json:"duration_s"`
	WarmupS   float64 `json:"warmup_s"`
	Requests  Counts  `json:"requests"`
	// InFlightCap is the simulator's cap on requests in the system at
	// once (see DropCauses.InFlightCap).
	InFlightCap   int     `json:"in_flight_cap"`
	Window        Counts  `json:"window"`
	ThroughputRPS float64 `json:"throughput_rps"`
	// GoodputRPS counts only answers their clients waited for; it is
	// ThroughputRPS without the wasted work.
	GoodputRPS float64 `json:"goodput_rps"`
	LatencyMs  Latency `json:"latency_ms"`
	// Classes are the workload's request classes, in its order: each
	// one's completions and latency in the window.
	Classes []ClassSummary `json:"classes"`
	// Populations are the closed workload's populations, when it has
	// them (populations.go).
	Populations []PopulationSummary `json:"populations,omitempty"`
	Stations    []StationStats      `json:"stations"`
	// Queues are the stations as queueing theory sees them (stations.go);
	// the report writes them only when asked (run --theory).
	Queues []QueueStat `json:"-"`
	// Recent are the same over the last RecentSecs seconds or a little
	// more (RecentS, to the last second's end), when the window holds
	// them (recent.go); none otherwise.
	Recent  []QueueStat   `json:"-"`
	RecentS float64       `json:"-"`
	Cache   *CacheSummary `json:"cache,omitempty"`
	Nodes   []NodeSummary `json:"nodes"`
	DB      *DBSummary    `json:"db,omitempty"`
	Stock   *StockSummary `json:"stock,omitempty"`
	Events  uint64        `json:"events"`
	// Phases cut the window at the timeline's times, when it has some
	// within the window (see Phase).
	Phases []Phase `json:"phases,omitempty"`
}

// Totals returns the outcome counts of the whole run so far.
func (s *Sim) Totals() Counts {
	c := s.run
	c.Arrived, c.Completed, c.InFlight = s.arrived, s.completed, uint64(s.live)
	c.Logical.Waiting = uint64(s.cl.waiting)
	return c
}

// Summary describes the run so far; the measured window runs from the end
// of the warm-up (or the last ResetStats) to now.
func (s *Sim) Summary() Summary {
	span := float64(s.now - s.windowStart)
	out := Summary{
		Name:        s.topo.Name,
		Seed:        s.seed,
		DurationS:   span / 1e9,
		WarmupS:     float64(s.windowStart) / 1e9,
		Requests:    s.Totals(),
		InFlightCap: s.opt.MaxInFlight,
		Window:      s.winCounts,
		Events:      s.events,
	}
	out.Window.InFlight = uint64(s.live)
	out.Window.Logical.Waiting = uint64(s.cl.waiting)
	if span > 0 {
		out.ThroughputRPS = float64(s.winCounts.Completed) / span * 1e9
		out.GoodputRPS = float64(s.winCounts.Logical.Goodput) / span * 1e9
	}
	out.LatencyMs = latencyOf(s.latency.window())
	out.Classes = s.classSummaries(span)
	out.Populations = s.populationSummaries(span)
	if ph := s.Phases(); len(ph) > 1 {
		out.Phases = ph
	}
	out.Stations = s.stationSummaries(span)
	out.Queues = s.queueStats(span, statWindow{})
	if w, ok := s.recentWindow(); ok {
		out.Recent = s.queueStats(float64(s.now-w.from), w)
		out.RecentS = float64(s.now-w.from) / 1e9
	}
	if s.topo.Cache != nil {
		c := &s.cache
		cs := &CacheSummary{Enabled: c.on, Hits: c.hits, Misses: c.misses, Keys: c.lru.size}
		if n := c.hits + c.misses; n > 0 {
			cs.Used = true
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
