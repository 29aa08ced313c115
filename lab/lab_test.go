package lab

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
)

// envInt reads a positive whole number from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestLab measures every case on a real uWSGI server pinned to one core
// and prints it beside scalesim's prediction for the same topology, the
// same arrivals and the same window, with the CPU per request measured on
// the server's core in each run. It runs only with SCALESIM_LAB=1 (see
// run.sh); it writes results.md.
func TestLab(t *testing.T) {
	if os.Getenv("SCALESIM_LAB") == "" {
		t.Skip("the lab measures a real uWSGI server: run lab/run.sh, or SCALESIM_LAB=1 go test ./lab -run TestLab -v")
	}
	if _, err := exec.LookPath("uwsgi"); err != nil {
		t.Fatalf("uwsgi is not installed: lab/run.sh installs it from Debian's packages")
	}
	core := envInt("LAB_CORE", 1)
	repeats := envInt("LAB_REPEATS", 3)
	measure := time.Duration(envInt("LAB_SECONDS", 15)) * time.Second
	warmup := 3 * time.Second
	only := os.Getenv("LAB_ONLY")
	if _, _, err := coreBusy(core); err != nil {
		t.Fatalf("LAB_CORE=%d: %v", core, err)
	}

	osKeys, osWhy := kernelScheduler()
	t.Logf("scheduler: %s (%q)", osWhy, osKeys)
	var rows []row
	for _, c := range cases {
		if only != "" && !slices.ContainsFunc(strings.Split(only, "|"), func(part string) bool { return strings.Contains(c.name, part) }) {
			continue
		}
		r, err := runCase(c, osKeys, core, repeats, warmup, measure)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, x := range r.runs {
			t.Logf("%s, seed %d: demand %.3f ms (uWSGI's run time; the core's busy time %.2f ms), core %.0f%% busy, %.1f%% stolen; real %.1f req/s, mean %.1f ms, p99 %.1f ms; scalesim %.1f req/s, mean %.1f ms, p99 %.1f ms",
				c.name, x.seed, x.procs, x.core, 100*x.busy, 100*x.steal, x.tput, x.mean, x.p99, x.pred.ThroughputRPS, x.pred.LatencyMs.Mean, x.pred.LatencyMs.P99)
			if tc := x.traced; tc != nil {
				t.Logf("%s, seed %d, traced: the workers' CPU a request %.3f ms (cv %.4f) over %d pages: the page's %.3f ms (cv %.4f), uWSGI's between pages %.3f ms",
					c.name, x.seed, tc.mean, tc.cv, tc.n, tc.page, tc.pageCV, tc.between)
			}
			if x.kernel != nil && strings.Contains(c.app, "threads") {
				t.Logf("%s, seed %d, kernel trace: %s", c.name, x.seed, x.kernel)
			}
			if x.together >= 0 && c.users > 0 {
				t.Logf("%s, seed %d, traced: %.0f%% of the pages started within 6 ms of one on every other worker thread (lockstep: 100%%)", c.name, x.seed, 100*x.together)
			}
		}
		rows = append(rows, r)
	}
	host, _ := os.Hostname()
	out := table(rows, core, repeats, warmup, measure, fmt.Sprintf("on %s, %s; the simulated kernel: %s", host, time.Now().UTC().Format("2006-01-02 15:04 UTC"), osWhy))
	fmt.Println(out)
	if err := os.WriteFile("results.md", []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCase measures case c at one connection, then repeats times under
// its load, and predicts each run.
func runCase(c labCase, osKeys string, core, repeats int, warmup, measure time.Duration) (row, error) {
	r := row{c: c, os: osKeys}
	dir, _ := os.Getwd()
	s, err := startServer(dir, core, c.uwsgi, c.env)
	if err != nil {
		return r, err
	}
	defer s.stop()
	meter := &cpuMeter{core: core, pgid: s.cmd.Process.Pid}
	url := s.url + c.page.query()

	// one request at a time: the page's latency, and the server's CPU in
	// each request
	one := oneConnection(url, time.Second, 4*time.Second, meter)
	if one.Completed == 0 {
		return r, fmt.Errorf("no request completed at one connection (%d errors)", one.Errors)
	}
	if one.cpuErr != nil {
		return r, one.cpuErr
	}
	m1, _, _, _ := one.stats()
	_, cpu1 := one.demand()
	if cpu1 <= 0 {
		return r, fmt.Errorf("the server's processes used no CPU in %d requests at one connection", one.Completed)
	}
	if len(one.reqCPU) == 0 {
		return r, fmt.Errorf("no request's CPU was measured at one connection (%d completed)", one.Completed)
	}
	_, cv1 := one.cpuSpread()
	// the model's inputs are rounded as results.md writes them for
	// lab/measured, so that the fidelity test's predictions are these;
	// the service time's spread is the CPU's own, each request's as the
	// processes' run time counts it, not the latency's, which holds the
	// client's and the loopback's too
	r.one = oneConn{service: m1 - c.page.io, cpu: cpu1, net: round3(max(m1-c.page.io-cpu1, 0)), cv: round3(cv1)}
	if c.page.log {
		lw, err := logWrite(url, 500)
		if err != nil {
			return r, err
		}
		r.one.log = round3(lw)
	}
	if c.users == 0 {
		r.rate = round3(c.load * 1000 / cpu1)
	}
	for seed := uint64(1); seed <= uint64(repeats); seed++ {
		// the arrivals: those of the topology at the rate, whatever the
		// service time, for this seed
		var arrivals []time.Duration
		if c.users == 0 {
			top, err := c.topology(model{service: cpu1, cv: r.one.cv, net: r.one.net, rate: r.rate, log: r.one.log, os: r.os})
			if err != nil {
				return r, err
			}
			if arrivals, err = sim.Arrivals(top, seed, warmup+measure); err != nil {
				return r, err
			}
		}
		traceFrom := traceSize()
		kt, err := kernelTraceFor(core)
		if err != nil {
			return r, err
		}
		var res *result
		if c.users > 0 {
			res = closedLoad(url, c.users, warmup, measure, meter)
		} else {
			res = openLoad(url, arrivals, warmup, measure, meter)
		}
		kernel, err := kt.summary(c.switchInterval())
		if err != nil {
			return r, err
		}
		if res.cpuErr != nil {
			return r, res.cpuErr
		}
		if res.Completed == 0 {
			return r, fmt.Errorf("seed %d: no request completed within the window (%d errors), with the core %.0f%% busy and %.0f%% stolen: is something else running on core %d?",
				seed, res.Errors, 100*float64(res.cpu.core)/float64(res.Span), 100*float64(res.cpu.steal)/float64(res.Span), core)
		}
		x := run{seed: seed, errors: res.Errors, tput: res.ThroughputRPS(),
			busy: float64(res.cpu.core) / float64(res.Span), steal: float64(res.cpu.steal) / float64(res.Span)}
		x.kernel = kernel
		x.mean, _, x.p99, _ = res.stats()
		x.core, x.procs = res.demand()
		pages, err := traceSince(traceFrom)
		if err != nil {
			return r, err
		}
		if tc, ok := cpuPerRequest(pages); ok {
			x.traced = &tc
		}
		x.together = -1
		if len(pages) > 0 { // after the warm-up, whose users all sent at once
			from := slices.MinFunc(pages, func(a, b tracePage) int { return cmp.Compare(a.Start, b.Start) }).Start + int64(warmup)
			window := slices.DeleteFunc(slices.Clone(pages), func(p tracePage) bool { return p.Start < from })
			if share, ok := startedTogether(window, 6e6); ok {
				x.together = share
			}
		}
		// the demand is the server processes' own run time, exact, and
		// what the kernel charges their slices with; the core's busy time
		// is a sample at the tick and is shown beside it
		x.procs = round3(x.procs)
		x.pred, err = c.predict(model{service: x.procs, cv: r.one.cv, net: r.one.net, rate: r.rate, log: r.one.log, os: r.os}, seed, warmup, measure)
		if err != nil {
			return r, err
		}
		r.runs = append(r.runs, x)
	}
	return r, nil
}

// traceSize is how long LAB_TRACE's file is now (0 without it, or before
// any page wrote to it).
func traceSize() int64 {
	fi, err := os.Stat(os.Getenv("LAB_TRACE"))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// traceSince reads the pages LAB_TRACE's file gained from offset from on
// (a run's, warm-up included); none without LAB_TRACE.
func traceSince(from int64) ([]tracePage, error) {
	path := os.Getenv("LAB_TRACE")
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("LAB_TRACE: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return nil, fmt.Errorf("LAB_TRACE: %w", err)
	}
	pages, err := parseTrace(f)
	if err != nil {
		return nil, fmt.Errorf("LAB_TRACE %s: %w", path, err)
	}
	return pages, nil
}
