package lab

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

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

// TestOneConnectionMeasuresEachRequestsCPU: at one connection each
// request's CPU is the server's run time from before it was sent to just
// after its answer, so a handler that burns 3 ms of CPU in the server's
// process group costs about 3 ms a request, with a spread far below the
// latency's when the client's side varies (here a pause of 0-4 ms before
// each answer, which is no CPU), and threads the server starts after the
// meter first listed its threads count too.
func TestOneConnectionMeasuresEachRequestsCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc/PID/task here (not Linux)")
	}
	// the server in a process group of its own, as the lab's is: this
	// test binary, run again as a tiny server that burns 3 ms of CPU a
	// request after a pause of 0-4 ms
	cmd := exec.Command(os.Args[0], "-test.run=^TestBurnServer$")
	cmd.Env = append(os.Environ(), "LAB_BURN_SERVER=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var addr string
	if _, err := fmt.Fscan(out, &addr); err != nil {
		t.Fatalf("the burn server said no address: %v", err)
	}
	meter := &cpuMeter{core: 0, pgid: cmd.Process.Pid}
	res := oneConnection("http://"+addr+"/", 100*time.Millisecond, time.Second, meter)
	if res.cpuErr != nil {
		t.Fatal(res.cpuErr)
	}
	mean, cv := res.cpuSpread()
	_, _, _, latCV := res.stats()
	t.Logf("%d requests, %d measured: CPU %.2f ms a request (cv %.3f), latency cv %.3f", res.Completed, len(res.reqCPU), mean, cv, latCV)
	if len(res.reqCPU) < res.Completed/2 || res.Completed < 20 {
		t.Fatalf("%d requests completed, %d of them measured", res.Completed, len(res.reqCPU))
	}
	if mean < 2.5 || mean > 6 {
		t.Errorf("each request burned 3 ms of CPU; measured %.2f ms a request", mean)
	}
	if cv >= latCV {
		t.Errorf("the CPU's cv %.3f is not below the latency's %.3f, which the pauses spread", cv, latCV)
	}
}

// TestBurnServer is the server TestOneConnectionMeasuresEachRequestsCPU
// runs in a process of its own: it prints its address and answers each
// request after a pause of 0-4 ms and 3 ms of CPU, burned on an OS thread
// that the request starts and that stays (a goroutine locked to its
// thread that never returns holds the thread for good, so the next
// request's must be new): the meter has to count threads the server
// starts after it first looked.
func TestBurnServer(t *testing.T) {
	if os.Getenv("LAB_BURN_SERVER") == "" {
		t.Skip("run by TestOneConnectionMeasuresEachRequestsCPU")
	}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		time.Sleep(time.Duration(n%5) * time.Millisecond)
		burnt := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			burnCPU(3 * time.Millisecond)
			close(burnt)
			select {}
		}()
		<-burnt
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	fmt.Println(srv.Listener.Addr())
	time.Sleep(30 * time.Second)
}

// burnCPU spins until the calling thread has used d of CPU.
func burnCPU(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var ts syscall.Timespec
	cpu := func() time.Duration {
		syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3 /* CLOCK_THREAD_CPUTIME_ID */, uintptr(unsafe.Pointer(&ts)), 0)
		return time.Duration(ts.Nano())
	}
	for end := cpu() + d; cpu() < end; {
	}
}
