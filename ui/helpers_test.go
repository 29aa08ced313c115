package ui

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aymanbagabas/go-udiff"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"scalesim/presets"
	"scalesim/sim"
	"scalesim/topology"
)

// golden is imported for its -update flag, which requireGolden shares.
var _ = golden.RequireEqual

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Unsetenv("NO_COLOR")
	flag.Parse()
	os.Exit(m.Run())
}

// testPerTick is what one tick advances at speed 1 in tests.
const testPerTick = 100 * time.Millisecond

// loadPreset loads an embedded preset by name.
func loadPreset(t testing.TB, name string) *topology.Topology {
	t.Helper()
	p, ok := presets.Get(name)
	if !ok {
		t.Fatalf("no preset %q", name)
	}
	top, err := p.Load()
	if err != nil {
		t.Fatalf("preset %s: %v", name, err)
	}
	return top
}

// newTestModel is a dashboard of top on a synchronous stepper, sized w×h,
// at speed 10, running.
func newTestModel(t testing.TB, top *topology.Topology, source string, w, h int) (*Model, *syncStepper) {
	t.Helper()
	st, err := newSyncStepper(top, 0, 10, false, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: source}, st, 10, false)
	m.dir = t.TempDir()
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, st
}

// ticks sends n frame ticks of the current chain.
func ticks(m *Model, n int) {
	for range n {
		m.ticking = true
		m.Update(tickMsg{id: m.tickID})
	}
}

// runFor advances simulated time by d at the model's speed (one tick is
// speed × testPerTick).
func runFor(m *Model, d time.Duration) {
	per := time.Duration(float64(testPerTick) * speeds[m.speedIdx])
	ticks(m, int((d+per-1)/per))
}

// press sends keys: each string is one key as tea.KeyMsg.String() writes
// it ("w", "W", " ", "enter", "esc", "ctrl+c").
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "f5":
		return tea.KeyMsg{Type: tea.KeyF5}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// requireGolden compares got with testdata/name.golden, rewriting it
// with -update (the flag x/exp/golden registers).
func requireGolden(t *testing.T, name, got string) {
	t.Helper()
	requireGoldenFile(t, filepath.Join("testdata", name+".golden"), got)
}

// screen is the view with trailing spaces trimmed, for readable goldens.
func screen(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func teaWS(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// splitLines splits a screen (ending in a newline) into its lines.
func splitLines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// containsAll reports whether s holds every one of subs.
func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// requireGoldenFile compares got with the file at path, rewriting it
// with -update.
func requireGoldenFile(t *testing.T, path, got string) {
	t.Helper()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from what the test renders (go test ./ui -update rewrites it):\n%s", path, udiff.Unified("want", "got", string(want), got))
	}
}

// pressAndCheck presses keys and checks what the last one did: the
// topology (changed as check says, or unchanged when check is nil), the
// status line, that the simulation runs what the dashboard shows, and
// whether the change was noted in the log. It returns the log.
func pressAndCheck(t *testing.T, m *Model, st *syncStepper, keys []string,
	check func(*testing.T, *topology.Topology), status string, logged bool) []sim.LogEntry {
	t.Helper()
	press(m, keys[:len(keys)-1]...)
	before := m.Topology()
	n := len(st.eng.sim.Log())
	press(m, keys[len(keys)-1])
	after := m.Topology()
	if check == nil {
		if !reflect.DeepEqual(before, after) {
			t.Errorf("topology changed:\nbefore %+v\nafter  %+v", before, after)
		}
	} else {
		check(t, after)
	}
	if got := m.statusView(); !strings.Contains(got, status) {
		t.Errorf("status line %q, want it to contain %q", got, status)
	}
	if got := st.eng.sim.Topology(); !reflect.DeepEqual(got, after) {
		t.Errorf("simulation runs\n%+v\nwant\n%+v", got, after)
	}
	log := st.eng.sim.Log()
	noted := len(log) > n && strings.HasPrefix(log[len(log)-1].Text, "you: ")
	if noted != logged {
		t.Errorf("noted in the log = %v, want %v (log %v)", noted, logged, log)
	}
	return log
}

// drawingOnly skips, under -short, a test of what the dashboard draws
// that runs on one goroutine only: the race run of CI (-race -short)
// has nothing to find in it, and the plain run checks it whole.
func drawingOnly(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("drawing on one goroutine; checked by the run without -short")
	}
}
