package ui

import (
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
