package ui

import (
	"strings"
	"testing"
	"time"
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

	edited := top.Clone()
	edited.App.Workers = 5
	r.Do(op{kind: opApply, topology: edited, note: "you: workers 3 → 5"})
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
	r := &runner{chunk: minChunk, budget: 0}
	r.slice(e, time.Second) // asks for 1000 simulated seconds at once
	if !e.behind {
		t.Error("not behind after a slice with no budget")
	}
	if lag, limit := r.target-e.sim.Now(), time.Duration(float64(maxLag)*e.speed); lag > limit {
		t.Errorf("lag %v above the cap %v", lag, limit)
	}

	e2, _ := newEngine(fixture(t, "web"), 0, 1, false)
	r2 := &runner{chunk: 10 * time.Millisecond, budget: time.Hour}
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
