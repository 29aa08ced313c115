package ui

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/presets"
	"scalesim/topology"
)

// The storm's size; go test ./ui -run KeyStorm -storm.sessions 50 runs
// a long one.
var (
	stormSteps    = flag.Int("storm.steps", 40, "steps of each random key session")
	stormSessions = flag.Int("storm.sessions", 1, "random key sessions per preset")
	stormSeed     = flag.Uint64("storm.seed", 0, "first seed of the random key sessions")
	// stormPerTick is what one tick advances at speed 1: at 10x the
	// default session covers about 20 simulated seconds, so that flash
	// sales sell out and backlogs fill.
	stormPerTick = flag.Duration("storm.tick", 50*time.Millisecond, "simulated time per tick at speed 1 in the key storm")
)

// namedKeys maps every key name tea.KeyMsg.String() writes for a key
// type ("tab", "ctrl+a", "pgdown") to that type.
var namedKeys = func() map[string]tea.KeyType {
	out := map[string]tea.KeyType{}
	for t := tea.KeyType(-200); t <= 200; t++ {
		if t == tea.KeyRunes {
			continue
		}
		s := tea.Key{Type: t}.String()
		if s != "" && !strings.HasPrefix(s, "KeyType(") {
			if _, dup := out[s]; !dup {
				out[s] = t
			}
		}
	}
	return out
}()

// anyKey is the key message for a name as tea.KeyMsg.String() writes it:
// a named key ("enter", "ctrl+x", "alt+left") or typed runes.
func anyKey(name string) tea.KeyMsg {
	alt := false
	if rest, ok := strings.CutPrefix(name, "alt+"); ok && len(rest) > 0 {
		alt, name = true, rest
	}
	if name == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}, Alt: alt}
	}
	if t, ok := namedKeys[name]; ok {
		return tea.KeyMsg{Type: t, Alt: alt}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name), Alt: alt}
}

// storm is one random session: a preset, keys, resizes and ticks.
type storm struct {
	rng   *rand.Rand
	keys  []string // every key name the storm presses
	typed []rune   // what it types into prompts
	trail []string // what it did, for the failure message
}

func newStorm(seed uint64, m *Model) *storm {
	s := &storm{rng: rand.New(rand.NewPCG(seed, 0x5707))}
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			s.keys = append(s.keys, k)
		}
	}
	for _, b := range m.keys.all() {
		for _, k := range b.Keys() {
			add(k)
		}
	}
	for _, k := range []string{"esc", "enter", "tab", "shift+tab", "up", "down", "left", "right",
		"home", "end", "pgup", "pgdown", "backspace", "delete", "ctrl+a", "ctrl+e", "ctrl+k",
		"ctrl+u", "ctrl+w", "ctrl+p", "ctrl+n", "ctrl+z", "ctrl+d", "f1", "alt+w", "alt+enter",
		"z", "Z", "0", "1", "2", "3", "9", "!", "~", "/", "é", "日"} {
		add(k)
	}
	s.typed = []rune("abcdefghijklmnopqrstuvwxyz0123456789-_.~")
	return s
}

// step does one random thing to m: a key, typed text, a paste or a
// resize, then zero to three ticks.
func (s *storm) step(m *Model) {
	r := s.rng
	switch p := r.IntN(100); {
	case p < 8:
		w, h := 40+r.IntN(161), 10+r.IntN(51)
		s.do(fmt.Sprintf("resize %dx%d", w, h))
		m.Update(teaWS(w, h))
	case p < 30 && (m.picker != nil || m.prompt.kind != promptNone):
		// type into the open picker or prompt
		n := 1 + r.IntN(6)
		text := make([]rune, n)
		for i := range text {
			text[i] = s.typed[r.IntN(len(s.typed))]
		}
		s.do(fmt.Sprintf("type %q", string(text)))
		for _, c := range text {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
		}
	case p < 33:
		text := string(s.typed[r.IntN(len(s.typed))]) + string(s.typed[r.IntN(len(s.typed))]) + "wn+"
		paste := r.IntN(2) == 0
		s.do(fmt.Sprintf("runes %q paste=%v", text, paste))
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: paste})
	default:
		k := s.keys[r.IntN(len(s.keys))]
		s.do(fmt.Sprintf("key %q", k))
		m.Update(anyKey(k))
	}
	if m.quitting {
		return
	}
	for range r.IntN(3) {
		m.ticking = true
		m.Update(tickMsg{id: m.tickID})
	}
	_ = m.View()
}

