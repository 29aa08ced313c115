package lab

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
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

// envInt reads a positive whole number from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestLab measures every case on a real uWSGI server pinned to one core
// and prints it beside scalesim's prediction for the same topology, with
// the service time measured first at one connection. It runs only with
// SCALESIM_LAB=1 (see run.sh); it writes results.md.
func TestLab(t *testing.T) {
	if os.Getenv("SCALESIM_LAB") == "" {
		t.Skip("the lab measures a real uWSGI server: run lab/run.sh, or SCALESIM_LAB=1 go test ./lab -run TestLab -v")
	}
	if _, err := exec.LookPath("uwsgi"); err != nil {
		t.Fatalf("uwsgi is not installed: lab/run.sh installs it from Debian's packages")
	}
	core := envInt("LAB_CORE", 1)
	repeats := envInt("LAB_REPEATS", 2)
	measure := time.Duration(envInt("LAB_SECONDS", 15)) * time.Second
	warmup := 3 * time.Second
	only := os.Getenv("LAB_ONLY")

	var rows []row
	for _, c := range cases {
		if only != "" && !strings.Contains(c.name, only) {
			continue
		}
		r, err := runCase(c, core, repeats, warmup, measure)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		t.Logf("%s: measured %.1f req/s, mean %.1f ms, p99 %.1f ms; scalesim %.1f req/s, mean %.1f ms, p99 %.1f ms",
			c.name, r.tput.mean(), r.mean.mean(), r.p99.mean(), r.pred.ThroughputRPS, r.pred.LatencyMs.Mean, r.pred.LatencyMs.P99)
		rows = append(rows, r)
	}
	out := table(rows, core, repeats, measure)
	fmt.Println(out)
	if err := os.WriteFile("results.md", []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// spread is a figure over repeated runs.
type spread []float64

func (s spread) mean() float64 {
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}

func (s spread) String() string {
	lo, hi := s[0], s[0]
	for _, v := range s {
		lo, hi = min(lo, v), max(hi, v)
	}
	if len(s) == 1 || hi-lo < 0.05 {
		return fmt.Sprintf("%.1f", s.mean())
	}
	return fmt.Sprintf("%.1f (%.1f-%.1f)", s.mean(), lo, hi)
}

type row struct {
	c               labCase
	service, cv     float64 // measured at one connection: the CPU part of a page, ms
	rate            float64 // open load's rate
	errors          int     // requests that failed over the runs
	tput, mean, p99 spread
	pred            sim.Summary
}

// runCase measures case c repeats times, then predicts it.
func runCase(c labCase, core, repeats int, warmup, measure time.Duration) (row, error) {
	r := row{c: c}
	dir, _ := os.Getwd()
	s, err := startServer(dir, core, c.uwsgi, c.env)
	if err != nil {
		return r, err
	}
	defer s.stop()
	url := s.url + c.page.query()
	// the service time: one request at a time
	one := closedLoad(url, 1, time.Second, 4*time.Second, 1)
	if one.Completed == 0 {
		return r, fmt.Errorf("no request completed at one connection (%d errors)", one.Errors)
	}
	m1, _, _, cv1 := one.stats()
	r.service = m1 - c.page.io
	r.cv = cv1 * m1 / r.service
	if c.users == 0 {
		r.rate = c.load * 1000 / r.service
	}
	for i := 0; i < repeats; i++ {
		var res *result
		if c.users > 0 {
			res = closedLoad(url, c.users, warmup, measure, uint64(i+1))
		} else {
			res = openLoad(url, r.rate, warmup, measure, uint64(i+1))
		}
		r.errors += res.Errors // refused or timed out: counted, and shown in the table
		mean, _, p99, _ := res.stats()
		r.tput = append(r.tput, res.ThroughputRPS())
		r.mean = append(r.mean, mean)
		r.p99 = append(r.p99, p99)
	}
	pred, err := predict(c, r)
	r.pred = pred
	return r, err
}

// predict runs scalesim on the case's topology with the measured service
// time: the CPU split between the page's bursts as the page splits it.
func predict(c labCase, r row) (sim.Summary, error) {
	dist := func(ms float64) string {
		if r.cv < 0.01 {
			return fmt.Sprintf("%.3fms", ms)
		}
		return fmt.Sprintf("\"lognormal(%.3fms, %.3f)\"", ms, min(r.cv, 5))
	}
	total := c.page.cpu + c.page.cpu2
	steps := []string{"{cpu: " + dist(r.service*c.page.cpu/total) + "}"}
	if c.page.io > 0 {
		steps = append(steps, fmt.Sprintf("{io: %gms}", c.page.io))
	}
	if c.page.cpu2 > 0 {
		steps = append(steps, "{cpu: "+dist(r.service*c.page.cpu2/total)+"}")
	}
	load := fmt.Sprintf("rate: %.3f", r.rate)
	if c.users > 0 {
		load = fmt.Sprintf("users: %d", c.users)
	}
	text := fmt.Sprintf("workload: {%s, requests: [{steps: [%s]}]}\napp: {cores: 1, backlog: 100, %s}\n", load, strings.Join(steps, ", "), c.app)
	top, err := topology.Parse("lab.yaml", []byte(text))
	if err != nil {
		return sim.Summary{}, fmt.Errorf("%w\n%s", err, text)
	}
	s, err := sim.New(top, sim.Options{Warmup: 10 * time.Second})
	if err != nil {
		return sim.Summary{}, err
	}
	s.Advance(310 * time.Second)
	return s.Summary(), nil
}

// table is the results as a Markdown table, measured beside predicted
// with their ratio.
func table(rows []row, core, repeats int, measure time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "uWSGI pinned to core %d; %d runs of %s each (mean, and the range when runs differ); scalesim 300 s simulated.\n\n", core, repeats, measure)
	b.WriteString("| case | service (cv) | req/s real / sim | mean ms real / sim (ratio) | p99 ms real / sim (ratio) | failed real / sim |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		p := r.pred
		fmt.Fprintf(&b, "| %s | %.2f ms (%.2f) | %s / %.1f | %s / %.1f (%.2f) | %s / %.1f (%.2f) | %d / %d |\n",
			r.c.name, r.service, r.cv, r.tput, p.ThroughputRPS,
			r.mean, p.LatencyMs.Mean, p.LatencyMs.Mean/r.mean.mean(),
			r.p99, p.LatencyMs.P99, p.LatencyMs.P99/r.p99.mean(), r.errors, p.Window.Dropped+p.Window.Failed)
	}
	return b.String()
}
