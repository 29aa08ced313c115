package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

const timelineTopo = `
name: timeline
workload:
  rate: 100
  requests: [{steps: [{cpu: exp(5ms)}, {cache: {miss: [{db: exp(5ms)}]}}]}]
app: {nodes: 2, cores: 2, workers: 4}
cache: {keys: {count: 1000, capacity: 500}}
events:
  - {at: 20s, say: the sale opens, set: {workload.rate: 600}}
  - {at: 30s, for: 10s, node_down: 2}
`

// The dashboard shows what the timeline does next, then its caption, and
// marks each change on the charts, at 80x24 and 60x20, readable without
// colour (glyphs, not colours).
func TestTimelineOnTheDashboard(t *testing.T) {
	top, err := topology.Parse("timeline.yaml", []byte(timelineTopo))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		m, _ := newTestModel(t, top, "timeline.yaml", size[0], size[1])
		runFor(m, 15*time.Second)
		v := m.View()
		if !strings.Contains(v, "next 0:20 the sale opens, in 5s") {
			t.Errorf("%dx%d at 15s: no next line\n%s", size[0], size[1], v)
		}
		if n := strings.Count(v, "\n") + 1; n != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], n)
		}
		runFor(m, 12*time.Second)
		v = m.View()
		if !strings.Contains(v, "» the sale opens") || !strings.Contains(v, "next 0:30 node 2 down") {
			t.Errorf("%dx%d at 27s: no caption or next\n%s", size[0], size[1], v)
		}
		if !strings.ContainsAny(v, "▲▼") {
			t.Errorf("%dx%d at 27s: the change at 20s is not marked on the charts\n%s", size[0], size[1], v)
		}
		if n := strings.Count(v, "\n") + 1; n != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], n)
		}
		for _, l := range strings.Split(v, "\n") {
			if width(l) > size[0] {
				t.Errorf("%dx%d: a line of %d cells: %q", size[0], size[1], width(l), l)
			}
		}
	}
}

// A topology without a timeline gets no timeline line.
func TestNoTimelineNoLine(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "redis-cache"), "redis-cache", 80, 24)
	runFor(m, 2*time.Second)
	if m.timelineView() != "" {
		t.Errorf("timeline line %q without a timeline", m.timelineView())
	}
}

func TestMarkColumns(t *testing.T) {
	ts := []float64{18, 19, 20, 21, 22}
	marks := []sim.Mark{{At: 18500 * time.Millisecond}, {At: 21 * time.Second}, {At: 30 * time.Second}}
	cols := markColumns(marks, ts, 8)
	want := []bool{false, false, false, false, true, false, false, true}
	for i := range want {
		if cols[i] != want[i] {
			t.Fatalf("columns %v, want %v", cols, want)
		}
	}
	if markColumns(marks[2:], ts, 8) != nil {
		t.Error("a mark beyond the series marked a column")
	}
	if got := markAxis("   -30s   now", []bool{false, false, false, false, true}); got != "    ▲     now" {
		t.Errorf("axis %q", got)
	}
	plain := func(s ...string) string { return strings.Join(s, "") }
	if got := withGuides("▂ █ ", []bool{false, true, true, true}, plain, plain); got != "▂┆█┆" {
		t.Errorf("guides %q", got)
	}
}

func TestShortClock(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0:00", 61 * time.Second: "1:01", 3723 * time.Second: "1:02:03"} {
		if got := shortClock(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{100 * time.Millisecond: "1s", 12 * time.Second: "12s", 185 * time.Second: "3m05s", 7380 * time.Second: "2h03m"} {
		if got := shortDur(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
