package lab

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runPages imports app.py in a Python interpreter, with env added to its
// environment, and calls its application once per query; it returns the
// name of the function app.py serves.
func runPages(t *testing.T, env []string, queries ...string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to run app.py")
	}
	script := `import sys
sys.path.insert(0, ".")
import app
for q in sys.argv[1:]:
    body = app.application({"QUERY_STRING": q}, lambda status, headers: None)
    assert body == [b"ok\n"], body
print(app.application.__name__)
`
	cmd := exec.Command(py, append([]string{"-c", script}, queries...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("app.py: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// With LAB_TRACE, each page appends a line that parseTrace reads: its
// burn ends after its start, its sleep lasts at least the io asked for,
// and its CPU is at least the burns'.
func TestTraceLineParses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace")
	if fn := runPages(t, []string{"LAB_TRACE=" + path}, "cpu=2&io=3", "cpu=1&cpu2=1"); fn != "traced" {
		t.Errorf("with LAB_TRACE app.py serves %s, want traced", fn)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pages, err := parseTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d trace lines for 2 pages", len(pages))
	}
	for i, p := range pages {
		if p.Pid <= 0 || p.Tid <= 0 {
			t.Errorf("page %d: pid %d, tid %d", i, p.Pid, p.Tid)
		}
		if p.CPU < 2e6 {
			t.Errorf("page %d: %d ns of CPU, below the 2 ms its burns ask for", i, p.CPU)
		}
		if p.Burnt-p.Start < 1e6 {
			t.Errorf("page %d: its first burn took %d ns, below its 1 ms or more of CPU", i, p.Burnt-p.Start)
		}
	}
	if d := pages[0].Slept - pages[0].Burnt; d < 3e6 {
		t.Errorf("the first page slept %d ns, below its 3 ms of io", d)
	}
	if pages[1].Slept != pages[1].Burnt && pages[1].Slept-pages[1].Burnt > 1e6 {
		t.Errorf("the page without io slept %d ns", pages[1].Slept-pages[1].Burnt)
	}
	if pages[1].End-pages[1].Slept < 1e6 {
		t.Errorf("the second page's cpu2 took %d ns, below its 1 ms of CPU", pages[1].End-pages[1].Slept)
	}
	if pages[1].CPUAt < pages[0].CPUAt+pages[0].CPU {
		t.Errorf("the thread's CPU clock went back: %d, then %d after %d used", pages[0].CPUAt, pages[1].CPUAt, pages[0].CPU)
	}
}

// Without LAB_TRACE the page is application's, which writes nothing,
// and a trace's bad line is refused with its number.
func TestTraceOffAndBadLines(t *testing.T) {
	if fn := runPages(t, []string{"LAB_TRACE="}, "cpu=1"); fn != "application" {
		t.Errorf("without LAB_TRACE app.py serves %s, want application", fn)
	}
	for _, bad := range []string{
		"1 2 3 4 5 6 7\n",
		"1 2 3 4 5 6 7 x\n",
		"1 2 30 4 5 6 7 8\n",
	} {
		_, err := parseTrace(strings.NewReader("1 2 3 4 5 6 7 8\n" + bad))
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: %v, want an error at line 2", bad, err)
		}
	}
}

// The CPU per request is measured from one page's start to the next on
// the same thread, by the thread's clock: the page's own CPU and what
// uWSGI spent between pages; a thread whose pages overlap (gevent's
// greenlets) counts others' CPU in its clock and is left out.
func TestCPUPerRequestFromTheTrace(t *testing.T) {
	ms := int64(1e6)
	seq := func(tid int, at int64, cpus ...int64) []tracePage {
		var ps []tracePage
		clock := int64(0)
		for _, c := range cpus {
			ps = append(ps, tracePage{Pid: tid, Tid: tid, Start: at, Burnt: at + c, Slept: at + c, End: at + c, CPU: c, CPUAt: clock})
			at += 2 * c
			clock += c + ms/5 // uWSGI's 0.2 ms between pages
		}
		return ps
	}
	pages := append(seq(1, 0, 10*ms, 10*ms, 10*ms), seq(2, 0, 9*ms, 11*ms, 10*ms)...)
	// gevent: two pages at once on thread 3
	pages = append(pages, tracePage{Pid: 3, Tid: 3, Start: 0, End: 50 * ms, CPU: 4 * ms},
		tracePage{Pid: 3, Tid: 3, Start: 10 * ms, End: 60 * ms, CPU: 4 * ms, CPUAt: 2 * ms},
		tracePage{Pid: 3, Tid: 3, Start: 70 * ms, End: 80 * ms, CPU: 2 * ms, CPUAt: 9 * ms})
	c, ok := cpuPerRequest(pages)
	if !ok || c.n != 4 {
		t.Fatalf("%d pairs (ok %v), want 4: two per sync thread, none from the shared one", c.n, ok)
	}
	// pairs: 10.2, 10.2 (thread 1), 9.2, 11.2 (thread 2): mean 10.2 ms
	if math.Abs(c.mean-10.2) > 1e-9 || math.Abs(c.between-0.2) > 1e-9 || math.Abs(c.page-10) > 1e-9 {
		t.Errorf("mean %.4f ms (page %.4f, between %.4f); want 10.2 (10, 0.2)", c.mean, c.page, c.between)
	}
	if want := math.Sqrt(0.5) / 10.2; math.Abs(c.cv-want) > 1e-9 {
		t.Errorf("cv %.5f, want %.5f", c.cv, want)
	}
	if _, ok := cpuPerRequest(pages[len(pages)-3:]); ok {
		t.Error("a thread whose pages overlap gave a CPU per request")
	}
}

// Pages of four workers that start within a few ms of each other, cycle
// after cycle, all started together; staggered ones none; one thread
// has no such figure.
func TestStartedTogether(t *testing.T) {
	ms := int64(1e6)
	var lock, staggered []tracePage
	for cycle := int64(0); cycle < 10; cycle++ {
		for w := 0; w < 4; w++ {
			lock = append(lock, tracePage{Pid: 10 + w, Tid: 10 + w, Start: cycle*80*ms + int64(w)*14*ms/10})
			staggered = append(staggered, tracePage{Pid: 10 + w, Tid: 10 + w, Start: cycle*80*ms + int64(w)*20*ms})
		}
	}
	if got, ok := startedTogether(lock, 6*ms); !ok || got != 1 {
		t.Errorf("lockstep: %.2f started together (ok %v), want 1", got, ok)
	}
	if got, ok := startedTogether(staggered, 6*ms); !ok || got != 0 {
		t.Errorf("staggered by 20 ms: %.2f started together (ok %v), want 0", got, ok)
	}
	if _, ok := startedTogether(lock[:1], 6*ms); ok {
		t.Error("one thread gave a share of pages started together")
	}
}
