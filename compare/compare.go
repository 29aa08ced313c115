// Package compare runs two designs on the same traffic and says by how
// much, and how surely, the second differs from the first.
//
// A and B run with the same seeds. Since the simulator's random numbers
// follow the request (the seed, a stream's name and the request's
// serial), seed k gives A and B the same arrivals and the same demands
// per request: what differs between their runs is the design, not the
// dice. So the runs pair up by seed, and each figure's difference B−A is
// taken seed by seed; the mean of those differences and its confidence
// interval (Student's t over the seeds, from package sweep) are far
// tighter than the intervals of A and B taken apart, because the luck of
// the traffic cancels. With A identical to B every difference is exactly
// zero.
//
// It knows the simulator and the topology, and nothing of flags or
// terminals.
package compare

import (
	"fmt"
	"math"
	"reflect"

	"scalesim/sweep"
	"scalesim/topology"
)

// Figure is one number a comparison pairs.
type Figure struct {
	// Name is the figure's key in JSON: throughput_rps, p99_ms, ...
	Name string
	// Label and Unit are how a reader sees it: "p99", "ms".
	Label, Unit string
	// Scale multiplies the value for the reader (a fraction shown as a
	// percentage).
	Scale float64
	// Higher says a higher value is better (throughput), so that a
	// table can say whether B is better or worse.
	Higher bool
	value  func(r *sweep.Result) float64
}

// Value is the figure of one run.
func (f Figure) Value(r *sweep.Result) float64 { return f.value(r) }

// sweepValue reads figure name as sweep writes it.
func sweepValue(name string) func(r *sweep.Result) float64 {
	return func(r *sweep.Result) float64 { return r.Value(name) }
}

// Figures are what every comparison pairs, in order; Oversold is added
// when either design sells stock.
var Figures = []Figure{
	{Name: "throughput_rps", Label: "throughput", Unit: "/s", Scale: 1, Higher: true, value: sweepValue("throughput_rps")},
	{Name: "goodput_rps", Label: "goodput", Unit: "/s", Scale: 1, Higher: true, value: sweepValue("goodput_rps")},
	{Name: "mean_ms", Label: "mean", Unit: "ms", Scale: 1, value: sweepValue("mean_ms")},
	{Name: "p99_ms", Label: "p99", Unit: "ms", Scale: 1, value: sweepValue("p99_ms")},
	{Name: "drops", Label: "dropped", Unit: "%", Scale: 100, value: sweepValue("drops")},
	{Name: "failures", Label: "failed", Unit: "%", Scale: 100, value: failures},
}

// Oversold is the units a flash sale sold beyond its stock, over the
// whole run.
var Oversold = Figure{Name: "oversold", Label: "oversold", Unit: "", Scale: 1, value: oversold}

// failures is the fraction of the window's attempts that failed (a
// timeout, a node down, a refused connection) after they were let in.
func failures(r *sweep.Result) float64 {
	w := r.Sum.Window
	if w.Arrived > 0 {
		return float64(w.Failed) / float64(w.Arrived)
	}
	return 0
}

func oversold(r *sweep.Result) float64 {
	if r.Sum.Stock == nil {
		return 0
	}
	return float64(r.Sum.Stock.Oversold)
}

// Row is one figure of a comparison: A's and B's means over the seeds
// with their intervals, and the paired difference B−A with its own.
type Row struct {
	Figure
	A, B sweep.Interval
	// Diff is the mean over the seeds of B−A, seed by seed, and its
	// interval.
	Diff sweep.Interval
}

// Significant says the difference's interval leaves out zero: at the
// 95% level, B differs from A by more than the luck of the seeds. With
// one seed there is no interval, and nothing is significant.
func (r Row) Significant() bool {
	return r.Diff.N >= 2 && !math.IsInf(r.Diff.Half, 0) && math.Abs(r.Diff.Mean) > r.Diff.Half
}

// Better says, for a significant difference, whether B is better than A
// on this figure (a higher throughput, a lower latency); false when it
// is worse or not significant, and for figures with no better side.
func (r Row) Better() bool {
	if !r.Significant() {
		return false
	}
	if r.Higher {
		return r.Diff.Mean > 0
	}
	return r.Diff.Mean < 0
}

// Result is a whole comparison.
type Result struct {
	Seeds []uint64
	// SameWorkload says A and B have the same workload (rate or users,
	// request classes and their steps, stages): then each seed gives
	// them the same traffic, and only the design differs.
	SameWorkload bool
	Rows         []Row
	// A and B are the runs, one per seed in Seeds' order.
	A, B []sweep.Result
}

// Run simulates a and b with every seed (on jobs goroutines, 0: one per
// core) as run says, and pairs the runs by seed. It needs one seed at
// least; two or more give intervals.
func Run(a, b *topology.Topology, seeds []uint64, run sweep.Run, jobs int) (*Result, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("compare: no seeds")
	}
	out := &Result{Seeds: seeds, SameWorkload: reflect.DeepEqual(a.Workload, b.Workload)}
	named := []string{"A", "B"}
	err := run.Parallel([]sweep.Job{{Point: sweep.Point{Index: 0}, Topology: a}, {Point: sweep.Point{Index: 1}, Topology: b}}, seeds, jobs, func(d sweep.Done) error {
		side := named[d.Job.Point.Index]
		if d.Err != nil {
			return fmt.Errorf("%s: %w", side, d.Err)
		}
		if side == "A" {
			out.A = d.Results
		} else {
			out.B = d.Results
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Rows = Pair(out.A, out.B)
	return out, nil
}

// Pair computes the rows of runs a and b, paired by index (the same
// seed): every figure of Figures, and Oversold when either sold stock.
func Pair(a, b []sweep.Result) []Row {
	figs := Figures
	if hasStock(a) || hasStock(b) {
		figs = append(figs[:len(figs):len(figs)], Oversold)
	}
	n := min(len(a), len(b))
	xa, xb, d := make([]float64, n), make([]float64, n), make([]float64, n)
	rows := make([]Row, 0, len(figs))
	for _, f := range figs {
		for k := range n {
			xa[k], xb[k] = f.Value(&a[k]), f.Value(&b[k])
			d[k] = xb[k] - xa[k]
		}
		rows = append(rows, Row{Figure: f,
			A: sweep.Over(xa, sweep.Confidence), B: sweep.Over(xb, sweep.Confidence), Diff: sweep.Over(d, sweep.Confidence)})
	}
	return rows
}

func hasStock(rs []sweep.Result) bool {
	for i := range rs {
		if rs[i].Sum.Stock != nil {
			return true
		}
	}
	return false
}
