package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"scalesim/metrics"
	"scalesim/runplot"
	"scalesim/sim"
)

// metricsUsage is the --metrics-listen flag's help.
var metricsUsage = "serve /metrics for Prometheus on `ADDR` (HOST:PORT);\n" +
	"the host defaults to " + metrics.DefaultHost + ", the port to " + strconv.Itoa(metrics.DefaultPort)

// serveMetrics starts the metrics endpoint on addr; stop closes it.
func serveMetrics(addr string) (*metrics.Publisher, func(), error) {
	pub := metrics.NewPublisher()
	srv, err := metrics.Listen(addr, pub)
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return nil, nil, invalid{fmt.Errorf("--metrics-listen %q: %w; give an address of this machine, such as 127.0.0.1:8355 or 0.0.0.0:8355", addr, err)}
	}
	if err != nil {
		return nil, nil, err
	}
	return pub, func() { srv.Close() }, nil
}

// pace is how a headless run meets wall-clock time: at most speed
// simulated seconds per second (0: as fast as it goes), publishing a
// snapshot for the metrics endpoint, if any, publishEvery.
type pace struct {
	speed float64
	pub   *metrics.Publisher
	rec   *runplot.Recorder // the plot's, given the marks as they come
	start time.Time
	last  time.Time // of the last snapshot published
}

const (
	// publishEvery is how often a headless run publishes a snapshot for
	// scrapes: as often as the dashboard draws.
	publishEvery = time.Second / 30
	// paceSleep is how long a paced run waits once it has caught up
	// with the wall clock.
	paceSleep = 10 * time.Millisecond
)

// until is how far the run may simulate by now.
func (p *pace) until(end time.Duration) time.Duration {
	if p.speed <= 0 {
		return end
	}
	// In floating point first: a huge speed (1e308) times the elapsed
	// nanoseconds is beyond int64, and the conversion would wrap.
	if at := float64(time.Since(p.start)) * p.speed; at < float64(end) {
		return time.Duration(at)
	}
	return end
}

// publish gives the endpoint a snapshot of s, if publishEvery has
// passed since the last one or final is set. Reading s does not change
// what it simulates.
func (p *pace) publish(s *sim.Sim, final bool) {
	if p.rec != nil {
		p.rec.Marks(s.Marks())
	}
	if p.pub == nil || (!final && time.Since(p.last) < publishEvery) {
		return
	}
	p.last = time.Now()
	p.pub.Publish(0, s.Snapshot())
}
