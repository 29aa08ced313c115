package ui

import (
	"runtime"
	"testing"
	"time"
)

// TestFrameCostOfHiddenNodes: nodes that do not fit on screen cost
// (next to) nothing to draw. With 200 nodes the 80x24 diagram shows the
// same few as with 10, and a frame allocates about as much. (Drawing
// every node for each layout tried made a frame of 62 nodes take 125 ms,
// and a burst of keys queued seconds of frames before a q.)
func TestFrameCostOfHiddenNodes(t *testing.T) {
	allocs := func(nodes int) float64 {
		top := loadPreset(t, "redis-cache")
		top.App.Nodes = nodes
		m, _ := newTestModel(t, top, "redis-cache", 80, 24)
		runFor(m, 2*time.Second)
		press(m, " ")
		return testing.AllocsPerRun(5, m.render)
	}
	few, many := allocs(10), allocs(200)
	if many > 3*few {
		t.Errorf("a frame of 200 nodes allocates %.0f times, of 10 nodes %.0f: hidden nodes are drawn", many, few)
	}
}

// TestFrameCostOfManySlots: a frame's memory does not grow with the
// worker slots: a node of 64 gevent workers of 5,000 greenlets each
// (320,000 slots) is drawn from its totals in about what 64 workers of
// 4 greenlets take, at every size.
func TestFrameCostOfManySlots(t *testing.T) {
	bytes := func(concurrency, w, h int) uint64 {
		top := loadPreset(t, "gevent-io-bound")
		top.App.Workers = 64
		top.App.Concurrency = concurrency
		top.App.Memory = 0
		m, _ := newTestModel(t, top, "gevent-io-bound", w, h)
		runFor(m, time.Second)
		press(m, " ")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 5 {
			m.render()
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 5
	}
	for _, sz := range [][2]int{{60, 20}, {80, 24}, {160, 48}} {
		few, many := bytes(4, sz[0], sz[1]), bytes(5000, sz[0], sz[1])
		if many > 2*few+64<<10 {
			t.Errorf("%dx%d: a frame of 320,000 slots allocates %d bytes, of 256 slots %d", sz[0], sz[1], many, few)
		}
	}
}
