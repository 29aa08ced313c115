package lab

import (
	"fmt"
	"math"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// page is what one request of a case does on the real server: burn cpu
// ms, sleep io ms, burn cpu2 ms, and with log write a line to a file
// (app.py's log=1) as it ends.
type page struct {
	cpu, io, cpu2 float64 // ms
	log           bool
}

func (p page) query() string {
	q := fmt.Sprintf("?cpu=%g&io=%g&cpu2=%g", p.cpu, p.io, p.cpu2)
	if p.log {
		q += "&log=1"
	}
	return q
}

// uwsgiWrite is the CPU, in ms, that uWSGI's python plugin spends
// writing a page's response (its headers and body in one writev(2) to
// the client's socket), between UWSGI_RELEASE_GIL and UWSGI_GET_GIL: a
// trace of the lab's threads server at one connection (the syscalls'
// entries and exits on its worker, 1,500 pages) gave 32 µs on average
// (18-43 µs from the 10th to the 90th percentile). A threads case's
// topology ends with it as a nogil step, the response's write; for sync
// and gevent workers it is CPU like the page's, and stays in its cpu.
const uwsgiWrite = 0.032

// labCase is one configuration measured and predicted.
type labCase struct {
	name  string
	uwsgi []string // uWSGI's concurrency options
	env   []string
	app   string // the matching app section's keys, for scalesim
	page  page
	users int     // closed load: users with no think time; 0 for open
	load  float64 // open load: a fraction of the core's capacity
}

var (
	cpuPage   = page{cpu: 10}
	logPage   = page{cpu: 10, log: true}
	ioPage    = page{cpu: 2, io: 48}
	mixedPage = page{cpu: 10, io: 40}
)

var cases = []labCase{
	{name: "sync 1, cpu 10ms, open 50%", uwsgi: []string{"--processes", "1"}, app: "workers: 1", page: cpuPage, load: 0.5},
	{name: "sync 1, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1"}, app: "workers: 1", page: cpuPage, load: 0.8},
	{name: "sync 2, cpu 10ms, open 80%", uwsgi: []string{"--processes", "2"}, app: "workers: 2", page: cpuPage, load: 0.8},
	{name: "sync 4, cpu 10ms, open 80%", uwsgi: []string{"--processes", "4"}, app: "workers: 4", page: cpuPage, load: 0.8},
	{name: "threads 4, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, app: "workers: 1, model: threads, concurrency: 4", page: cpuPage, load: 0.8},
	{name: "threads 4 si 1ms, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, env: []string{"LAB_SWITCH_INTERVAL=0.001"}, app: "workers: 1, model: threads, concurrency: 4, switch_interval: 1ms", page: cpuPage, load: 0.8},
	{name: "threads 4 si 20ms, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, env: []string{"LAB_SWITCH_INTERVAL=0.020"}, app: "workers: 1, model: threads, concurrency: 4, switch_interval: 20ms", page: cpuPage, load: 0.8},
	// a page that logs a line lets go of the GIL once more, before it
	// returns: the first machine's switch-interval pattern?
	{name: "threads 4 log, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, app: "workers: 1, model: threads, concurrency: 4", page: logPage, load: 0.8},
	{name: "threads 4 si 1ms log, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, env: []string{"LAB_SWITCH_INTERVAL=0.001"}, app: "workers: 1, model: threads, concurrency: 4, switch_interval: 1ms", page: logPage, load: 0.8},
	{name: "threads 4 si 20ms log, cpu 10ms, open 80%", uwsgi: []string{"--processes", "1", "--threads", "4"}, env: []string{"LAB_SWITCH_INTERVAL=0.020"}, app: "workers: 1, model: threads, concurrency: 4, switch_interval: 20ms", page: logPage, load: 0.8},
	{name: "sync 4, cpu 10ms + io 40ms, 8 users", uwsgi: []string{"--processes", "4"}, app: "workers: 4", page: mixedPage, users: 8},
	// the sync workers' lockstep depends on where a burst ends in its
	// last slice: scalesim keeps four of them in step at about 10.1-10.3
	// ms of CPU a request and has them pipeline at 9.6 or 10.8
	{name: "sync 4, cpu 9.4ms + io 40ms, 8 users", uwsgi: []string{"--processes", "4"}, app: "workers: 4", page: page{cpu: 9.4, io: 40}, users: 8},
	{name: "sync 4, cpu 10.6ms + io 40ms, 8 users", uwsgi: []string{"--processes", "4"}, app: "workers: 4", page: page{cpu: 10.6, io: 40}, users: 8},
	{name: "threads 4, cpu 10ms + io 40ms, 8 users", uwsgi: []string{"--processes", "1", "--threads", "4"}, app: "workers: 1, model: threads, concurrency: 4", page: mixedPage, users: 8},
	{name: "gevent 100, cpu 2ms + io 48ms, open 80%", uwsgi: []string{"--plugin", "gevent_python3", "--processes", "1", "--gevent", "100", "--gevent-monkey-patch"}, app: "workers: 1, model: gevent, concurrency: 100", page: ioPage, load: 0.8},
	{name: "gevent 100, cpu 2ms + io 48ms, open 50%", uwsgi: []string{"--plugin", "gevent_python3", "--processes", "1", "--gevent", "100", "--gevent-monkey-patch"}, app: "workers: 1, model: gevent, concurrency: 100", page: ioPage, load: 0.5},
}

// model is what a prediction takes from the measurements: the CPU a
// request costs the server's processes (ms, their run time under load
// over the requests completed) and its coefficient of variation,
// the client's and the loopback's part of a request's latency outside
// the server (ms, both ways), the open load's rate, and the page's log
// write (ms, at one connection; 0 for a page that logs nothing).
type model struct {
	service, cv, net, rate float64
	log                    float64
	os                     string // the app section's scheduler keys for the machine's kernel ("": the defaults)
}

// topology is the case's scalesim topology: one core, the case's app
// section, and its page with the measured CPU per request split between
// the page's bursts as the page splits it; the net part is the load
// balancer's hop, half each way, which holds no worker and no core.
//
// The page's log write (a page with log) and, for threads, uWSGI's write
// of the response (uwsgiWrite) are nogil steps at its end: CPU in C code
// that lets go of the GIL around it, taken out of the measured CPU per
// request, which holds them. The log write's duration is its page's
// wall time for the write and the flush at one connection, which holds a
// little Python besides the write(2) (a trace gave 8 µs of the 26 µs
// there), so it is an upper bound on the time outside the GIL.
//
// A switch costs the page no CPU of its own (switch_cost: 0s): the page
// burns until its thread's CPU clock has advanced by its cpu, so the
// caches a switch makes it refill are paid within that time, not on top
// of it, and what the kernel spends on the switch itself is in the
// demand measured under load (the uWSGI processes' run time per request,
// which the kernel charges with the switches' work). A trace of the sync
// closed case showed both: the core busy 10.264 ms per request over 8.4
// switches, the workers' own CPU 10.258 ms.
func (c labCase) topology(m model) (*topology.Topology, error) {
	dist := func(ms float64) string {
		if m.cv < 0.01 {
			return fmt.Sprintf("%.3fms", ms)
		}
		return fmt.Sprintf("\"lognormal(%.3fms, %.3f)\"", ms, min(m.cv, 5))
	}
	var tail []string // the nogil steps at the page's end, and their CPU
	outside := 0.0
	if c.page.log && m.log > 0 {
		tail = append(tail, fmt.Sprintf("{nogil: %dus}", int(math.Round(m.log*1000))))
		outside += m.log
	}
	if c.threads() {
		tail = append(tail, fmt.Sprintf("{nogil: %dus}", int(math.Round(uwsgiWrite*1000))))
		outside += uwsgiWrite
	}
	total, python := c.page.cpu+c.page.cpu2, m.service-outside
	steps := []string{"{cpu: " + dist(python*c.page.cpu/total) + "}"}
	if c.page.io > 0 {
		steps = append(steps, fmt.Sprintf("{io: %gms}", c.page.io))
	}
	if c.page.cpu2 > 0 {
		steps = append(steps, "{cpu: "+dist(python*c.page.cpu2/total)+"}")
	}
	steps = append(steps, tail...)
	load := fmt.Sprintf("rate: %.3f", m.rate)
	if c.users > 0 {
		load = fmt.Sprintf("users: %d", c.users)
	}
	app := c.app
	if m.os != "" {
		app += ", " + m.os
	}
	text := fmt.Sprintf("workload: {%s, requests: [{steps: [%s]}]}\napp: {cores: 1, backlog: 100, switch_cost: 0s, %s}\n", load, strings.Join(steps, ", "), app)
	if hop := time.Duration(m.net / 2 * 1e6); hop >= time.Microsecond {
		text += fmt.Sprintf("lb: {latency: %dus}\n", hop.Microseconds())
	}
	top, err := topology.Parse("lab.yaml", []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, text)
	}
	return top, nil
}

// threads reports whether the case's workers are threads (with the GIL).
func (c labCase) threads() bool { return strings.Contains(c.app, "model: threads") }

// fcfs is the case with its core run first come, first served (each CPU
// burst to its end), the model time slices are measured against.
func (c labCase) fcfs() labCase {
	c.name += ", FCFS"
	c.app += ", scheduler: run_to_completion"
	return c
}

// nominalWarmup and nominalRun are how long scalesim runs a case that
// was not measured with the simulation's arrivals: a warm-up, then a
// window long enough for its figures to settle.
const (
	nominalWarmup = 10 * time.Second
	nominalRun    = 300 * time.Second
)

// predict runs scalesim on the case's topology (see topology) with seed
// (0: the topology's) and returns the summary of the window that follows
// warmup for span: for an open load, the arrivals of Arrivals for the
// same seed.
func (c labCase) predict(m model, seed uint64, warmup, span time.Duration) (sim.Summary, error) {
	top, err := c.topology(m)
	if err != nil {
		return sim.Summary{}, err
	}
	s, err := sim.New(top, sim.Options{Seed: seed, Warmup: warmup})
	if err != nil {
		return sim.Summary{}, err
	}
	s.Advance(warmup + span)
	return s.Summary(), nil
}
