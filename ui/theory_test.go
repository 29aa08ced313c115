package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The theory pane, at the smallest size a lesson needs and on a large
// screen: an M/M/c tier, and a preset whose stations have no model.
func TestGoldenTheory(t *testing.T) {
	drawingOnly(t)
	for _, tc := range []struct{ name, file string }{{"mmc", "mmc"}, {"replicas", "replicas"}} {
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("screen-theory-%s-%dx%d", tc.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, _ := newTestModel(t, fixture(t, tc.file), tc.file, sz[0], sz[1])
				runFor(m, 30*time.Second)
				press(m, "Q")
				got := screen(m)
				checkScreen(t, got, sz[0], sz[1])
				requireGolden(t, name, got)
			})
		}
	}
}

// Q shows a model's figures only where the model applies: Erlang C's
// beside the measured ones for sync workers on their own cores, and for
// greenlets, the GIL or a closed workload the reason instead, never a
// prediction; Q and esc close the pane.
func TestTheoryShownOnlyWhereItApplies(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "mmc"), "mmc", 80, 24)
	runFor(m, 20*time.Second)
	press(m, "Q")
	got := screen(m)
	if !strings.Contains(got, "Erlang C: wait") || !strings.Contains(got, "· measured") {
		t.Errorf("an M/M/c tier shows no Erlang C beside the measurement:\n%s", got)
	}
	press(m, "Q")
	if strings.Contains(screen(m), "THEORY") {
		t.Error("Q did not close the theory pane")
	}
	press(m, "Q", "esc")
	if strings.Contains(screen(m), "THEORY") {
		t.Error("esc did not close the theory pane")
	}
	for _, tc := range []struct{ file, why string }{
		{"cache", "GIL: threads share one interpreter"},
		{"redis-cache", "greenlets share a process"},
	} {
		top := fixture
		if tc.file == "redis-cache" {
			top = loadPreset
		}
		m, _ := newTestModel(t, top(t, tc.file), tc.file, 80, 24)
		runFor(m, 10*time.Second)
		press(m, "Q")
		got := screen(m)
		if !strings.Contains(got, tc.why) {
			t.Errorf("%s: the theory pane does not say %q:\n%s", tc.file, tc.why, got)
		}
		for _, l := range strings.Split(got, "\n") {
			if strings.Contains(l, "app") && strings.Contains(l, "· measured") {
				t.Errorf("%s: the app tier has no model, but the pane predicts it: %q", tc.file, l)
			}
		}
	}
}

// On the split dashboard Q opens the focused side's theory pane on the
// whole screen, and esc gives the split back.
func TestTheoryOnTheSplitDashboard(t *testing.T) {
	s, _ := newTestSplit(t, fixture(t, "mmc"), fixture(t, "mmc"), "mmc", "mmc", 80, 24)
	splitFor(s, 10*time.Second)
	splitPress(s, "Q")
	if got := splitScreen(s); !strings.Contains(got, "Erlang C: wait") {
		t.Errorf("Q on the split shows no theory:\n%s", got)
	}
	splitPress(s, "esc")
	if got := splitScreen(s); strings.Contains(got, "THEORY") || !strings.Contains(got, "keys act here") {
		t.Errorf("esc did not give the split back:\n%s", got)
	}
}

// TestTheorySaysItsWindow: the pane says over which window it measured
// (since the start, then since the last change and when that was), and
// that a warm-up stays in its means: theory speaks of a steady state.
func TestTheorySaysItsWindow(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "redis-cache"), "redis-cache", 80, 24)
	runFor(m, 20*time.Second)
	press(m, "Q")
	flat := func() string { return strings.Join(strings.Fields(screen(m)), " ") }
	if got := flat(); !strings.Contains(got, "measured since the start") || !strings.Contains(got, "a warm-up stays in the means") ||
		!strings.Contains(got, "last 10s: wait") || !strings.Contains(got, "not in the last 10s") {
		t.Errorf("the pane does not say its window, and the last 10s beside it:\n%s", screen(m))
	}
	press(m, "Q", "+") // a change restarts the window
	runFor(m, 10*time.Second)
	press(m, "Q")
	if got := flat(); !strings.Contains(got, "since the change at 20s") || !strings.Contains(got, "a warm-up (a cold cache") || strings.Contains(got, "last 10s") {
		t.Errorf("after a change at 20s the pane does not say so, or shows the last 10s of a window of 10s:\n%s", screen(m))
	}
}