func (s *storm) do(what string) {
	s.trail = append(s.trail, what)
	if len(s.trail) > 40 {
		s.trail = s.trail[1:]
	}
}

// TestKeyStorm drives random sessions over every preset and the test
// topologies: every bound key, unbound keys, Esc, Enter, Tab, arrows,
// ctrl keys, typing into the open and save prompts, and resizes from
// 40x10 to 200x60, with the
// simulation ticking between them. Nothing may panic, the simulation
// never stops, and every request that arrived is completed, dropped,
// failed or still in flight after every step. The sessions are seeded:
// a failure names the seed and the last steps, and reruns the same.
func TestKeyStorm(t *testing.T) {
	steps, sessions := *stormSteps, *stormSessions
	if testing.Short() {
		steps = min(steps, 12)
	}
	type subject struct {
		name string
		top  *topology.Topology
	}
	var subjects []subject
	for _, p := range presets.List() {
		subjects = append(subjects, subject{p.Name, loadPreset(t, p.Name)})
	}
	// and the test topologies: a closed workload, odd names, a key space
	for _, f := range []string{"web", "cache", "offload", "flash", "flash-naive", "replicas"} {
		subjects = append(subjects, subject{"testdata/" + f, fixture(t, f)})
	}
	for si, sub := range subjects {
		t.Run(sub.name, func(t *testing.T) {
			for sess := range sessions {
				seed := *stormSeed + uint64(si*1000+sess)
				runStorm(t, sub.name, sub.top, seed, steps)
			}
		})
	}
}

func runStorm(t *testing.T, preset string, top *topology.Topology, seed uint64, steps int) {
	t.Helper()
	st, err := newSyncStepper(top, 0, 10, false, *stormPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: preset}, st, 10, false)
	m.dir = t.TempDir()
	m.Update(teaWS(80, 24))
	s := newStorm(seed, m)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s seed %d: panic %v after:\n  %s", preset, seed, r, strings.Join(s.trail, "\n  "))
		}
	}()
	for range steps {
		s.step(m)
		if m.quitting {
			s.do("(quit: a new session)")
			m.quitting = false
			st, err = newSyncStepper(top, 0, 10, false, *stormPerTick)
			if err != nil {
				t.Fatal(err)
			}
			m = newModel(Options{Topology: top, Source: preset}, st, 10, false)
			m.dir = t.TempDir()
			m.Update(teaWS(80, 24))
			continue
		}
		if e := st.eng; e.crashed != "" {
			t.Fatalf("%s seed %d: the simulation stopped: %s after:\n  %s", preset, seed, e.crashed, strings.Join(s.trail, "\n  "))
		}
		if c := st.eng.sim.Totals(); c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
			t.Fatalf("%s seed %d: %d arrived ≠ %d completed + %d dropped + %d failed + %d in flight after:\n  %s",
				preset, seed, c.Arrived, c.Completed, c.Dropped, c.Failed, c.InFlight, strings.Join(s.trail, "\n  "))
		}
	}
}

// TestKeyStormOnRunner: the same storm on the goroutine runner, the
// simulation running beside the keys as in the program (run it with
// -race). The keys are seeded; what the simulation reaches between them
// depends on the wall clock, so only what holds whatever it reaches is
// checked: no panic, no stopped simulation, every request accounted for.
func TestKeyStormOnRunner(t *testing.T) {
	for _, preset := range []string{"redis-cache", "flash-sale-naive", "connection-pooler"} {
		t.Run(preset, func(t *testing.T) {
			top := loadPreset(t, preset)
			r, err := newRunner(top, 0, 100, false)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			m := newModel(Options{Topology: top, Source: preset}, r, 100, false)
			m.dir = t.TempDir()
			m.Update(teaWS(100, 30))
			s := newStorm(7, m)
			// no quitting: the session runs to the end
			s.keys = slices.DeleteFunc(s.keys, func(k string) bool { return k == "q" || k == "ctrl+c" })
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic %v after:\n  %s", p, strings.Join(s.trail, "\n  "))
				}
			}()
			steps := 4 * *stormSteps
			if testing.Short() {
				steps = *stormSteps
			}
			for range steps {
				s.step(m)
				time.Sleep(time.Millisecond)
				if f := m.frame; f.Stopped != "" {
					t.Fatalf("the simulation stopped: %s after:\n  %s", f.Stopped, strings.Join(s.trail, "\n  "))
				} else if c := f.Snap.Totals; c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
					t.Fatalf("%+v after:\n  %s", c, strings.Join(s.trail, "\n  "))
				}
			}
		})
	}
}
