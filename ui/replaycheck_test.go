package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"scalesim/record"
	"scalesim/sim"
)

// recordedSession records a short dashboard session of the cache
// fixture with the R key (two edits, 35 s) and returns the file.
func recordedSession(t *testing.T) string {
	t.Helper()
	path, _ := rehearse(t)
	return path
}

// rehearse records the session recordedSession does, and returns the
// file and the last frame the rehearsal showed before R stopped it.
func rehearse(t *testing.T) (string, sim.Snapshot) {
	t.Helper()
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 120, 40)
	press(m, "R")
	path := m.rec.on
	runFor(m, 7*time.Second)
	press(m, "+", "+")
	runFor(m, 9*time.Second)
	press(m, "k")
	runFor(m, 19*time.Second)
	last := m.frame.Snap
	press(m, "R")
	return path, last
}

// replayModel is the dashboard replaying the recording at path, as
// scalesim replay FILE opens it.
func replayModel(t *testing.T, path string) (*Model, *syncStepper) {
	t.Helper()
	rec, err := record.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	top, err := rec.Scenario(record.SourceReplay)
	if err != nil {
		t.Fatal(err)
	}
	st, err := newSyncStepper(top, 0, 10, false, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: "talk.rec.yaml", Replay: rec}, st, 10, false)
	m.dir = t.TempDir()
	m.Update(teaWS(80, 24))
	return m, st
}

// TestDashboardReplayAgrees: the status line counts the checksums
// reproduced as the replay plays, keeps the count beside what a key
// did, and checks again from 0s after a reset.
func TestDashboardReplayAgrees(t *testing.T) {
	m, _ := replayModel(t, recordedSession(t))
	runFor(m, 12*time.Second)
	if got := m.statusView(); !strings.Contains(got, "✓ replay agrees with 1 of 3 checksums so far") {
		t.Errorf("at 12s the status line says %q", got)
	}
	runFor(m, 20*time.Second)
	press(m, " ")
	got := m.statusView()
	if !strings.HasPrefix(got, "✓ replay agrees with 3 checksums · ✓ paused") {
		t.Errorf("at 32s, paused, the status line says %q", got)
	}
	checkScreen(t, screen(m), 80, 24)
	press(m, "r", " ")
	runFor(m, 11*time.Second)
	if got := m.statusView(); !strings.Contains(got, "replay agrees with 1 of 3 checksums so far") {
		t.Errorf("after a reset the status line says %q", got)
	}
	// an edit is no replay of the recording: it diverges, and says so
	press(m, "w")
	runFor(m, 10*time.Second)
	if got := m.statusView(); !strings.Contains(got, "✗ replay diverged at 0:20: expected") {
		t.Errorf("after an edit the status line says %q", got)
	}
}

// TestDashboardReplayDiverges: a recording whose checksum at 20s was
// edited shows, from 20s on and whatever the keys say, where the replay
// diverged and what it expected.
func TestDashboardReplayDiverges(t *testing.T) {
	path := recordedSession(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var want string
	for i, l := range lines {
		if strings.Contains(l, "at: 20s, checksum") {
			_, after, _ := strings.Cut(l, "completed: ")
			n, _, _ := strings.Cut(after, ",")
			lines[i] = strings.Replace(l, "completed: ", "completed: 1", 1)
			want = "✗ replay diverged at 0:20: expected completed 1" + n + ", got " + n
		}
	}
	if want == "" {
		t.Fatalf("no checksum at 20s in\n%s", data)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _ := replayModel(t, path)
	runFor(m, 15*time.Second)
	if got := m.statusView(); !strings.Contains(got, "✓ replay agrees with 1 of 3") {
		t.Errorf("before 20s the status line says %q", got)
	}
	runFor(m, 10*time.Second)
	press(m, ">")
	runFor(m, 10*time.Second)
	got := screen(m)
	checkScreen(t, got, 80, 24)
	if !strings.Contains(got, want) {
		t.Errorf("the screen lacks %q:\n%s", want, got)
	}
	requireGolden(t, "replay-diverged-80x24", got)
}

// TestDashboardReplayShowsTheRehearsalsWindow: each key of the rehearsal
// started a new measured window, and the replay starts one at the same
// simulated time, so the numbers on screen (those since the last change)
// are the rehearsal's, not the whole run's.
func TestDashboardReplayShowsTheRehearsalsWindow(t *testing.T) {
	path, want := rehearse(t)
	m, _ := replayModel(t, path)
	for i := 0; i < 1000 && m.frame.Snap.Now < want.Now; i++ {
		ticks(m, 1)
	}
	got := m.frame.Snap
	if got.Now != want.Now {
		t.Fatalf("the replay's frames fall at %v, not at the rehearsal's %v", got.Now, want.Now)
	}
	if want.Summary.DurationS > 20 {
		t.Fatalf("the rehearsal's window is %vs: its last key did not start one", want.Summary.DurationS)
	}
	if got.Summary.DurationS != want.Summary.DurationS || got.Summary.Window != want.Summary.Window {
		t.Errorf("at %v the replay measures %vs with %+v; the rehearsal measured %vs with %+v",
			got.Now, got.Summary.DurationS, got.Summary.Window, want.Summary.DurationS, want.Summary.Window)
	}
}
