package lab

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what a load generator measured: completed requests, errors,
// and the latencies of the completed ones.
type result struct {
	Completed, Errors int
	Span              time.Duration // the measured window
	lat               []time.Duration
}

func (r *result) ThroughputRPS() float64 { return float64(r.Completed) / r.Span.Seconds() }

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

// recorder gathers latencies of requests sent within [from, to).
type recorder struct {
	mu       sync.Mutex
	from, to time.Time
	res      result
}

func (r *recorder) add(sent time.Time, lat time.Duration, err error) {
	if sent.Before(r.from) || !sent.Before(r.to) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.res.Errors++
		return
	}
	r.res.Completed++
	r.res.lat = append(r.res.lat, lat)
}

// closedLoad runs users that each send a request, wait for its answer
// and send the next at once, for warmup and then measure.
func closedLoad(url string, users int, warmup, measure time.Duration, seed uint64) *result {
	_ = seed
	c := newClient(users)
	start := time.Now()
	rec := &recorder{from: start.Add(warmup), to: start.Add(warmup + measure)}
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
				err := get(ctx, c, url)
				rec.add(sent, time.Since(sent), err)
			}
		}()
	}
	wg.Wait()
	rec.res.Span = measure
	return &rec.res
}

// openLoad sends a Poisson stream of rate requests a second, each on its
// own goroutine, and measures each latency from the instant it was due
// to be sent (so a late sender does not hide queueing).
func openLoad(url string, rate float64, warmup, measure time.Duration, seed uint64) *result {
	c := newClient(1024)
	rng := rand.New(rand.NewPCG(seed, 0x6c6162))
	start := time.Now()
	rec := &recorder{from: start.Add(warmup), to: start.Add(warmup + measure)}
	ctx, cancel := context.WithDeadline(context.Background(), rec.to.Add(30*time.Second))
	defer cancel()
	var wg sync.WaitGroup
	due := start
	for due.Before(rec.to) {
		due = due.Add(time.Duration(rng.ExpFloat64() / rate * 1e9))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func(sent time.Time) {
			defer wg.Done()
			err := get(ctx, c, url)
			rec.add(sent, time.Since(sent), err)
		}(due)
	}
	wg.Wait()
	rec.res.Span = measure
	return &rec.res
}
