// Package runplot draws a headless run as a picture: its per-second
// rows (sim.Second) as throughput and drops, latency percentiles and
// queue depth per station, one panel above the other, with the changes
// applied during the run (a timeline, an autoscaler, failures) marked
// across them. It exists so that sim knows nothing of pictures and the
// command knows nothing of plotting: the command feeds it rows and
// marks as the run goes, and it draws with gonum/plot, as SVG or PNG.
//
// Its memory is fixed whatever the run's length: past maxPoints
// points, neighbouring points are merged two by two, so that a point
// covers 1, 2, 4, ... seconds.
package runplot

import (
	"time"

	"scalesim/sim"
)

// maxPoints is the most points a recorder keeps; maxMarks the most
// marks.
const (
	maxPoints = 2048
	maxMarks  = 256
)

// point is one or more consecutive seconds merged.
type point struct {
	t0, t1 float64 // start and end, simulated seconds
	// sums over the seconds merged
	arrived, completed, answered, dropped, failed, abandoned, retries float64
	// worst second among those merged
	p50, p99 float64
	// queue sums, for a mean over the seconds merged
	queue [numStations]float64
	n     float64 // seconds merged
}

// Station order in the queue panel.
const (
	stApp = iota
	stCPU
	stDB
	stCache
	stOffload
	numStations
)

var stationNames = [numStations]string{"app", "cpu", "db", "cache", "offload"}

// Recorder gathers a run's rows and marks for drawing.
type Recorder struct {
	points []point
	width  int // seconds per point: 1, 2, 4, ...
	open   point
	seen   [numStations]bool
	client bool // logical requests differ from attempts somewhere
	marks  []sim.Mark
	warmup float64
	full   bool // marks came beyond maxMarks: the later are not drawn
}

// New starts a recorder of a run whose measured window starts after
// warmup.
func New(warmup time.Duration) *Recorder {
	return &Recorder{width: 1, warmup: warmup.Seconds()}
}

// Second adds the row of one simulated second; use it as
// sim.Options.OnSecond.
func (r *Recorder) Second(s sim.Second) {
	o := &r.open
	if o.n == 0 {
		o.t0 = s.T - 1
	}
	o.t1 = s.T
	o.n++
	o.arrived += float64(s.Arrived)
	o.completed += float64(s.Completed)
	o.answered += float64(s.Logical.Goodput)
	o.dropped += float64(s.Dropped)
	o.failed += float64(s.Failed)
	o.abandoned += float64(s.Logical.Abandoned)
	o.retries += float64(s.Retries)
	if s.Retries > 0 || s.Logical.Abandoned > 0 || s.Wasted > 0 {
		r.client = true
	}
	o.p50, o.p99 = max(o.p50, s.P50Ms), max(o.p99, s.P99Ms)
	for k, st := range [numStations]sim.StationSecond{s.App, s.CPU, s.DB, s.Cache, s.Offload} {
		o.queue[k] += st.Queue
		if st.Queue > 0 || st.Util > 0 {
			r.seen[k] = true
		}
	}
	if int(o.n) < r.width {
		return
	}
	r.points = append(r.points, *o)
	r.open = point{}
	if len(r.points) == maxPoints {
		r.halve()
	}
}

// halve merges the points two by two.
func (r *Recorder) halve() {
	out := r.points[:0]
	for i := 0; i+1 < len(r.points); i += 2 {
		out = append(out, merge(r.points[i], r.points[i+1]))
	}
	r.points = out
	r.width *= 2
}

func merge(a, b point) point {
	m := point{t0: a.t0, t1: b.t1, n: a.n + b.n,
		arrived: a.arrived + b.arrived, completed: a.completed + b.completed, answered: a.answered + b.answered,
		dropped: a.dropped + b.dropped, failed: a.failed + b.failed, abandoned: a.abandoned + b.abandoned,
		retries: a.retries + b.retries, p50: max(a.p50, b.p50), p99: max(a.p99, b.p99)}
	for k := range m.queue {
		m.queue[k] = a.queue[k] + b.queue[k]
	}
	return m
}

// Marks adds the changes applied so far, as sim.Sim.Marks lists them
// (the last few, oldest first); those added before are recognised and
// skipped, so the recorder may be given the list after every slice of
// the run.
func (r *Recorder) Marks(ms []sim.Mark) {
	// marks come in time order: skip those before the last recorded,
	// and as many at its instant as were recorded
	var lastAt time.Duration = -1
	atLast := 0
	for i := len(r.marks) - 1; i >= 0 && r.marks[i].At == r.marks[len(r.marks)-1].At; i-- {
		lastAt = r.marks[i].At
		atLast++
	}
	for _, m := range ms {
		if m.At < lastAt {
			continue
		}
		if m.At == lastAt && atLast > 0 {
			atLast--
			continue
		}
		if len(r.marks) == maxMarks {
			r.full = true
			continue
		}
		r.marks = append(r.marks, m)
	}
}

// all is the points, the one still open included.
func (r *Recorder) all() []point {
	if r.open.n == 0 {
		return r.points
	}
	return append(r.points[:len(r.points):len(r.points)], r.open)
}
