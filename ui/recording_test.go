package ui

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"scalesim/record"
	"scalesim/sim"
)

// TestRecordThenReplay records a scripted dashboard session with the R
// key and replays the recording headless: every checksum agrees, and the
// replay's counters at the end are the dashboard's.
func TestRecordThenReplay(t *testing.T) {
	m, st := newTestModel(t, fixture(t, "cache"), "cache", 120, 40)
	runFor(m, 3*time.Second) // recording restarts the simulation at 0s
	press(m, "R")
	if m.rec.on == "" || !strings.Contains(m.status.text, "recording to") {
		t.Fatalf("R did not start a recording: %q", m.status.text)
	}
	if st.eng.sim.Now() != 0 {
		t.Fatalf("a recording starts at 0s, the simulation is at %s", st.eng.sim.Now())
	}
	path := m.rec.on
	steps := []struct {
		keys []string
		run  time.Duration
	}{
		{nil, 7 * time.Second},
		{[]string{"+", "+"}, 9 * time.Second},
		{[]string{"x", "1"}, 6 * time.Second},
		{[]string{" ", ".", ".", "w", " "}, 5 * time.Second}, // paused and stepped: not recorded
		{[]string{"k", ">"}, 15 * time.Second},
	}
	for _, s := range steps {
		press(m, s.keys...)
		runFor(m, s.run)
	}
	end := st.eng.sim.Now()
	want := st.eng.sim.Snapshot().Totals
	press(m, "R")
	if m.rec.on != "" || !strings.Contains(m.status.text, "recording saved") {
		t.Fatalf("R did not end the recording: %q", m.status.text)
	}

	rec, err := record.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rec.Changes {
		got = append(got, c.Change.String())
	}
	wantChanges := []string{"workload.rate = 500", "workload.rate = 600", "node 1 down", "app.workers = 5", "cache.enabled = false"}
	if !reflect.DeepEqual(got, wantChanges) {
		t.Errorf("recorded %q, want %q", got, wantChanges)
	}
	for _, c := range rec.Changes {
		if c.Change.Source != "key" {
			t.Errorf("%s recorded with source %q, want key", c.Change, c.Change.Source)
		}
	}
	if len(rec.Checksums) < 3 {
		t.Fatalf("only %d checksums in %s of recording", len(rec.Checksums), end)
	}
	scen, err := rec.Scenario("")
	if err != nil {
		t.Fatal(err)
	}
	v := record.NewVerifier(rec)
	s, err := sim.New(scen, sim.Options{OnSecond: record.NewCounter(v.Check).Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(end)
	if n, err := v.Result(); err != nil || n != len(rec.Checksums) {
		t.Errorf("replay checked %d of %d checksums: %v", n, len(rec.Checksums), err)
	}
	if got := s.Snapshot().Totals; !reflect.DeepEqual(got, want) {
		t.Errorf("replay totals at %s\n%+v\nwant the dashboard's\n%+v", end, got, want)
	}
}

// TestResetEndsRecording: a reset ends the recording, which stays a
// valid file.
func TestResetEndsRecording(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 120, 40)
	m.rec.path = filepath.Join(t.TempDir(), "talk.rec.yaml")
	press(m, "R")
	runFor(m, 12*time.Second)
	press(m, "w")
	runFor(m, time.Second)
	press(m, "r")
	if m.rec.on != "" {
		t.Fatal("a reset did not end the recording")
	}
	rec, err := record.Load(m.rec.path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Changes) != 1 || len(rec.Checksums) != 1 {
		t.Errorf("recorded %d changes and %d checksums, want 1 and 1", len(rec.Changes), len(rec.Checksums))
	}
	press(m, "R")
	if want := filepath.Join(filepath.Dir(m.rec.path), "talk-2.rec.yaml"); m.rec.on != want {
		t.Errorf("the second recording goes to %s, want %s", m.rec.on, want)
	}
}
