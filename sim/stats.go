package sim

import "math/bits"

// stationStats keeps the streaming statistics of one station: counters,
// and time integrals of how many servers exist, how many are busy and how
// many requests wait. Its memory is fixed whatever the run length.
type stationStats struct {
	servers int // capacity now
	busy    int // servers busy now
	queued  int // requests waiting now

	// the integrals over the whole run of servers, busy and queued, each
	// moved only when its own count changes; the window's is the run's
	// less its value at the last reset, exactly
	serverArea, busyArea, queueArea    integral
	serverReset, busyReset, queueReset area

	arrivals    uint64  // requests that reached the station
	completions uint64  // services finished
	dropped     uint64  // refused for lack of room
	waitSum     float64 // without waits: their sum and number
	waitN       uint64
	serviceSum  float64
	serviceSq   float64 // sum of squared services, for their variance
	served      uint64  // services in serviceSum

	// waits, where kept, is the distribution of waits (for percentiles),
	// which also holds their sum and number
	waits *Histogram

	// before* hold the counts of the windows a reset forgot, so that the
	// whole run's are before* plus the window's (lifetime.go).
	beforeCompletions, beforeDropped uint64
}

// area is a time integral of a count in count-nanoseconds, kept exactly
// as a 128-bit two's complement integer: no rounding however long the
// run or large the count, so that the order in which its pieces are
// added cannot change it.
type area struct{ hi, lo uint64 }

// add adds n times dt (dt >= 0).
func (a *area) add(n int, dt int64) {
	if n >= 0 {
		hi, lo := bits.Mul64(uint64(n), uint64(dt))
		var c uint64
		a.lo, c = bits.Add64(a.lo, lo, 0)
		a.hi += hi + c
		return
	}
	hi, lo := bits.Mul64(uint64(-n), uint64(dt))
	var b uint64
	a.lo, b = bits.Sub64(a.lo, lo, 0)
	a.hi -= hi + b
}

// addInt adds v, of either sign: v sign-extended to 128 bits.
func (a *area) addInt(v int64) {
	var c uint64
	a.lo, c = bits.Add64(a.lo, uint64(v), 0)
	a.hi += uint64(v>>63) + c
}

// plus is a plus b.
func (a area) plus(b area) area {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	return area{hi: a.hi + b.hi + c, lo: lo}
}

// minus is a less b.
func (a area) minus(b area) area {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	return area{hi: a.hi - b.hi - c, lo: lo}
}

// float is the area in count-nanoseconds, rounded to a float64: exact
// below 2^53.
func (a area) float() float64 {
	if a.hi == 0 {
		return float64(a.lo)
	}
	if int64(a.hi) < 0 {
		return -area{}.minus(a).float()
	}
	return float64(a.hi)*0x1p64 + float64(a.lo)
}

// integral is the time integral of one count since the run began. It
// keeps the sum over the count's changes of each change times when it
// happened: a count that is n at now has the integral n*now less that
// sum, exactly. A change costs one addition, with no multiplication
// for a change by one.
type integral struct {
	off area // the sum of d*t over the changes by d at t
}

// at is the integral up to now of a count that is n now.
func (g *integral) at(now int64, n int) area {
	var a area
	a.add(n, now)
	return a.minus(g.off)
}

// change records that the count changes by d at now (now >= 0).
func (g *integral) change(now int64, d int) {
	// d*now as a 128-bit two's complement product: the unsigned one,
	// less now<<64 when d is negative
	hi, lo := bits.Mul64(uint64(d), uint64(now))
	hi -= uint64(now) & uint64(int64(d)>>63)
	var c uint64
	g.off.lo, c = bits.Add64(g.off.lo, lo, 0)
	g.off.hi += hi + c
}

// reset starts a new window now, keeping the state and the whole run's
// integrals.
func (s *stationStats) reset(now int64) {
	*s = stationStats{servers: s.servers, busy: s.busy, queued: s.queued,
		serverArea: s.serverArea, busyArea: s.busyArea, queueArea: s.queueArea,
		serverReset: s.serverArea.at(now, s.servers), busyReset: s.busyArea.at(now, s.busy), queueReset: s.queueArea.at(now, s.queued),
		beforeCompletions: s.beforeCompletions + s.completions, beforeDropped: s.beforeDropped + s.dropped,
		waits: s.waits}
	if s.waits != nil {
		s.waits.Reset()
	}
}

func (s *stationStats) setServers(now int64, n int) {
	s.serverArea.change(now, n-s.servers)
	s.servers = n
}
func (s *stationStats) addBusy(now int64, d int)   { s.busyArea.change(now, d); s.busy += d }
func (s *stationStats) addQueued(now int64, d int) { s.queueArea.change(now, d); s.queued += d }

// lifeAreas are the whole run's integrals of the queue, the busy servers
// and the servers up to now, in count-nanoseconds. Reading changes
// nothing.
func (s *stationStats) lifeAreas(now int64) (queue, busy, servers float64) {
	return s.queueArea.at(now, s.queued).float(), s.busyArea.at(now, s.busy).float(), s.serverArea.at(now, s.servers).float()
}

// windowAreas are lifeAreas since the last reset.
func (s *stationStats) windowAreas(now int64) (queue, busy, servers float64) {
	return s.queueArea.at(now, s.queued).minus(s.queueReset).float(),
		s.busyArea.at(now, s.busy).minus(s.busyReset).float(),
		s.serverArea.at(now, s.servers).minus(s.serverReset).float()
}

// started records that a request waited w ns before its service started.
func (s *stationStats) started(w int64) {
	if s.waits != nil {
		s.waits.Record(w)
		return
	}
	s.waitSum += float64(w)
	s.waitN++
}

// waited is the number of waits recorded (services started).
func (s *stationStats) waited() uint64 {
	if s.waits != nil {
		return s.waits.Count()
	}
	return s.waitN
}

// waitMean is the mean wait in ns (0 if none).
func (s *stationStats) waitMean() float64 {
	if s.waits != nil {
		return s.waits.Mean()
	}
	if s.waitN == 0 {
		return 0
	}
	return s.waitSum / float64(s.waitN)
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
	queueArea, busyArea, serverArea := s.windowAreas(now)
	out := StationStats{
		Name: name, Servers: s.servers, Dropped: s.dropped,
		Busy: s.busy, Queued: s.queued,
		Arrivals: s.arrivals, Completions: s.completions,
	}
	if span > 0 {
		out.ThroughputRPS = float64(s.completions) / span * 1e9
		out.QueueMean = queueArea / span
		out.BusyMean = busyArea / span
	}
	if serverArea > 0 {
		out.Utilization = busyArea / serverArea
	}
	out.WaitMsMean = s.waitMean() / 1e6
	if s.waits != nil {
		out.WaitP99Ms = s.waits.Quantile(0.99) / 1e6
	}
	if s.served > 0 {
		out.ServiceMsMean = s.serviceSum / float64(s.served) / 1e6
	}
	return out
}
