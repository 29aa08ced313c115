package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestResize resizes at any time, below the minimum too: never a panic,
// always a screen of the terminal's size or the "make it larger" message.
func TestResize(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 80, 24)
	runFor(m, 5*time.Second)
	for _, sz := range [][2]int{{120, 40}, {79, 24}, {80, 23}, {60, 20}, {59, 20}, {60, 19}, {70, 22}, {10, 3}, {1, 1}, {0, 0}, {300, 100}, {80, 24}, {95, 27}, {160, 48}} {
		w, h := sz[0], sz[1]
		m.Update(teaWS(w, h))
		runFor(m, time.Second)
		press(m, "?")
		for range 2 {
			v := m.View()
			switch {
			case w == 0 || h == 0:
				if v != "" {
					t.Errorf("%dx%d: want an empty view before the size is known", w, h)
				}
			case w < minWidth || h < minHeight:
				if !containsAll(v, "make the terminal larger", "need 60x20") {
					t.Errorf("%dx%d: %q", w, h, v)
				}
			default:
				checkScreen(t, screen(m), w, h)
			}
			press(m, "?")
		}
	}
}

// TestManyNodes: a topology with more nodes than fit shows the ones that
// do and says how many more there are.
func TestManyNodes(t *testing.T) {
	top := fixture(t, "web")
	top.App.Nodes = 40
	m, _ := newTestModel(t, top, "many", 80, 24)
	runFor(m, 2*time.Second)
	v := screen(m)
	checkScreen(t, v, 80, 24)
	if !strings.Contains(v, "more nodes") {
		t.Errorf("no count of the nodes left out:\n%s", v)
	}
}

// TestNoColor: with NO_COLOR set, no colour at all, even on a true-colour
// terminal; without it, colours.
func TestNoColor(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	colour := func(s string) bool {
		return strings.Contains(s, "\x1b[38;") || strings.Contains(s, "\x1b[48;") || strings.Contains(s, "\x1b[3") && strings.Contains(s, "m")
	}

	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 100, 30)
	runFor(m, 5*time.Second)
	if !colour(m.View()) {
		t.Error("no colour on a true-colour terminal")
	}

	t.Setenv("NO_COLOR", "1")
	m, _ = newTestModel(t, fixture(t, "cache"), "cache", 100, 30)
	runFor(m, 5*time.Second)
	press(m, "k")
	v := m.View()
	for _, seq := range []string{"\x1b[38;", "\x1b[48;", "\x1b[31", "\x1b[32", "\x1b[33", "\x1b[34", "\x1b[35", "\x1b[36", "\x1b[37", "\x1b[9"} {
		if strings.Contains(v, seq) {
			t.Fatalf("NO_COLOR view holds colour sequence %q", seq)
		}
	}
	// still readable: states are symbols and numbers, not colours
	plain := termenv.String(v).String()
	if !containsAll(plain, "✗ off", "q", "busy", "✓ cache off") {
		t.Errorf("NO_COLOR view lacks its symbols:\n%s", plain)
	}
}

// TestBoundedBuffers: after a long run the charts and the log hold a
// bounded number of points, and every pane stays within its size.
func TestBoundedBuffers(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 160, 48)
	press(m, ">", ">", ">", ">", ">") // 1000x: a tick is 100 simulated seconds
	for range 10 {
		press(m, "w", "W")
		runFor(m, 10*time.Minute)
	}
	s := &m.frame.Snap
	if n := len(s.Series.T); n > seriesLen {
		t.Errorf("%d points in the series, want at most %d", n, seriesLen)
	}
	if n := len(s.Log); n > 64 {
		t.Errorf("%d log entries", n)
	}
	if n := len(m.events.lines); n > m.events.height {
		t.Errorf("log pane holds %d lines for %d rows", n, m.events.height)
	}
	checkScreen(t, screen(m), 160, 48)
}

// TestHeader shows what runs, the clock, the speed, the seed, and
// "behind" only while running behind.
func TestHeader(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "testdata/web.yaml", 100, 30)
	runFor(m, 12*time.Second)
	h := m.headerView()
	if !containsAll(h, "scalesim", "testdata/web.yaml", "Django on uWSGI", "0:00:12.0", "▶ 10x", "seed 7") || strings.Contains(h, "only") {
		t.Errorf("header %q", h)
	}
	m.frame.Behind, m.frame.Achieved = true, 63
	if h := m.headerView(); !strings.Contains(h, "⚠ only 63x") {
		t.Errorf("header %q does not say the speed the simulation reaches", h)
	}
	press(m, " ")
	if h := m.headerView(); !strings.Contains(h, "❚❚ paused") || strings.Contains(h, "only") {
		t.Errorf("paused header %q", h)
	}
}
