package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// waitFrame polls r until a frame satisfies ok, for at most ten seconds
// of wall time (generous: CI machines are slow and shared).
func waitFrame(t *testing.T, r *runner, what string, ok func(Frame) bool) Frame {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if f, fresh := r.Frame(); fresh && ok(f) {
			return f
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no frame with %s", what)
	return Frame{}
}

// TestRunner drives the goroutine runner: it runs on its own, applies
// edits, pauses, steps and resets.
func TestRunner(t *testing.T) {
	top := fixture(t, "web")
	r, err := newRunner(top, 0, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	waitFrame(t, r, "time moving", func(f Frame) bool { return f.Snap.Now >= time.Second })

	r.Do(op{kind: opChanges, changes: []topology.Change{{Action: topology.ActSet, Path: "app.workers", Value: "5"}}, note: "you: workers 3 → 5"})
	waitFrame(t, r, "5 workers", func(f Frame) bool { return f.Snap.Topology.App.Workers == 5 })

	r.Do(op{kind: opPace, speed: 100, paused: true})
	paused := waitFrame(t, r, "a paused frame", func(Frame) bool { return true }).Snap.Now
	time.Sleep(100 * time.Millisecond)
	if f, fresh := r.Frame(); fresh && f.Snap.Now != paused {
		t.Errorf("time moved while paused: %v → %v", paused, f.Snap.Now)
	}
	r.Do(op{kind: opStep})
	f := waitFrame(t, r, "a step", func(f Frame) bool { return f.Snap.Now != paused })
	if f.Snap.Now != paused+time.Second {
		t.Errorf("step moved %v → %v, want one second", paused, f.Snap.Now)
	}

	r.Do(op{kind: opReset, topology: top, gen: 1, note: "you: reset"})
	f = waitFrame(t, r, "generation 1", func(f Frame) bool { return f.Gen == 1 })
	if f.Snap.Now != 0 || f.Snap.Topology.App.Workers != 3 {
		t.Errorf("reset frame: time %v, %d workers", f.Snap.Now, f.Snap.Topology.App.Workers)
	}
	c := f.Snap.Totals
	if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
		t.Errorf("conservation broken: %+v", c)
	}
	r.Close() // twice is fine
}

// TestRunnerSlice checks the pacing of one slice without the wall clock
// deciding the outcome: with no budget the simulation falls behind and
// its lag is capped; with time to spare it reaches the target.
func TestRunnerSlice(t *testing.T) {
	e, err := newEngine(fixture(t, "cache"), 0, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{budget: 0}
	r.slice(e, time.Second) // asks for 1000 simulated seconds at once
	if !e.behind {
		t.Error("not behind after a slice with no budget")
	}
	if lag, limit := r.target-e.sim.Now(), time.Duration(float64(maxLag)*e.speed); lag > limit {
		t.Errorf("lag %v above the cap %v", lag, limit)
	}

	e2, _ := newEngine(fixture(t, "web"), 0, 1, false)
	r2 := &runner{budget: time.Hour}
	r2.slice(e2, 50*time.Millisecond)
	if e2.behind || e2.sim.Now() != 50*time.Millisecond {
		t.Errorf("with time to spare: behind %v at %v, want 50ms", e2.behind, e2.sim.Now())
	}
}

// TestModelOnRunner: with the goroutine runner, a key's effect is on
// screen as soon as Update returns, before the simulation has a frame
// for it.
func TestModelOnRunner(t *testing.T) {
	top := fixture(t, "web")
	r, err := newRunner(top, 0, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: "web"}, r, 10, false)
	defer r.Close()
	m.Update(teaWS(100, 30))
	m.Update(keyMsg("w"))
	if v := m.View(); !containsAll(v, "workers 3 → 4") {
		t.Errorf("the key's effect is not on screen:\n%s", v)
	}
	waitFrame(t, r, "4 workers", func(f Frame) bool { return f.Snap.Topology.App.Workers == 4 })
}

// TestEngineContainsPanics: a panic in the simulation stops it and is
// reported, instead of ending the program with the terminal unrestored;
// a reset starts a working simulation again.
func TestEngineContainsPanics(t *testing.T) {
	top := fixture(t, "web")
	e, err := newEngine(top, 0, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	e.advance(time.Second)
	e.frame()
	e.guard(func() { panic("boom") })
	f := e.frame()
	if f.Stopped != "boom" || !strings.Contains(f.Err, "the simulation stopped: boom") {
		t.Fatalf("frame after a panic: stopped %q, err %q", f.Stopped, f.Err)
	}
	if f.Snap.Now != time.Second {
		t.Errorf("the last good snapshot is lost: %v", f.Snap.Now)
	}
	e.advance(5 * time.Second)
	if e.now() != time.Second {
		t.Errorf("a stopped simulation moved on to %v", e.now())
	}
	e.do(op{kind: opReset, topology: top, gen: 1})
	e.advance(time.Second)
	if f := e.frame(); f.Stopped != "" || f.Snap.Now != time.Second || f.Gen != 1 {
		t.Errorf("after reset: stopped %q at %v gen %d", f.Stopped, f.Snap.Now, f.Gen)
	}
}

// returnsWithin reports whether f returns within d. The bound is
// generous: it tells "returns" from "waits forever" on a loaded machine,
// it does not measure speed.
func returnsWithin(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() {
		f()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// TestRunnerCloseIsBounded: Close returns even when the goroutine does
// not stop (it is busy in a long chunk), so quitting never waits for the
// simulation.
func TestRunnerCloseIsBounded(t *testing.T) {
	r := &runner{wake: make(chan struct{}, 1), stopper: newStopper()}
	if !returnsWithin(2*time.Second, r.Close) {
		t.Fatal("Close waits for a goroutine that does not stop")
	}
	if !r.stopping() {
		t.Error("Close did not ask the goroutine to stop")
	}
	// the model closes it on q, and Run again on its way out: the
	// second call does not wait a second time
	start := time.Now()
	r.Close()
	if d := time.Since(start); d >= closeWait {
		t.Errorf("a second Close waited %v", d)
	}
}

// TestRunnerDoNeverBlocks: operations queue without limit while the
// goroutine is busy; the UI never waits on them.
func TestRunnerDoNeverBlocks(t *testing.T) {
	r := &runner{wake: make(chan struct{}, 1), stopper: newStopper()}
	ok := returnsWithin(2*time.Second, func() {
		for i := range 10000 {
			r.Do(op{kind: opPace, speed: 1, seq: i + 1})
		}
	})
	if !ok {
		t.Fatal("Do blocks while the goroutine is busy")
	}
	if ops := r.takeOps(); len(ops) != 10000 || ops[9999].seq != 10000 {
		t.Errorf("%d operations queued, want 10000 in order", len(ops))
	}
}

// TestRunnerStopsBetweenChunks: once Close is called, advancing stops at
// the next chunk boundary, and queued operations are left undone.
func TestRunnerStopsBetweenChunks(t *testing.T) {
	e, err := newEngine(fixture(t, "web"), 0, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{wake: make(chan struct{}, 1), stopper: newStopper(), budget: time.Hour}
	close(r.quit)
	r.advance(e, 10*time.Minute, time.Hour)
	if e.now() != 0 {
		t.Errorf("advanced to %v after Close", e.now())
	}
	r.Do(op{kind: opStep, seq: 1})
	r.doOps(e)
	if e.now() != 0 {
		t.Errorf("stepped to %v after Close", e.now())
	}
}

// TestRunnerQuitsWhileBusy (wall clock, generous bound): the scene of a
// slow quit: a large topology at 1000x under a burst of edits; Close
// returns within two seconds and the goroutine ends soon after.
func TestRunnerQuitsWhileBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("wall-clock test")
	}
	top := loadPreset(t, "redis-cache")
	r, err := newRunner(top, 0, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	edited := top.Clone()
	for i := range 60 {
		next := edited.Clone()
		next.App.Nodes++
		next.Workload.Rate *= 1.25
		r.Do(op{kind: opChanges, changes: topology.Diff(edited, next), seq: i + 1})
		edited = next
	}
	time.Sleep(300 * time.Millisecond)
	if !returnsWithin(2*time.Second, r.Close) {
		t.Fatal("Close did not return within 2s of wall time")
	}
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		t.Error("the runner goroutine did not end within 30s of Close")
	}
}

// TestRunnerChunkIsBounded: one chunk runs a bounded number of events
// whatever the load, so that the runner hears Close and operations
// between chunks (a chunk sized in simulated time, grown on a light
// load and run on a load a million times heavier, kept the runner, and
// quitting, busy for a minute).
func TestRunnerChunkIsBounded(t *testing.T) {
	top := fixture(t, "web")
	top.Workload.Rate = 1e7 // the most a file may ask for
	e, err := newEngine(top, 0, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{wake: make(chan struct{}, 1), stopper: newStopper()}
	r.advance(e, 10*time.Second, 0) // no budget: one chunk
	if n := e.sim.Snapshot().Events; n == 0 || n > chunkEvents {
		t.Errorf("one chunk ran %d events, want 1 to %d", n, chunkEvents)
	}
	if e.now() >= 10*time.Second {
		t.Errorf("one chunk of a heavy load reached %v", e.now())
	}
}

// TestRunnerContainsPanics: a panic on the runner's goroutine outside
// the simulation's own calls stops the simulation and says why in the
// frame, instead of ending the program with the terminal unrestored.
func TestRunnerContainsPanics(t *testing.T) {
	e, err := newEngine(fixture(t, "web"), 0, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{wake: make(chan struct{}, 1), stopper: newStopper()}
	r.contain(e, func() { panic("boom") })
	f, ok := r.Frame()
	if !ok || f.Stopped != "boom" || !strings.Contains(f.Err, "the simulation stopped: boom") {
		t.Errorf("frame after a panic: %v stopped %q err %q", ok, f.Stopped, f.Err)
	}
}
