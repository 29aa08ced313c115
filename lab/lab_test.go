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
)

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

// predict runs scalesim on the case's topology with the service time
// measured on the real server.
func predict(c labCase, r row) (sim.Summary, error) {
	return c.predict(r.service, r.cv, r.rate)
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
