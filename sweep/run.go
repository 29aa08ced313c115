package sweep

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// Run is how each simulation of a point runs.
type Run struct {
	Warmup, Duration time.Duration
	// Stop, if set, makes each run's stop rule, which is asked after each
	// slice of that run whether to stop it early (an overloaded candidate
	// of a search); a stopped run's Result has Stopped set. A rule may
	// keep state, since each run has its own: runs of several seeds go
	// on at once, and one's rule must not see another's counts.
	Stop func() StopRule
}

// StopRule says whether to stop the run s, elapsed into its window.
type StopRule func(s *sim.Sim, elapsed time.Duration) bool

// Result is one simulation: the figures of its summary a sweep writes.
type Result struct {
	Seed uint64
	// Stopped says the run was stopped early, and why.
	Stopped string
	Sum     sim.Summary
}

// Figures are the per-run numbers a sweep writes and summarises, in
// order; a Result gives them by Value.
var Figures = []string{
	"throughput_rps", "goodput_rps", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms",
	"errors", "drops", "arrived", "completed", "dropped", "failed", "in_flight",
	"app_util", "cpu_util", "db_util", "cache_util", "offload_util",
}

// Value returns figure name of r.
func (r *Result) Value(name string) float64 {
	s := &r.Sum
	w := &s.Window
	switch name {
	case "throughput_rps":
		return s.ThroughputRPS
	case "goodput_rps":
		return s.GoodputRPS
	case "mean_ms":
		return s.LatencyMs.Mean
	case "p50_ms":
		return s.LatencyMs.P50
	case "p95_ms":
		return s.LatencyMs.P95
	case "p99_ms":
		return s.LatencyMs.P99
	case "max_ms":
		return s.LatencyMs.Max
	case "errors":
		return r.Errors()
	case "drops":
		return r.Drops()
	case "arrived":
		return float64(w.Arrived)
	case "completed":
		return float64(w.Completed)
	case "dropped":
		return float64(w.Dropped)
	case "failed":
		return float64(w.Failed)
	case "in_flight":
		return float64(w.InFlight)
	}
	for _, st := range s.Stations {
		if st.Name+"_util" == name {
			return st.Utilization
		}
	}
	return 0
}

// Errors is the fraction of the window's logical requests that ended
// without an answer: dropped, failed or abandoned by their client.
func (r *Result) Errors() float64 {
	l := r.Sum.Window.Logical
	bad := l.Dropped + l.Failed + l.Abandoned
	if n := bad + l.Goodput; n > 0 {
		return float64(bad) / float64(n)
	}
	return 0
}

// Drops is the fraction of the window's attempts refused at the door.
func (r *Result) Drops() float64 {
	w := r.Sum.Window
	if w.Arrived > 0 {
		return float64(w.Dropped) / float64(w.Arrived)
	}
	return 0
}

// sliceEvents is how many events a run advances between looks at Stop.
const sliceEvents = 20_000

// One simulates t once with seed.
func (r Run) One(t *topology.Topology, seed uint64) (Result, error) {
	t = t.Clone()
	t.Seed = seed
	s, err := sim.New(t, sim.Options{Warmup: r.Warmup})
	if err != nil {
		return Result{}, err
	}
	end := r.Warmup + r.Duration
	out := Result{Seed: seed}
	var stop StopRule
	if r.Stop != nil {
		stop = r.Stop()
	}
	for !s.AdvanceBudget(end, sliceEvents) {
		if stop != nil && s.Now() > r.Warmup && stop(s, s.Now()-r.Warmup) {
			out.Stopped = fmt.Sprintf("overloaded, stopped at %s of %s", topology.FormatDuration(s.Now().Round(100*time.Millisecond)), topology.FormatDuration(end))
			break
		}
	}
	out.Sum = s.Summary()
	return out, nil
}

// Job is one point to run with every seed.
type Job struct {
	Point    Point
	Topology *topology.Topology
}

// Done is a job's results, one per seed in order.
type Done struct {
	Job     Job
	Results []Result
	Err     error
}

// Parallel runs each job with every seed on jobs goroutines (0: every
// core) and hands the results to out in the jobs' order, whatever order
// they finish in. out runs on the caller's goroutine; an error it
// returns stops the rest.
func (r Run) Parallel(jobs []Job, seeds []uint64, workers int, out func(Done) error) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type task struct{ job, seed int }
	tasks := make(chan task)
	type res struct {
		job, seed int
		r         Result
		err       error
	}
	results := make(chan res)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range min(workers, len(jobs)*len(seeds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tk := range tasks {
				rr, err := r.One(jobs[tk.job].Topology, seeds[tk.seed])
				select {
				case results <- res{tk.job, tk.seed, rr, err}:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() {
		defer close(tasks)
		for j := range jobs {
			for k := range seeds {
				select {
				case tasks <- task{j, k}:
				case <-stop:
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	pending := make([]Done, len(jobs))
	left := make([]int, len(jobs))
	for j := range jobs {
		pending[j] = Done{Job: jobs[j], Results: make([]Result, len(seeds))}
		left[j] = len(seeds)
	}
	next := 0
	var first error
	for rs := range results {
		if first != nil {
			continue
		}
		d := &pending[rs.job]
		d.Results[rs.seed] = rs.r
		if rs.err != nil && d.Err == nil {
			d.Err = rs.err
		}
		left[rs.job]--
		for next < len(jobs) && left[next] == 0 {
			if err := out(pending[next]); err != nil {
				first = err
				close(stop)
				break
			}
			pending[next] = Done{}
			next++
		}
	}
	return first
}
