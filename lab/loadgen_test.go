package lab

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// A handler that answers after 10 ms: the closed load cannot do better
// than users / 10 ms and every latency is at least 10 ms; the open load
// sends the simulation's arrivals, and its window counts what completes
// in it, as scalesim's does: about the requests that arrived a latency
// before it and within it.
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
	o := openLoad(srv.URL, arrivals, warmup, measure, nil)
	if o.Errors != 0 {
		t.Errorf("open: %d errors", o.Errors)
	}
	// the window holds the requests that arrived a latency before it and
	// within it: count them at the median latency, give or take the
	// arrivals of the latencies' spread (a loaded machine's) and a few
	_, p50, p99, _ := o.stats()
	shift := time.Duration(p50 * 1e6)
	want := 0
	for _, a := range arrivals {
		if a >= warmup-shift && a < warmup+measure-shift {
			want++
		}
	}
	tol := 10 + int(200*(p99-p50)/1000)
	if o.Completed < want-tol || o.Completed > want+tol {
		t.Errorf("open: %d requests completed in the window; %d of the arrivals were due a median latency (%.1f ms) before it and within it (±%d)", o.Completed, want, p50, tol)
	}
	if p50 < 10 {
		t.Errorf("open: median latency %.2f ms, below the handler's 10 ms", p50)
	}
}

// TestCPUMeter: the run time of a process group that burns CPU grows by
// at least what it burned, and the core's busy time reads from
// /proc/stat.
func TestCPUMeter(t *testing.T) {
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		t.Skip("no /proc/PID/schedstat here (a kernel without CONFIG_SCHEDSTATS or not Linux)")
	}
	if _, _, err := coreBusy(0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := coreBusy(1 << 20); err == nil {
		t.Error("coreBusy of a core that does not exist: no error")
	}
	// a busy loop in a group of its own, as the lab's server is
	cmd := exec.Command("/bin/sh", "-c", "while :; do :; done")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	m := cpuMeter{core: 0, pgid: cmd.Process.Pid}
	before, err := m.read()
	if err != nil {
		t.Fatal(err)
	}
	own := func() time.Duration {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", cmd.Process.Pid))
		var ns int64
		fmt.Sscan(string(b), &ns)
		return time.Duration(ns)
	}
	// until the loop has burned 30 ms more, as its own schedstat counts it
	const burn = 30 * time.Millisecond
	start := own()
	for deadline := time.Now().Add(20 * time.Second); own()-start < burn && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	after, err := m.read()
	if err != nil {
		t.Fatal(err)
	}
	if d := after.sub(before); d.procs < burn || d.core < 0 || d.steal < 0 {
		t.Errorf("after the group burned %s: it ran %s more, the core was busy %s and stolen %s more", burn, d.procs, d.core, d.steal)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := groupRunTime(cmd.Process.Pid); err == nil {
		t.Error("groupRunTime of a group that has gone: no error")
	}
}
