package ui

import (
	"fmt"
	"testing"
	"time"

	"scalesim/presets"
)

// TestGoldenScreens renders the dashboard at fixed sizes after a fixed
// script on the synchronous stepper: no wall clock, the same screen every
// run. go test ./ui -update rewrites the files.
func TestGoldenScreens(t *testing.T) {
	drawingOnly(t)
	sizes := [][2]int{{80, 24}, {120, 40}, {160, 48}}
	scripts := []struct {
		name   string
		file   string
		script func(m *Model)
	}{
		{"web", "web", func(m *Model) {
			runFor(m, 30*time.Second)
			press(m, "+", "+", "+") // 80 → 120 req/s: the backlog fills
			runFor(m, 30*time.Second)
			press(m, "w", "w")
			runFor(m, 10*time.Second)
		}},
		{"cache", "cache", func(m *Model) {
			runFor(m, 20*time.Second)
			press(m, "k") // cache off: the database saturates
			runFor(m, 20*time.Second)
		}},
		{"offload", "offload", func(m *Model) {
			runFor(m, 20*time.Second)
			press(m, "x") // the only node goes down
			runFor(m, 3*time.Second)
			press(m, "x", " ")
		}},
		{"flash-naive", "flash-naive", func(m *Model) {
			runFor(m, 12*time.Second) // lost updates, then oversold from about 8 s
		}},
		{"flash-tier", "flash", func(m *Model) {
			runFor(m, 5*time.Second)
			press(m, "p") // a third replica per primary
			runFor(m, 5*time.Second)
		}},
	}
	for _, sc := range scripts {
		for _, sz := range sizes {
			name := fmt.Sprintf("screen-%s-%dx%d", sc.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, _ := newTestModel(t, fixture(t, sc.file), sc.file, sz[0], sz[1])
				sc.script(m)
				got := screen(m)
				checkScreen(t, got, sz[0], sz[1])
				requireGolden(t, name, got)
			})
		}
	}
}

// TestGoldenPresets renders every preset after 25 simulated seconds at
// 80x24, and a few at the reduced sizes down to the smallest, so that
// reading the files shows each lesson's numbers as a newcomer sees them.
func TestGoldenPresets(t *testing.T) {
	drawingOnly(t)
	small := map[string]bool{"uwsgi-workers": true, "redis-cache": true, "flash-sale-naive": true,
		"connection-storm": true, "read-replicas": true, "offload-service": true}
	for _, p := range presets.List() {
		sizes := [][2]int{{80, 24}}
		if small[p.Name] {
			sizes = append(sizes, [2]int{70, 22}, [2]int{60, 20})
		}
		for _, sz := range sizes {
			name := fmt.Sprintf("preset-%s-%dx%d", p.Name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, _ := newTestModel(t, loadPreset(t, p.Name), p.Name, sz[0], sz[1])
				runFor(m, 25*time.Second)
				got := screen(m)
				checkScreen(t, got, sz[0], sz[1])
				requireGolden(t, name, got)
			})
		}
	}
}

// TestGoldenHelpAndSmall covers the full help with its glossary, the
// about pane, and a terminal below the minimum size.
func TestGoldenHelpAndSmall(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 80, 24)
	runFor(m, 5*time.Second)
	press(m, "?")
	got := screen(m)
	checkScreen(t, got, 80, 24)
	requireGolden(t, "screen-help-80x24", got)

	m, _ = newTestModel(t, loadPreset(t, "uwsgi-workers"), "uwsgi-workers", 80, 24)
	runFor(m, 5*time.Second)
	press(m, "i")
	got = screen(m)
	checkScreen(t, got, 80, 24)
	requireGolden(t, "screen-about-80x24", got)

	m.Update(teaWS(minWidth-1, minHeight))
	requireGolden(t, "screen-too-small", screen(m))
}

// checkScreen asserts a screen fills w×h exactly: no line wider, no line
// more or less.
func checkScreen(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := splitLines(s)
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if width(l) > w {
			t.Errorf("line %d is %d wide, more than %d: %q", i+1, width(l), w, l)
		}
	}
}
