package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// TestDownedNodeSaysWhatHappens: a node taken down says the balancer
// routes around it while another is up (the simulation's balancer only
// picks nodes that are up), and that the balancer answers 502 when none
// is; never that requests sent to it fail.
func TestDownedNodeSaysWhatHappens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		top := loadPreset(t, "nginx-nodes")
		m, _ := newTestModel(t, top, "nginx-nodes", sz[0], sz[1])
		runFor(m, 2*time.Second)
		press(m, "x", "1")
		runFor(m, 2*time.Second)
		d := m.diagram.View()
		if !strings.Contains(d, "the balancer routes around it") || strings.Contains(d, "sent to it fail") {
			t.Errorf("%dx%d: node 1 down:\n%s", sz[0], sz[1], d)
		}
		if s := m.statusView(); strings.Contains(s, "its requests fail") && !strings.Contains(s, "routes around") {
			t.Errorf("%dx%d: status %q", sz[0], sz[1], s)
		}
	}
	m, _ := newTestModel(t, fixture(t, "offload"), "offload", 120, 40)
	runFor(m, 2*time.Second)
	press(m, "x")
	runFor(m, 2*time.Second)
	if d := m.diagram.View(); !containsAll(d, "no node up, the balancer answers", "502") {
		t.Errorf("the only node down:\n%s", d)
	}
}

// TestStockCounterBusyIsMeasured: the cache that counts the stock under
// the redis strategy shows how busy it was over the window, as the
// stations table measures it, not "idle" because no DECR runs at the
// instant of the frame.
func TestStockCounterBusyIsMeasured(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m, _ := newTestModel(t, loadPreset(t, "flash-sale-redis"), "flash-sale-redis", sz[0], sz[1])
		runFor(m, 10*time.Second)
		var util float64
		for _, ss := range m.frame.Snap.Summary.Stations {
			if ss.Name == "cache" {
				util = ss.Utilization
			}
		}
		if util == 0 {
			t.Fatal("the cache did no work")
		}
		d := m.diagram.View()
		if !strings.Contains(d, pct(util)+" busy") || strings.Contains(d, "counter idle") || strings.Contains(d, "idle queue") {
			t.Errorf("%dx%d: cache %s busy:\n%s", sz[0], sz[1], pct(util), d)
		}
	}
}

// TestChartMarksExplained: every mark the drops chart draws (x, !, X)
// is explained on the screen.
func TestChartMarksExplained(t *testing.T) {
	for _, w := range []int{60, 80, 120, 160} {
		m, _ := newTestModel(t, loadPreset(t, "flash-sale-optimistic"), "flash-sale-optimistic", w, 40)
		runFor(m, 10*time.Second)
		v := screen(m)
		if !strings.Contains(v, "X") || !containsAll(m.charts.View(), "x drop", "! fail", "X both") {
			t.Errorf("width %d: the marks are not all explained:\n%s", w, m.charts.View())
		}
	}
}

// TestWordsExplained: the screen uses plain words (no util, tput/s,
// "cpu/GIL queue", "latency log", "+N now"), the table says its p99 is
// the wait's, and every heading of the table and label of the charts is
// explained in the glossary under the keys.
func TestWordsExplained(t *testing.T) {
	var all strings.Builder
	for _, g := range glossary {
		all.WriteString(g[0] + " " + g[1] + "\n")
	}
	gl := all.String()
	for _, c := range tableCols {
		if !strings.Contains(gl, c.head) {
			t.Errorf("the table heading %q is not in the glossary", c.head)
		}
	}
	for _, w := range []string{"backlog", "cpu queue", "GIL", "latency", "p99", "dropped", "failed"} {
		if !strings.Contains(gl, w) {
			t.Errorf("%q is not in the glossary", w)
		}
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		m, _ := newTestModel(t, fixture(t, "cache"), "cache", sz[0], sz[1])
		runFor(m, 20*time.Second)
		v := screen(m)
		for _, jargon := range []string{"util", "tput/s", "cpu/GIL", "latency log"} {
			if strings.Contains(v, jargon) {
				t.Errorf("%dx%d: %q on the screen:\n%s", sz[0], sz[1], jargon, v)
			}
		}
		if !strings.Contains(m.table.View(), "p99 wait") {
			t.Errorf("%dx%d: the table's p99 is not labelled as the wait's:\n%s", sz[0], sz[1], m.table.View())
		}
		for _, l := range splitLines(v) {
			if strings.Contains(l, "whole run") && strings.HasSuffix(strings.TrimSpace(l), "now") {
				t.Errorf("%dx%d: in flight written as now: %q", sz[0], sz[1], l)
			}
		}
	}
}

