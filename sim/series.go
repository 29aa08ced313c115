package sim

import "fmt"

// series keeps per-second time series of the run in fixed-size rings:
// the memory is the same after an hour as after a minute.
type series struct {
	n    int
	head int // index of the oldest point
	len  int

	t                                    []float64
	arrivals, completions, drops, failed []float64
	p50, p99                             []float64
	goodput                              []float64 // answers clients waited for
	queue, util                          [numSeries][]float64

	// the whole run's counts and integrals at the previous tick
	prevTotals                       Counts
	prevQueue, prevBusy, prevServers [numSeries]float64
	// drops and timeouts in the previous second, to log when they begin
	prevDrops, prevTimeouts uint64
	prevMarked              uint64 // marks made by the previous tick
}

// Station order in the series: the app's slots, the cores, and the
// shared stations.
const (
	serApp = iota
	serCPU
	serDB
	serCache
	serOffload
	numSeries
)

var seriesNames = [numSeries]string{"app", "cpu", "db", "cache", "offload"}

func (se *series) init(n int) {
	se.n = n
	for _, p := range []*[]float64{&se.t, &se.arrivals, &se.completions, &se.drops, &se.failed, &se.p50, &se.p99, &se.goodput} {
		*p = make([]float64, n)
	}
	for i := range se.queue {
		se.queue[i] = make([]float64, n)
		se.util[i] = make([]float64, n)
	}
}

// stats returns the station statistics in series order.
func (s *Sim) seriesStations() [numSeries]*stationStats {
	return [numSeries]*stationStats{&s.app, &s.cpu, &s.db.agg, &s.stations[sidCache].stats, &s.stations[sidOffload].stats}
}

// onTick closes one simulated second: it builds the second's row, hands
// it to Options.OnSecond, appends it to every series and schedules the
// next tick.
func (s *Sim) onTick() {
	se := &s.series
	row := s.closeSecond()
	s.markRecent()
	i := (se.head + se.len) % se.n
	if se.len < se.n {
		se.len++
	} else {
		se.head = (se.head + 1) % se.n
	}
	se.t[i] = row.T
	se.arrivals[i] = float64(row.Arrived)
	se.completions[i] = float64(row.Completed)
	se.drops[i] = float64(row.Dropped)
	se.failed[i] = float64(row.Failed)
	se.goodput[i] = float64(row.Logical.Goodput)
	se.p50[i], se.p99[i] = row.P50Ms, row.P99Ms
	for k := range se.queue {
		st := row.station(k)
		se.queue[k][i], se.util[k][i] = st.Queue, st.Util
	}
	if row.Dropped > 0 && se.prevDrops == 0 {
		full, capped := row.DroppedBy.BacklogFull, row.DroppedBy.InFlightCap
		why := "backlog full"
		switch {
		case full > 0 && capped > 0:
			why = fmt.Sprintf("%d backlog full, %d in-flight cap", full, capped)
		case capped > 0:
			why = "in-flight cap"
		}
		s.logf("dropping requests: %d in the last second (%s)", row.Dropped, why)
	}
	se.prevDrops = row.Dropped
	if t := row.FailedBy.Timeout; t > 0 && se.prevTimeouts == 0 {
		s.logf("requests timing out (harakiri after %v): %d in the last second", s.topo.App.Timeout, t)
	}
	se.prevTimeouts = row.FailedBy.Timeout
	if s.opt.OnSecond != nil {
		s.opt.OnSecond(row)
	}
	s.schedule(event{t: s.in(1e9), kind: evTick})
}

// Series is the last seconds of a run, one point per simulated second,
// oldest first.
type Series struct {
	T           []float64 `json:"t"` // end of each second, in simulated seconds
	Arrivals    []float64 `json:"arrivals"`
	Completions []float64 `json:"completions"`
	Dropped     []float64 `json:"dropped"`
	Failed      []float64 `json:"failed"`
	// Goodput are the logical requests answered while their client
	// waited: Completions without the wasted work.
	Goodput []float64 `json:"goodput"`
	P50Ms   []float64 `json:"p50_ms"`
	P99Ms   []float64 `json:"p99_ms"`
	// Stations holds each station's mean queue length and utilisation
	// over each second.
	Stations []StationSeries `json:"stations"`
}

// StationSeries is one station's per-second series.
type StationSeries struct {
	Name  string    `json:"name"`
	Queue []float64 `json:"queue"`
	Util  []float64 `json:"util"`
}

func (se *series) copyRing(src []float64) []float64 {
	out := make([]float64, se.len)
	for k := 0; k < se.len; k++ {
		out[k] = src[(se.head+k)%se.n]
	}
	return out
}

func (se *series) export(present [numSeries]bool) Series {
	out := Series{
		T: se.copyRing(se.t), Arrivals: se.copyRing(se.arrivals), Completions: se.copyRing(se.completions),
		Dropped: se.copyRing(se.drops), Failed: se.copyRing(se.failed), Goodput: se.copyRing(se.goodput),
		P50Ms: se.copyRing(se.p50), P99Ms: se.copyRing(se.p99),
	}
	for k := range se.queue {
		if present[k] {
			out.Stations = append(out.Stations, StationSeries{Name: seriesNames[k], Queue: se.copyRing(se.queue[k]), Util: se.copyRing(se.util[k])})
		}
	}
	return out
}
