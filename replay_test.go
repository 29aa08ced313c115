package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/record"
	"scalesim/sim"
	"scalesim/topology"
)

// recordSession records a session as the dashboard does: changes
// applied with Do between slices, checksums from the closed seconds.
func recordSession(t *testing.T, path string) {
	t.Helper()
	topo, err := presets.Resolve("nginx-nodes")
	if err != nil {
		t.Fatal(err)
	}
	w, err := record.Create(path, topo, topo.Seed)
	if err != nil {
		t.Fatal(err)
	}
	c := record.NewCounter(w.Checksum)
	s, err := sim.New(topo, sim.Options{OnSecond: c.Second})
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct {
		at time.Duration
		c  topology.Change
	}{
		{3700 * time.Millisecond, topology.Change{Action: topology.ActSet, Path: "app.workers", Value: "6", Source: "key"}},
		{12345678901, topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "90", Source: "key"}},
		{21 * time.Second, topology.Change{Action: topology.ActNodeDown, Node: 1, Source: "key"}},
		{26 * time.Second, topology.Change{Action: topology.ActNodeUp, Node: 1, Source: "key"}},
	}
	for _, e := range edits {
		s.Advance(e.at)
		if _, err := s.Do(e.c); err != nil {
			t.Fatal(err)
		}
		w.Change(s.Now(), e.c)
		s.ResetStats() // as the dashboard does; it changes nothing simulated
	}
	s.Advance(40 * time.Second)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func runOut(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestReplayHeadlessIsRunOfItsEvents(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "demo.rec.yaml")
	recordSession(t, rec)
	got, stderr, code := runOut(t, "replay", "--headless", rec)
	if code != 0 {
		t.Fatalf("replay: exit %d: %s", code, stderr)
	}
	scen, stderr, code := runOut(t, "replay", "--to-events", rec)
	if code != 0 {
		t.Fatalf("--to-events: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(file, []byte(scen), 0o644); err != nil {
		t.Fatal(err)
	}
	want, stderr, code := runOut(t, "run", file, "--warmup", "0", "--duration", "40s")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if got != want {
		t.Errorf("replay --headless and run of its --to-events differ:\n%s\n----\n%s", got, want)
	}
	if !strings.Contains(scen, "node_down: 1") || !strings.Contains(scen, "at: 12.345678901s") {
		t.Errorf("--to-events lacks the recorded changes:\n%s", scen)
	}
}

func TestReplayDivergence(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "demo.rec.yaml")
	recordSession(t, rec)
	data, _ := os.ReadFile(rec)
	lines := strings.Split(string(data), "\n")
	n := 0
	for i, l := range lines {
		if strings.Contains(l, "at: 30s, checksum") {
			lines[i] = strings.Replace(l, "completed: ", "completed: 1", 1)
			n = i + 1
		}
	}
	if n == 0 {
		t.Fatalf("no checksum at 30s in\n%s", data)
	}
	bad := filepath.Join(dir, "bad.rec.yaml")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	_, stderr, code := runOut(t, "replay", "--headless", bad)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"diverges from the recording at 30s", "line " + itoa(n), "expected", "got"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestReplayBadFiles(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "demo.rec.yaml")
	recordSession(t, rec)
	data, _ := os.ReadFile(rec)
	cases := []struct{ name, from, to, want string }{
		{"field", "app.workers: 6", "app.wrokers: 6", `unknown key; did you mean "workers"?`},
		{"time", "at: 21s", "at: 21x", "invalid time"},
		{"topology", "\n    workers: ", "\n    wrokers: ", "topology.app.wrokers: unknown key"},
		{"change", "node_down: 1", "node_down: 0", "no app node 0"},
		{"key", "seed:", "sede:", "did you mean seed?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(dir, c.name+".rec.yaml")
			os.WriteFile(f, bytes.Replace(data, []byte(c.from), []byte(c.to), 1), 0o644)
			_, stderr, code := runOut(t, "replay", "--headless", f)
			if code != 2 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, f+":") {
				t.Errorf("exit %d, stderr %q; want 2 and %q at a file:line:col", code, stderr, c.want)
			}
		})
	}
}

// A recording that is no file, or whose bytes are not a recording's,
// gets one message at its position and exit 2, at once and in bounded
// memory: a named pipe is not waited on, /dev/zero not read, a last line
// cut short is named as such.
func TestReplayUnreadableRecordings(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "demo.rec.yaml")
	recordSession(t, rec)
	data, _ := os.ReadFile(rec)
	fifo := filepath.Join(dir, "fifo.rec.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	cut := write("cut.rec.yaml", data[:len(data)-20])
	binary := write("binary.rec.yaml", []byte("scalesim: dev\nseed: 1\nlog: \xff\xfe\n"))
	tabs := write("tabs.rec.yaml", []byte("scalesim: dev\nseed: 1\ntopology:\n\tapp: {}\n"))
	huge := write("huge.rec.yaml", bytes.Repeat([]byte("# \n"), 16<<20/3+1))
	for _, c := range []struct{ file, want string }{
		{fifo, fifo + ": is a named pipe, not a recording; scalesim reads regular files only"},
		{"/dev/zero", "/dev/zero: is a character device, not a recording"},
		{dir, dir + ": is a directory, not a recording; name a YAML file"},
		{filepath.Join(dir, "none.rec.yaml"), filepath.Join(dir, "none.rec.yaml") + ": no such file or directory; record one with scalesim --record FILE"},
		{cut, cut + ":" + strconv.Itoa(bytes.Count(data, []byte("\n"))) + ": invalid YAML: did not find expected ',' or '}'; the last line is cut short"},
		{binary, binary + ":3:6: invalid UTF-8; save the file as UTF-8 text"},
		{tabs, tabs + ":4: invalid YAML: found character that cannot start any token; indent with spaces"},
		{huge, huge + ": file is larger than 16MiB"},
	} {
		for _, args := range [][]string{{"replay", "--headless", c.file}, {"replay", "--to-events", c.file}, {"replay", c.file}} {
			runWithin(t, args...).check(t, 2, "", "scalesim: "+c.want)
		}
	}
}
