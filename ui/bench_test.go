package ui

import (
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/topology"
)

// benchModel is a dashboard of the cache fixture at 160x48 after a
// minute, so that every chart is full.
func benchModel(b *testing.B) *Model {
	m, _ := newTestModel(b, fixture(b, "cache"), "cache", 160, 48)
	runFor(m, 70*time.Second)
	return m
}

// BenchmarkView measures View on a 160x48 terminal: joining the drawn
// panes, what Bubble Tea calls after every message.
func BenchmarkView(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/frame")
}

// BenchmarkFrame measures a whole frame on a 160x48 terminal: a tick
// that takes a new snapshot and redraws every pane, then View.
func BenchmarkFrame(b *testing.B) {
	m := benchModel(b)
	// a paused stepper: the tick polls a frame without advancing, so
	// the figure is the UI's own cost
	press(m, " ")
	st := m.stepper.(*syncStepper)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st.dirty = true
		m.Update(tickMsg{id: m.tickID})
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/frame")
}

// cacheTopology is the embedded redis-cache preset, or the cache
// fixture when there is no such preset.
func cacheTopology(b *testing.B) *topology.Topology {
	if p, ok := presets.Get("redis-cache"); ok {
		if t, err := p.Load(); err == nil {
			return t
		}
	}
	return fixture(b, "cache")
}

// BenchmarkEngineKeepsUp runs a cache preset the way the runner does at
// 100x (slices of 100x a frame, snapshots 30 times a wall second) and
// reports simulated seconds per wall-clock second: 100 or more keeps up.
func BenchmarkEngineKeepsUp(b *testing.B) {
	const speed = 100
	e, err := newEngine(cacheTopology(b), 0, speed, false)
	if err != nil {
		b.Fatal(err)
	}
	r := &runner{budget: time.Hour}
	e.sim.Advance(10 * time.Second) // warm up the free lists
	r.target = e.sim.Now()
	start := e.sim.Now()
	b.ResetTimer()
	for b.Loop() {
		r.slice(e, publishEvery) // one frame: 3.3 simulated seconds
		_ = e.frame()
	}
	simulated := (e.sim.Now() - start).Seconds()
	rate := simulated / b.Elapsed().Seconds()
	b.ReportMetric(rate, "sim-s/s")
	if rate < speed {
		b.Logf("%.0f simulated seconds per second: cannot keep up with %dx here", rate, speed)
	}
}
