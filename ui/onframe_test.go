package ui

import (
	"sync"
	"testing"
	"time"

	"scalesim/sim"
)

// TestOnFrameGetsEverySnapshotPublished: an exporter given OnFrame sees
// the snapshots the dashboard draws, with the generation of the
// simulation, which a reset moves on.
func TestOnFrameGetsEverySnapshotPublished(t *testing.T) {
	var mu sync.Mutex
	var gens []int
	var last sim.Snapshot
	r, err := startRunner(fixture(t, "web"), 0, 100, false, func(gen int, s sim.Snapshot) {
		mu.Lock()
		gens = append(gens, gen)
		last = s
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := waitFrame(t, r, "time moving", func(f Frame) bool { return f.Snap.Now >= time.Second })
	mu.Lock()
	if len(gens) < 2 || gens[0] != 0 || last.Now < f.Snap.Now {
		t.Errorf("%d snapshots given, generations %v, the last at %v (the frame at %v)", len(gens), gens, last.Now, f.Snap.Now)
	}
	mu.Unlock()
	r.Do(op{kind: opReset, topology: fixture(t, "web"), gen: 1})
	waitFrame(t, r, "generation 1", func(f Frame) bool { return f.Gen == 1 })
	mu.Lock()
	defer mu.Unlock()
	if gens[len(gens)-1] != 1 {
		t.Errorf("after a reset the generation given is %d, want 1", gens[len(gens)-1])
	}
}