// TestNodeTitleKeepsItsNumbers: a node box too narrow for its title
// drops what it runs, never the count of OOM kills.
func TestNodeTitleKeepsItsNumbers(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "workers-io-bound"), "workers-io-bound", 80, 24)
	runFor(m, 2*time.Second)
	for range 14 {
		press(m, "w")
	}
	runFor(m, 5*time.Second)
	n := m.frame.Snap.Nodes[0]
	if n.OOMKills == 0 {
		t.Fatal("no OOM kill")
	}
	want := "oom ×" + itoa(n.OOMKills)
	if d := m.diagram.View(); !strings.Contains(d, want) {
		t.Errorf("%q not whole in the diagram:\n%s", want, d)
	}
	for _, w := range []int{12, 20, 40} {
		title, _ := nodeTitle(m.view, &m.frame.Snap, 0, w, &m.ctx.styles)
		if width(title) > w && w >= width("node 1 "+want) {
			t.Errorf("width %d: title %q is wider", w, title)
		}
		if w >= width("node 1 "+want) && !strings.Contains(title, want) {
			t.Errorf("width %d: title %q lost %q", w, title, want)
		}
	}
}

// TestSlotSummaryWhole: a node's slot counts shorten by dropping words
// and then whole counts, the smallest first; no number is ever cut.
func TestSlotSummaryWhole(t *testing.T) {
	st := &newProgramContext(true).styles
	all := sim.WorkerState{Slots: 400, CPU: 2, WaitGIL: 2, IO: 109, DB: 9, Idle: 278}
	want := []string{"122/400", "C2", "G2", "i109", "d9"}
	for w := 8; w <= 40; w++ {
		got := slotSummary(all, w, st)
		if width(got) > w && w >= len("122/400") {
			t.Errorf("width %d: %q is wider", w, got)
		}
		for _, f := range strings.Fields(got) {
			if f != "busy" && !slices.Contains(want, f) {
				t.Errorf("width %d: %q holds a cut count %q", w, got, f)
			}
		}
		if w >= len("122/400 i109") && !strings.Contains(got, "i109") {
			t.Errorf("width %d: %q dropped the largest count", w, got)
		}
	}
	if got := slotSummary(all, 40, st); got != "122/400 busy C2 G2 i109 d9" {
		t.Errorf("wide: %q", got)
	}
}

// TestCompactShowsMemory: the diagram of a node with a memory limit
// shows its memory in use and its OOM kills, whole, in the compact
// layout as in the boxed one.
func TestCompactShowsMemory(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "workers-io-bound"), "workers-io-bound", 60, 20)
	runFor(m, 30*time.Second)
	mem := func() string {
		n := m.frame.Snap.Nodes[0]
		return topology.FormatSize(roundSize(n.MemoryUsed)) + "/" + topology.FormatSize(m.view.App.Memory)
	}
	if d := m.diagram.View(); !strings.Contains(d, "memory "+mem()) {
		t.Errorf("want %q in the diagram:\n%s", "memory "+mem(), d)
	}
	for range 14 {
		press(m, "w")
	}
	runFor(m, 5*time.Second)
	n := m.frame.Snap.Nodes[0]
	if n.OOMKills == 0 {
		t.Fatal("no OOM kill")
	}
	if d := m.diagram.View(); !containsAll(d, mem(), "oom ×"+itoa(n.OOMKills)) {
		t.Errorf("want %q and its OOM kills in the diagram:\n%s", mem(), d)
	}
}
