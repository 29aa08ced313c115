package lab

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what a load generator measured in its window: requests
// completed and failed within it, the latencies of the completed ones,
// and the CPU the server used over it (when a meter was given).
type result struct {
	Completed, Errors int
	Span              time.Duration // the measured window
	lat               []time.Duration
	cpu               cpuReading
	cpuErr            error
	// reqCPU, at one connection, is each completed request's CPU in the
	// server's processes (oneConnection)
	reqCPU []time.Duration
}

// cpuSpread is the mean CPU a request took in the server's processes at
// one connection, in ms, and its coefficient of variation.
func (r *result) cpuSpread() (mean, cv float64) {
	if len(r.reqCPU) == 0 {
		return 0, 0
	}
	var sum, sq float64
	for _, d := range r.reqCPU {
		ms := float64(d) / 1e6
		sum += ms
		sq += ms * ms
	}
	n := float64(len(r.reqCPU))
	mean = sum / n
	return mean, math.Sqrt(max(sq/n-mean*mean, 0)) / mean
}

func (r *result) ThroughputRPS() float64 { return float64(r.Completed) / r.Span.Seconds() }

// demand is the service demand law's CPU per completed request, in ms,
// of the server's core and of its own processes: the busy time over the
// window divided by the requests the window completed.
func (r *result) demand() (core, procs float64) {
	if r.Completed == 0 {
		return 0, 0
	}
	n := float64(r.Completed)
	return float64(r.cpu.core) / 1e6 / n, float64(r.cpu.procs) / 1e6 / n
}

// stats returns the mean, p50 and p99 latencies in ms and the
// coefficient of variation.
func (r *result) stats() (mean, p50, p99, cv float64) {
	if len(r.lat) == 0 {
		return 0, 0, 0, 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	var sum, sq float64
	for _, d := range s {
		ms := float64(d) / 1e6
		sum += ms
		sq += ms * ms
	}
	n := float64(len(s))
	mean = sum / n
	cv = math.Sqrt(max(sq/n-mean*mean, 0)) / mean
	q := func(p float64) float64 { return float64(s[min(int(p*n), len(s)-1)]) / 1e6 }
	return mean, q(0.5), q(0.99), cv
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: 0,
			DisableCompression: true,
		},
	}
}

func get(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %s", resp.Status)
	}
	return err
}

// recorder gathers what completes within [from, to), as scalesim's
// window counts it (a request counts where its answer arrives), and the
// server's CPU over the same window.
type recorder struct {
	mu       sync.Mutex
	from, to time.Time
	res      result
	cpuDone  chan struct{} // closed once the window's CPU is read
}

// newRecorder starts the window's clock: the window opens warmup after
// now and lasts measure; with a meter, the server's CPU is read at both
// ends.
func newRecorder(warmup, measure time.Duration, meter *cpuMeter) *recorder {
	now := time.Now()
	r := &recorder{from: now.Add(warmup), to: now.Add(warmup + measure), cpuDone: make(chan struct{})}
	r.res.Span = measure
	if meter == nil {
		close(r.cpuDone)
		return r
	}
	go func() {
		defer close(r.cpuDone)
		time.Sleep(time.Until(r.from))
		c0, err := meter.read()
		if err != nil {
			r.res.cpuErr = err
			return
		}
		time.Sleep(time.Until(r.to))
		c1, err := meter.read()
		r.res.cpu, r.res.cpuErr = c1.sub(c0), err
	}()
	return r
}

func (r *recorder) add(sent time.Time, err error) {
	done := time.Now()
	if done.Before(r.from) || !done.Before(r.to) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.res.Errors++
		return
	}
	r.res.Completed++
	r.res.lat = append(r.res.lat, done.Sub(sent))
}

// result waits for the window's CPU reading and returns what the window
// saw.
func (r *recorder) result() *result {
	<-r.cpuDone
	r.mu.Lock()
	defer r.mu.Unlock()
	return &r.res
}

// closedLoad runs users that each send a request, wait for its answer
// and send the next at once, for warmup and then measure.
func closedLoad(url string, users int, warmup, measure time.Duration, meter *cpuMeter) *result {
	c := newClient(users)
	rec := newRecorder(warmup, measure, meter)
	ctx, cancel := context.WithDeadline(context.Background(), rec.to.Add(5*time.Second))
	defer cancel()
	var wg sync.WaitGroup
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				sent := time.Now()
				if !sent.Before(rec.to) {
					return
				}
				rec.add(sent, get(ctx, c, url))
			}
		}()
	}
	wg.Wait()
	return rec.result()
}

// settle is how long oneConnection waits after an answer before it reads
// the server's CPU: what the worker does after it sent the answer (its
// log line, its cleanup) is then done, and counts in that request.
const settle = time.Millisecond

// oneConnection sends one request at a time, for warmup and then measure,
// as a closed load of one user, and with a meter also measures each
// request's CPU in the server's processes: their run time from before it
// was sent to settle after its answer.
func oneConnection(url string, warmup, measure time.Duration, meter *cpuMeter) *result {
	c := newClient(1)
	rec := newRecorder(warmup, measure, meter)
	ctx, cancel := context.WithDeadline(context.Background(), rec.to.Add(5*time.Second))
	defer cancel()
	var procs []string
	var reqCPU []time.Duration
	var cpuErr error
	for {
		now := time.Now()
		if !now.Before(rec.to) {
			break
		}
		var before map[string]time.Duration
		if meter != nil && !now.Before(rec.from) && cpuErr == nil {
			if procs == nil {
				procs, cpuErr = groupProcs(meter.pgid)
			}
			if cpuErr == nil {
				before, cpuErr = threadRunTimes(procs)
			}
		}
		sent := time.Now() // the reading is not the request's latency
		err := get(ctx, c, url)
		done := time.Now()
		rec.add(sent, err)
		if len(before) > 0 && err == nil && done.Before(rec.to) {
			time.Sleep(settle)
			after, err := threadRunTimes(procs)
			if err != nil {
				cpuErr = err
			}
			reqCPU = append(reqCPU, ranBetween(before, after))
		}
	}
	res := rec.result()
	res.reqCPU = reqCPU
	if res.cpuErr == nil {
		res.cpuErr = cpuErr
	}
	return res
}

// openLoad sends a request at each of the arrival times (from its
// start), each on its own goroutine, for warmup and then measure, and
// measures each latency from the instant it was due to be sent (so a
// late sender does not hide queueing). Arrivals are the simulation's
// (sim.Arrivals), so that the server and scalesim see the same traffic.
func openLoad(url string, arrivals []time.Duration, warmup, measure time.Duration, meter *cpuMeter) *result {
	c := newClient(1024)
	rec := newRecorder(warmup, measure, meter)
	start := rec.from.Add(-warmup)
	ctx, cancel := context.WithDeadline(context.Background(), rec.to.Add(30*time.Second))
	defer cancel()
	var wg sync.WaitGroup
	for _, at := range arrivals {
		due := start.Add(at)
		if !due.Before(rec.to) {
			break
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func(sent time.Time) {
			defer wg.Done()
			rec.add(sent, get(ctx, c, url))
		}(due)
	}
	wg.Wait()
	return rec.result()
}
