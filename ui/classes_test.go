package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

func loadPopulations(t *testing.T) *topology.Topology {
	t.Helper()
	data, err := os.ReadFile("testdata/populations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	top, err := topology.Parse("populations.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// TestGoldenClasses: j puts each class's latency where the stations
// were, so that the short browse pages stuck behind the long reports
// (and the API client that never thinks) show, with the populations
// under the classes: every column (mean, p50, p95, p99) even at 80x24,
// where the table takes from the event log what it needs.
func TestGoldenClasses(t *testing.T) {
	drawingOnly(t)
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		m, _ := newTestModel(t, loadPopulations(t), "populations.yaml", size.w, size.h)
		runFor(m, 20*time.Second)
		before := screen(m)
		press(m, "j")
		got := screen(m)
		checkScreen(t, got, size.w, size.h)
		if strings.Contains(before, "CLASSES") || !containsAll(got, "CLASSES", "browse", "report", "call", "mean", "p50", "p95", "p99") {
			t.Errorf("%dx%d: j does not show the classes:\n%s", size.w, size.h, got)
		}
		if !containsAll(got, "200 shoppers", "10 api") {
			t.Errorf("%dx%d: no populations:\n%s", size.w, size.h, got)
		}
		requireGolden(t, fmt.Sprintf("classes-%dx%d", size.w, size.h), got)
		press(m, "j")
		if s := screen(m); strings.Contains(s, "CLASSES") || !strings.Contains(s, "STATIONS") {
			t.Errorf("a second j does not bring the stations back:\n%s", s)
		}
	}
}

// TestClassesKeyNeedsClasses: with one class j says why it does nothing.
func TestClassesKeyNeedsClasses(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "single-worker"), "single-worker", 80, 24)
	runFor(m, 2*time.Second)
	press(m, "j")
	if s := screen(m); strings.Contains(s, "CLASSES") || !strings.Contains(s, "one request class") {
		t.Errorf("j with one class:\n%s", s)
	}
}

// TestLoadKeyStepsEveryPopulation: + steps each population's users along
// the ladder, and the simulation follows.
func TestLoadKeyStepsEveryPopulation(t *testing.T) {
	m, st := newTestModel(t, loadPopulations(t), "populations.yaml", 80, 24)
	runFor(m, 2*time.Second)
	press(m, "+")
	runFor(m, 2*time.Second)
	w := st.eng.sim.Topology().Workload
	if w.Users != 262 || w.Populations[0].Users != 250 || w.Populations[1].Users != 12 {
		t.Errorf("after +: %d users, populations %+v", w.Users, w.Populations)
	}
	if s := screen(m); !containsAll(s, "262 users", "shoppers 200 → 250") {
		t.Errorf("after +:\n%s", s)
	}
}
