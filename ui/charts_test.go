package ui

import (
	"strings"
	"testing"

	"scalesim/sim"
)

// TestBacklogHistoryKeepsItsScale: when nodes are added the backlog's
// limit grows, and the seconds already drawn stay drawn against the
// limit they had: full stays full.
func TestBacklogHistoryKeepsItsScale(t *testing.T) {
	top := fixture(t, "web")
	c := &chartsPane{ctx: newProgramContext(true)}
	c.SetSize(80, 12)
	var s sim.Snapshot
	for sec := 1; sec <= 20; sec++ {
		s.Series.T = append(s.Series.T, float64(sec))
		s.Series.Arrivals = append(s.Series.Arrivals, 100)
		s.Series.Completions = append(s.Series.Completions, 50)
		s.Series.Dropped = append(s.Series.Dropped, 0)
		s.Series.Failed = append(s.Series.Failed, 0)
		s.Series.P50Ms = append(s.Series.P50Ms, 10)
		s.Series.P99Ms = append(s.Series.P99Ms, 20)
	}
	full := make([]float64, 20)
	for i := range full {
		full[i] = float64(top.App.Backlog) // one node, its backlog full
	}
	s.Series.Stations = []sim.StationSeries{{Name: "app", Queue: full}}
	c.SetFrame(top, &s)
	before := backlogRow(t, c.lines)

	// a second node: the limit doubles, the next second is half full
	top.App.Nodes = 2
	s.Series.T = append(s.Series.T[1:], 21)
	s.Series.Stations[0].Queue = append(full[1:], float64(top.App.Backlog))
	for _, p := range []*[]float64{&s.Series.Arrivals, &s.Series.Completions, &s.Series.Dropped, &s.Series.Failed, &s.Series.P50Ms, &s.Series.P99Ms} {
		*p = append((*p)[1:], (*p)[0])
	}
	c.SetFrame(top, &s)
	after := backlogRow(t, c.lines)

	b, a := []rune(before), []rune(after)
	if len(b) != len(a) {
		t.Fatalf("rows of %d and %d cells", len(b), len(a))
	}
	// seconds 2-20 moved one cell left, unchanged
	if string(b[len(b)-19:]) != string(a[len(a)-20:len(a)-1]) {
		t.Errorf("the backlog's history was redrawn on the new scale:\nbefore %q\nafter  %q", before, after)
	}
	if last, prev := a[len(a)-1], a[len(a)-2]; last >= prev {
		t.Errorf("the half-full second (%q) is not drawn lower than the full ones (%q)", last, prev)
	}
}

// backlogRow is the backlog chart's plot (without label and value).
func backlogRow(t *testing.T, lines []string) string {
	t.Helper()
	for _, l := range lines {
		if strings.HasPrefix(l, "backlog") {
			r := []rune(l)
			return string(r[chartLabelW : len(r)-chartValueW])
		}
	}
	t.Fatalf("no backlog chart in\n%s", strings.Join(lines, "\n"))
	return ""
}
