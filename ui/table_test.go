package ui

import (
	"strings"
	"testing"

	"scalesim/sim"
)

// TestTableColumnsApart draws the stations table with the widest values
// each column can hold at every width from the narrowest to the widest
// and checks that no two values touch: each data row splits at spaces
// into its name and one field per heading shown, and no value is cut.
func TestTableColumnsApart(t *testing.T) {
	s := &sim.Snapshot{Summary: sim.Summary{DurationS: 20, Stations: []sim.StationStats{
		{Name: "app", Servers: 10000, Utilization: 1, QueueMean: 123456, WaitMsMean: 999.6, WaitP99Ms: 305e-3,
			ThroughputRPS: 99999, ServiceMsMean: 9.96, BusyMean: 9999.9, Dropped: 12_345_678},
		{Name: "cpu", Servers: 16, Utilization: 0.05, QueueMean: 0.04, WaitMsMean: 0.305, WaitP99Ms: 10,
			ThroughputRPS: 1.25, ServiceMsMean: 12000, BusyMean: 10, Dropped: 0},
	}}}
	ctx := newProgramContext(true)
	p := &tablePane{ctx: ctx}
	for w := 20; w <= 120; w++ {
		p.SetSize(w, 10)
		p.SetFrame(nil, s)
		head := p.lines[1]
		shown := 0
		for _, c := range tableCols {
			if strings.Contains(head, c.head) {
				shown++
			}
		}
		for _, row := range p.lines[2:4] {
			if strings.Contains(row, "…") {
				t.Errorf("width %d: a value is cut: %q", w, row)
			}
			if got := len(strings.Fields(row)) - 1; got != shown {
				t.Errorf("width %d: %d values for %d headings, some touch: %q under %q", w, got, shown, row, head)
			}
			if width(row) > w {
				t.Errorf("width %d: row %q is wider", w, row)
			}
		}
	}
}
