package lab

import (
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// A handler that answers after 10 ms: the closed load cannot do better
// than users / 10 ms and every latency is at least 10 ms; the open load
// sends the simulation's arrivals, so its window completes about the
// requests that arrived 10 ms before it and within it (a few more or less
// at its edges, where a late goroutine may land on either side).
func TestLoadGenerators(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()

	c := closedLoad(srv.URL, 4, 200*time.Millisecond, time.Second, nil)
	if c.Errors != 0 {
		t.Errorf("closed: %d errors", c.Errors)
	}
	if tp := c.ThroughputRPS(); tp > 4/0.010 || tp < 50 {
		t.Errorf("closed: %.0f req/s; 4 users of 10 ms requests do at most 400", tp)
	}
	if mean, _, _, _ := c.stats(); mean < 10 {
		t.Errorf("closed: mean latency %.2f ms, below the handler's 10 ms", mean)
	}

	top, err := topology.Parse("t.yaml", []byte("workload: {rate: 200, requests: [{steps: [{cpu: 1ms}]}]}\napp: {cores: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	const warmup, measure = 200 * time.Millisecond, time.Second
	arrivals, err := sim.Arrivals(top, 1, warmup+measure)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range arrivals {
		if a >= warmup-10*time.Millisecond && a < warmup+measure-10*time.Millisecond {
			want++
		}
	}
	o := openLoad(srv.URL, arrivals, warmup, measure, nil)
	if o.Errors != 0 {
		t.Errorf("open: %d errors", o.Errors)
	}
	if o.Completed < want-10 || o.Completed > want+10 {
		t.Errorf("open: %d requests completed in the window; %d of the arrivals were due 10 ms before it and within it", o.Completed, want)
	}
	if _, p50, _, _ := o.stats(); p50 < 10 {
		t.Errorf("open: median latency %.2f ms, below the handler's 10 ms", p50)
	}
}

// TestCPUMeter: the test's own process group's run time grows by at least
// the CPU the test burns, and the core's busy time reads from /proc/stat.
func TestCPUMeter(t *testing.T) {
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		t.Skip("no /proc/PID/schedstat here (a kernel without CONFIG_SCHEDSTATS or not Linux)")
	}
	if _, err := coreBusy(0); err != nil {
		t.Fatal(err)
	}
	if _, err := coreBusy(1 << 20); err == nil {
		t.Error("coreBusy of a core that does not exist: no error")
	}
	m := cpuMeter{core: 0, pgid: syscall.Getpgrp()}
	before, err := m.read()
	if err != nil {
		t.Fatal(err)
	}
	self0, _ := groupRunTime(syscall.Getpgrp())
	// burn 30 ms of this process's CPU, as its own schedstat counts it
	const burn = 30 * time.Millisecond
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if now, _ := groupRunTime(syscall.Getpgrp()); now-self0 >= burn {
			break
		}
	}
	after, err := m.read()
	if err != nil {
		t.Fatal(err)
	}
	if d := after.sub(before); d.procs < burn || d.core < 0 {
		t.Errorf("after burning %s: the group ran %s more, the core was busy %s more", burn, d.procs, d.core)
	}
	if _, err := groupRunTime(1 << 30); err == nil {
		t.Error("groupRunTime of a group that does not exist: no error")
	}
}
