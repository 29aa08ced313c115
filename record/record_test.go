package record

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

func testTopology(t *testing.T) *topology.Topology {
	t.Helper()
	top, err := topology.Parse("t.yaml", []byte("seed: 5\nworkload: {rate: 50, requests: [{steps: [{cpu: 10ms}]}]}\napp: {workers: 2}\nevents: [{at: 5s, set: {workload.rate: 60}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// TestEveryWriteLeavesARecording: the file reads back after each entry,
// as a killed program would leave it.
func TestEveryWriteLeavesARecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.rec.yaml")
	w, err := Create(path, testTopology(t), 9)
	if err != nil {
		t.Fatal(err)
	}
	check := func(changes, sums int) {
		t.Helper()
		rec, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Changes) != changes || len(rec.Checksums) != sums || rec.Seed != 9 || rec.Topology.Seed != 9 {
			t.Fatalf("read %d changes, %d checksums, seed %d; want %d, %d, 9", len(rec.Changes), len(rec.Checksums), rec.Seed, changes, sums)
		}
	}
	check(0, 0)
	w.Change(1500*time.Millisecond, topology.Change{Action: topology.ActSet, Path: "app.workers", Value: "3", Source: "key"})
	check(1, 0)
	w.Checksum(newChecksum(10*time.Second, 500, 490, 2, 1))
	check(1, 1)
	w.Change(10*time.Second+1, topology.Change{Action: topology.ActSlow, Tier: "app", Factor: 2.5, Source: "key"})
	w.Change(10*time.Second+1, topology.Change{Action: topology.ActSay, Text: "a: caption, with {braces}", Source: "key"})
	check(3, 1)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, _ := Load(path)
	if c := rec.Changes[2]; c.At != 10*time.Second+1 || c.Change.Text != "a: caption, with {braces}" {
		t.Errorf("read back %+v", c)
	}
	c := rec.Checksums[0]
	c.line = 0
	if c != newChecksum(10*time.Second, 500, 490, 2, 1) {
		t.Errorf("checksum read back as %+v", c)
	}
	// the scenario: the file's event, then the recorded changes, those
	// of one time in one event
	scen, err := rec.Scenario("")
	if err != nil {
		t.Fatal(err)
	}
	if len(scen.Events) != 3 || scen.Events[0].At != time.Second+500*time.Millisecond || scen.Events[1].At != 5*time.Second || len(scen.Events[2].Changes) != 2 {
		t.Errorf("scenario events %v", scen.Events)
	}
	if rec.Length() != 11*time.Second {
		t.Errorf("length %s, want 11s", rec.Length())
	}
}

// TestCounterEveryTenSeconds: a checksum every Every, of the counts
// since the start, and a Verifier that finds the one that differs.
func TestCounterEveryTenSeconds(t *testing.T) {
	top := testTopology(t)
	var got []Checksum
	s, err := sim.New(top, sim.Options{OnSecond: NewCounter(func(c Checksum) { got = append(got, c) }).Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(35 * time.Second)
	if len(got) != 3 || got[2].At != 30*time.Second {
		t.Fatalf("checksums %+v", got)
	}
	tot := s.Totals()
	if got[2].Arrived > tot.Arrived || got[2].Arrived < tot.Arrived*30/36 {
		t.Errorf("30s checksum counts %d arrivals; %d by 35s", got[2].Arrived, tot.Arrived)
	}
	rec := &Recording{Checksums: append([]Checksum(nil), got...), Version: Version()}
	rec.Checksums[1].Completed++
	v := NewVerifier(rec)
	for _, c := range got {
		v.Check(c)
	}
	_, err = v.Result()
	d, ok := err.(*Divergence)
	if !ok || d.At != 20*time.Second || d.Versions[0] != "" {
		t.Errorf("divergence %v, want at 20s without a version note", err)
	}
}

func TestEmptyAndMissing(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "e.yaml")
	os.WriteFile(empty, nil, 0o644)
	for _, p := range []string{empty, filepath.Join(dir, "none.yaml")} {
		if _, err := Load(p); err == nil {
			t.Errorf("%s: no error", p)
		}
	}
}

// A recording to a named pipe nobody reads is refused when it starts,
// instead of filling the pipe's buffer and freezing the dashboard
// mid-talk, or losing the recording.
func TestCreateRefusesAPipeNobodyReads(t *testing.T) {
	p := filepath.Join(t.TempDir(), "talk.rec.yaml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		w, err := Create(p, testTopology(t), 1)
		if err == nil {
			w.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), p+": is a named pipe that nobody reads") {
			t.Errorf("Create on a pipe: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Create on a pipe nobody reads did not return")
	}
}

// The version a recording names is text; a list or a mapping there is
// refused at its position.
func TestVersionIsText(t *testing.T) {
	for _, v := range []string{"[1, 2]", "{a: 1}"} {
		_, err := Parse("r.yaml", []byte("scalesim: "+v+"\nseed: 1\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n"))
		if err == nil || !strings.Contains(err.Error(), "r.yaml:1:11: scalesim: expected a version, got a ") {
			t.Errorf("version %s: %v", v, err)
		}
	}
}

// A recording of more changes than any talk's keys is refused at the
// first beyond the limit, instead of checking each against its
// topology for minutes.
func TestTooManyChanges(t *testing.T) {
	var b strings.Builder
	b.WriteString("scalesim: dev\nseed: 1\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n")
	for i := range maxChanges + 1 {
		fmt.Fprintf(&b, "  - {at: %dms, say: hi, source: key}\n", i)
	}
	_, err := Parse("r.yaml", []byte(b.String()))
	want := fmt.Sprintf("r.yaml:%d:5: log[%d]: more than %d changes", maxChanges+5, maxChanges, maxChanges)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%d changes: %.200v, want %q", maxChanges+1, err, want)
	}
}

// A recording's seed is read as every number scalesim reads, in decimal:
// 017 (15 to some YAML tools, 17 to others) and 0x11 are refused.
func TestSeedIsDecimal(t *testing.T) {
	for _, v := range []string{"017", "0x11", "+17", "1_7"} {
		_, err := Parse("r.yaml", []byte("scalesim: dev\nseed: "+v+"\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n"))
		if err == nil || !strings.Contains(err.Error(), "r.yaml:2:7: seed: invalid seed") || !strings.Contains(err.Error(), "in decimal") {
			t.Errorf("seed %s: %v", v, err)
		}
	}
	if _, err := Parse("r.yaml", []byte("scalesim: dev\nseed: 0\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n")); err != nil {
		t.Errorf("seed 0: %v", err)
	}
}

// A key given twice in a recording (a second seed, an entry's second
// at) is refused at its line: which one counts would be a guess.
func TestDuplicateKeys(t *testing.T) {
	const top = "topology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\n"
	for src, want := range map[string]string{
		"scalesim: dev\nseed: 1\nseed: 2\n" + top + "log:\n":                                     "r.yaml:3:1: seed: duplicate key; it is already set on line 2",
		"scalesim: dev\nseed: 1\n" + top + "log:\n  - {at: 1s, at: 2s, set: {app.workers: 2}}\n": "r.yaml:5:14: log[0].at: duplicate key; it is already set on line 5",
	} {
		_, err := Parse("r.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// Recordings edited by hand, or forged, are refused at the line and
// column of the entry that cannot be a recording's: a time past the
// longest run (the replay would run to it), a checksum scalesim cannot
// have written (the replay ran, then said it diverged, exit 1), a change
// no key made.
func TestBadRecordings(t *testing.T) {
	for file, want := range map[string]string{
		"at_beyond_a_century.rec.yaml": "at_beyond_a_century.rec.yaml:6:10: log[1].at: at 1000000h is beyond the longest run; a replay runs to the log's last time, and a run simulates at most 876000h",
		"checksum_not_hex.rec.yaml":    `checksum_not_hex.rec.yaml:5:25: log[0].checksum: invalid checksum "zzzz"; a checksum is 16 hexadecimal digits`,
		"source_not_key.rec.yaml":      `source_not_key.rec.yaml:5:45: log[0].source: source "hacker"; a recording holds the changes keys made: source: key`,
		"source_escape.rec.yaml":       `source_escape.rec.yaml:5:45: log[0].source: source "\x1b[2J"`,
	} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(file, data)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%v\nwant %q", err, want)
			}
		})
	}
}
