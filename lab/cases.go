package lab

import (
	"fmt"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// page is what one request of a case does on the real server.
type page struct{ cpu, io, cpu2 float64 } // ms

func (p page) query() string {
	return fmt.Sprintf("?cpu=%g&io=%g&cpu2=%g", p.cpu, p.io, p.cpu2)
}

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
	{name: "sync 4, cpu 10ms + io 40ms, 8 users", uwsgi: []string{"--processes", "4"}, app: "workers: 4", page: mixedPage, users: 8},
	{name: "threads 4, cpu 10ms + io 40ms, 8 users", uwsgi: []string{"--processes", "1", "--threads", "4"}, app: "workers: 1, model: threads, concurrency: 4", page: mixedPage, users: 8},
	{name: "gevent 100, cpu 2ms + io 48ms, open 80%", uwsgi: []string{"--plugin", "gevent_python3", "--processes", "1", "--gevent", "100", "--gevent-monkey-patch"}, app: "workers: 1, model: gevent, concurrency: 100", page: ioPage, load: 0.8},
	{name: "gevent 100, cpu 2ms + io 48ms, open 50%", uwsgi: []string{"--plugin", "gevent_python3", "--processes", "1", "--gevent", "100", "--gevent-monkey-patch"}, app: "workers: 1, model: gevent, concurrency: 100", page: ioPage, load: 0.5},
}

// topology is the case's scalesim topology: one core, the case's app
// section, and its page with the CPU time measured on the real server
// (service ms in all, coefficient of variation cv), split between the
// page's bursts as the page splits it; rate is the open load's rate.
func (c labCase) topology(service, cv, rate float64) (*topology.Topology, error) {
	dist := func(ms float64) string {
		if cv < 0.01 {
			return fmt.Sprintf("%.3fms", ms)
		}
		return fmt.Sprintf("\"lognormal(%.3fms, %.3f)\"", ms, min(cv, 5))
	}
	total := c.page.cpu + c.page.cpu2
	steps := []string{"{cpu: " + dist(service*c.page.cpu/total) + "}"}
	if c.page.io > 0 {
		steps = append(steps, fmt.Sprintf("{io: %gms}", c.page.io))
	}
	if c.page.cpu2 > 0 {
		steps = append(steps, "{cpu: "+dist(service*c.page.cpu2/total)+"}")
	}
	load := fmt.Sprintf("rate: %.3f", rate)
	if c.users > 0 {
		load = fmt.Sprintf("users: %d", c.users)
	}
	text := fmt.Sprintf("workload: {%s, requests: [{steps: [%s]}]}\napp: {cores: 1, backlog: 100, %s}\n", load, strings.Join(steps, ", "), c.app)
	top, err := topology.Parse("lab.yaml", []byte(text))
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, text)
	}
	return top, nil
}

// predictWarmup and predictRun are how long scalesim runs a case: a
// warm-up, then the measured window.
const (
	predictWarmup = 10 * time.Second
	predictRun    = 300 * time.Second
)

// predict runs scalesim on the case's topology (see topology).
func (c labCase) predict(service, cv, rate float64) (sim.Summary, error) {
	top, err := c.topology(service, cv, rate)
	if err != nil {
		return sim.Summary{}, err
	}
	s, err := sim.New(top, sim.Options{Warmup: predictWarmup})
	if err != nil {
		return sim.Summary{}, err
	}
	s.Advance(predictWarmup + predictRun)
	return s.Summary(), nil
}
