package sim

// stationStats keeps the streaming statistics of one station: counters,
// and time integrals of how many servers exist, how many are busy and how
// many requests wait. Its memory is fixed whatever the run length.
type stationStats struct {
	servers int // capacity now
	busy    int // servers busy now
	queued  int // requests waiting now

	last       int64   // time of the last update
	serverArea float64 // integral of servers over time (ns)
	busyArea   float64
	queueArea  float64

	arrivals    uint64 // requests that reached the station
	completions uint64 // services finished
	dropped     uint64 // refused for lack of room
	waitSum     float64
	waited      uint64 // waits recorded (services started)
	serviceSum  float64
	serviceSq   float64 // sum of squared services, for their variance
	served      uint64  // services in serviceSum

	// waits, where kept, is the distribution of waits (for percentiles)
	waits *Histogram

	// life* are never reset: the time series read per-second deltas.
	lifeQueueArea, lifeBusyArea, lifeServerArea float64
	// before* hold the counts of the windows a reset forgot, so that the
	// whole run's are before* plus the window's (lifetime.go).
	beforeCompletions, beforeDropped uint64
}

// advance brings the integrals up to time now.
func (s *stationStats) advance(now int64) {
	dt := float64(now - s.last)
	s.serverArea += float64(s.servers) * dt
	s.busyArea += float64(s.busy) * dt
	s.queueArea += float64(s.queued) * dt
	s.lifeServerArea += float64(s.servers) * dt
	s.lifeBusyArea += float64(s.busy) * dt
	s.lifeQueueArea += float64(s.queued) * dt
	s.last = now
}

// reset forgets the statistics gathered so far, keeping the state.
func (s *stationStats) reset(now int64) {
	s.advance(now)
	*s = stationStats{servers: s.servers, busy: s.busy, queued: s.queued, last: now,
		lifeQueueArea: s.lifeQueueArea, lifeBusyArea: s.lifeBusyArea, lifeServerArea: s.lifeServerArea,
		beforeCompletions: s.beforeCompletions + s.completions, beforeDropped: s.beforeDropped + s.dropped,
		waits: s.waits}
	if s.waits != nil {
		s.waits.Reset()
	}
}

func (s *stationStats) setServers(now int64, n int) { s.advance(now); s.servers = n }
func (s *stationStats) addBusy(now int64, d int)    { s.advance(now); s.busy += d }
func (s *stationStats) addQueued(now int64, d int)  { s.advance(now); s.queued += d }

// started records that a request waited w ns before its service started.
func (s *stationStats) started(w int64) {
	s.waitSum += float64(w)
	s.waited++
	if s.waits != nil {
		s.waits.Record(w)
	}
}

// finished records a completed service of d ns.
func (s *stationStats) finished(d int64) {
	s.completions++
	s.service(d)
}

// service adds a service of d ns to the mean service time. Shared
// stations record it when the service starts (its length is drawn then),
// worker slots and cores when it ends.
func (s *stationStats) service(d int64) {
	s.serviceSum += float64(d)
	s.serviceSq += float64(d) * float64(d)
	s.served++
}

// drop records a request refused for lack of room.
func (s *stationStats) drop() {
	s.dropped++
}

// StationStats describes one station over the measured window.
type StationStats struct {
	Name          string  `json:"name"`
	Servers       int     `json:"servers"`
	Utilization   float64 `json:"utilization"`
	ThroughputRPS float64 `json:"throughput_rps"`
	QueueMean     float64 `json:"queue_mean"`
	WaitMsMean    float64 `json:"wait_ms_mean"`
	WaitP99Ms     float64 `json:"wait_p99_ms"`
	ServiceMsMean float64 `json:"service_ms_mean"`
	Dropped       uint64  `json:"dropped"`
	// Busy and Queued are the state at the end of the window.
	Busy   int `json:"busy"`
	Queued int `json:"queued"`
	// BusyMean is the time-averaged number of busy servers.
	BusyMean    float64 `json:"busy_mean"`
	Arrivals    uint64  `json:"arrivals"`
	Completions uint64  `json:"completions"`
}

// summary reads the statistics for a window of span ns ending at now. It
// changes nothing, so reading a run does not change its results.
func (s *stationStats) summary(name string, now int64, span float64) StationStats {
	c := *s
	s = &c
	s.advance(now)
	out := StationStats{
		Name: name, Servers: s.servers, Dropped: s.dropped,
		Busy: s.busy, Queued: s.queued,
		Arrivals: s.arrivals, Completions: s.completions,
	}
	if span > 0 {
		out.ThroughputRPS = float64(s.completions) / span * 1e9
		out.QueueMean = s.queueArea / span
		out.BusyMean = s.busyArea / span
	}
	if s.serverArea > 0 {
		out.Utilization = s.busyArea / s.serverArea
	}
	if s.waited > 0 {
		out.WaitMsMean = s.waitSum / float64(s.waited) / 1e6
	}
	if s.waits != nil {
		out.WaitP99Ms = s.waits.Quantile(0.99) / 1e6
	}
	if s.served > 0 {
		out.ServiceMsMean = s.serviceSum / float64(s.served) / 1e6
	}
	return out
}
