package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/topology"
)

// newTestSplit is a split dashboard of a and b on a synchronous pair,
// sized w×h, at speed 10, running.
func newTestSplit(t testing.TB, a, b *topology.Topology, srcA, srcB string, w, h int) (*splitModel, *syncPair) {
	t.Helper()
	p, err := newSyncPair(a, b, 0, 10, false, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	s := newSplitModel(SplitOptions{A: a, B: b, SourceA: srcA, SourceB: srcB}, p, 10, false)
	for _, m := range s.sides {
		m.dir = t.TempDir()
	}
	s.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return s, p
}

// splitFor advances simulated time by d at the split's speed.
func splitFor(s *splitModel, d time.Duration) {
	per := time.Duration(float64(testPerTick) * speeds[s.sides[0].speedIdx])
	for range int((d + per - 1) / per) {
		s.ticking = true
		s.Update(tickMsg{id: s.tickID})
	}
}

func splitPress(s *splitModel, keys ...string) {
	for _, k := range keys {
		s.Update(splitKey(k))
	}
}

func splitKey(k string) tea.KeyMsg {
	if k == "tab" {
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return keyMsg(k)
}

func splitScreen(s *splitModel) string {
	lines := strings.Split(s.View(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// cacheOff is the redis-cache preset with its cache switched off.
func cacheOff(t testing.TB) *topology.Topology {
	t.Helper()
	b, err := loadPreset(t, "redis-cache").With(topology.Change{Action: topology.ActSet, Path: "cache.enabled", Value: "false"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenSplit renders the split of the cache on and off at 80x24
// and 160x48, and after a fork of A into B at 80x24.
func TestGoldenSplit(t *testing.T) {
	drawingOnly(t)
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("split-cache-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			s, _ := newTestSplit(t, loadPreset(t, "redis-cache"), cacheOff(t), "redis-cache", "redis-cache with cache.enabled=false", sz[0], sz[1])
			splitFor(s, 30*time.Second)
			got := splitScreen(s)
			checkScreen(t, got, sz[0], sz[1])
			requireGolden(t, name, got)
		})
	}
	t.Run("split-flash-80x24", func(t *testing.T) {
		// the flash sale's lesson beside its fix: oversold and B−A of it
		s, _ := newTestSplit(t, loadPreset(t, "flash-sale-naive"), loadPreset(t, "flash-sale-atomic"), "flash-sale-naive", "flash-sale-atomic", 80, 24)
		splitFor(s, 30*time.Second)
		got := splitScreen(s)
		checkScreen(t, got, 80, 24)
		if !strings.Contains(got, "oversold 0") || !strings.Contains(got, "oversold -") {
			t.Errorf("no oversold figures:\n%s", got)
		}
		requireGolden(t, "split-flash-80x24", got)
	})
	t.Run("split-fork-80x24", func(t *testing.T) {
		s, _ := newTestSplit(t, loadPreset(t, "redis-cache"), cacheOff(t), "redis-cache", "redis-cache with cache.enabled=false", 80, 24)
		splitFor(s, 20*time.Second)
		splitPress(s, "F", "w", "w", "w", "w") // B: A with 8 workers a node
		splitFor(s, 10*time.Second)
		got := splitScreen(s)
		checkScreen(t, got, 80, 24)
		requireGolden(t, "split-fork-80x24", got)
	})
}

// TestSplitSession scripts a session: keys act on the focused side only,
// tab moves the focus, pause and step act on both, F forks A into B,
// which comes up to the clock and, unedited, shows exactly what A shows,
// and r starts both again.
func TestSplitSession(t *testing.T) {
	s, p := newTestSplit(t, loadPreset(t, "redis-cache"), cacheOff(t), "redis-cache", "cache off", 80, 24)
	splitFor(s, 10*time.Second)
	workers := func(i int) int { return p.p.e[i].sim.Topology().App.Workers }
	if !strings.Contains(splitScreen(s), "▶ A  redis-cache") {
		t.Fatalf("A is not marked focused:\n%s", splitScreen(s))
	}

	splitPress(s, "w") // A
	if workers(0) != 5 || workers(1) != 4 {
		t.Fatalf("w on A: workers %d and %d, want 5 and 4", workers(0), workers(1))
	}
	splitPress(s, "tab", "W") // B
	if s.focus != 1 || workers(0) != 5 || workers(1) != 3 {
		t.Fatalf("tab, W: focus %d, workers %d and %d, want B, 5 and 3", s.focus, workers(0), workers(1))
	}
	if scr := splitScreen(s); !strings.Contains(scr, "▶ B  cache off") || strings.Contains(scr, "▶ A") {
		t.Fatalf("B is not marked focused:\n%s", scr)
	}

	splitPress(s, " ") // pause, from B: both stop
	now := p.p.clock()
	splitFor(s, 5*time.Second)
	if !p.p.e[0].paused || !p.p.e[1].paused || !s.sides[0].paused || p.p.clock() != now {
		t.Fatalf("paused on B: engines paused %v %v, A's model %v, clock %v → %v",
			p.p.e[0].paused, p.p.e[1].paused, s.sides[0].paused, now, p.p.clock())
	}
	splitPress(s, ".")
	if a, b := p.p.e[0].now(), p.p.e[1].now(); a != now+time.Second || b != a {
		t.Fatalf("a step: A at %v, B at %v, want both at %v", a, b, now+time.Second)
	}
	splitPress(s, " ", ">") // resume and faster, on both
	if s.sides[0].speedIdx != s.sides[1].speedIdx || s.sides[0].paused {
		t.Fatalf("speed %d and %d, A paused %v", s.sides[0].speedIdx, s.sides[1].speedIdx, s.sides[0].paused)
	}

	splitPress(s, "F") // on B: refused
	if !strings.Contains(s.sides[1].statusView(), "tab to A first") {
		t.Errorf("F on B: status %q", s.sides[1].statusView())
	}
	splitPress(s, "tab", "F")
	if s.focus != 1 || !s.forked || workers(1) != 5 {
		t.Fatalf("fork: focus %d, forked %v, B's workers %d, want B, true, 5 (A's)", s.focus, s.forked, workers(1))
	}
	splitFor(s, 2*time.Second)
	fa, fb := s.sides[0].frame.Snap, s.sides[1].frame.Snap
	if fa.Now != fb.Now {
		t.Fatalf("after the fork: A at %v, B at %v", fa.Now, fb.Now)
	}
	// B is A's design from 0 on the same seed; A changed it once (w),
	// B had it from the start: their windows since that change differ,
	// but their totals of arrivals cannot
	if fa.Totals.Arrived != fb.Totals.Arrived {
		t.Errorf("after the fork: %d arrivals in A, %d in B", fa.Totals.Arrived, fb.Totals.Arrived)
	}

	splitPress(s, "r")
	if a, b := p.p.e[0].now(), p.p.e[1].now(); a != 0 || b != 0 {
		t.Fatalf("reset: A at %v, B at %v, want both at 0", a, b)
	}
	_, cmd := s.Update(keyMsg("q"))
	if !s.quitting || cmd == nil {
		t.Fatalf("q: quitting %v", s.quitting)
	}
}

// A fork of an unedited A is A: from the moment it catches up, B shows
// exactly A's numbers, every B−A is 0.
func TestForkOfUneditedIsTheSame(t *testing.T) {
	s, _ := newTestSplit(t, loadPreset(t, "redis-cache"), cacheOff(t), "redis-cache", "cache off", 80, 24)
	splitFor(s, 15*time.Second)
	splitPress(s, "F")
	splitFor(s, 5*time.Second)
	a, b := s.sides[0].frame.Snap.Summary, s.sides[1].frame.Snap.Summary
	if a.ThroughputRPS != b.ThroughputRPS || a.LatencyMs != b.LatencyMs || a.Window != b.Window || a.DurationS != b.DurationS {
		t.Errorf("a fork of an unedited A differs:\nA %+v %+v\nB %+v %+v", a.Window, a.LatencyMs, b.Window, b.LatencyMs)
	}
	if d := s.diffView(80); !strings.Contains(d, "served 0/s  p99 0  dropped 0%  failed 0%") {
		t.Errorf("B−A line %q", d)
	}
}

// TestPairRunner drives the goroutine pair: both sides move on one
// clock, a pause stops both, and a side reset comes back up to the
// clock.
func TestPairRunner(t *testing.T) {
	r, err := startPairRunner(fixture(t, "web"), fixture(t, "cache"), 0, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	wait := func(what string, ok func(a, b Frame) bool) (Frame, Frame) {
		t.Helper()
		var a, b Frame
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if f, fresh := r.Frame(0); fresh {
				a = f
			}
			if f, fresh := r.Frame(1); fresh {
				b = f
			}
			if ok(a, b) {
				return a, b
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no frames with %s: A at %v, B at %v", what, a.Snap.Now, b.Snap.Now)
		return a, b
	}
	wait("time moving", func(a, b Frame) bool { return a.Snap.Now >= time.Second && b.Snap.Now >= time.Second })
	r.Do(1, op{kind: opPace, speed: 100, paused: true, seq: 1})
	a, b := wait("both paused at one time", func(a, b Frame) bool { return a.Seq == 0 && b.Seq == 1 && a.Snap.Now == b.Snap.Now })
	paused := a.Snap.Now
	time.Sleep(100 * time.Millisecond)
	r.Do(1, op{kind: opReset, topology: fixture(t, "cache"), gen: 1, seq: 2})
	a, b = wait("B reset and caught up", func(a, b Frame) bool { return b.Gen == 1 && b.Snap.Now == paused })
	if a.Snap.Now != paused || b.Snap.Now != paused {
		t.Errorf("paused at %v: A at %v, B at %v", paused, a.Snap.Now, b.Snap.Now)
	}
}

// TestReadmeSplitCapture: the split dashboard in the README is the one
// the test renders (the 80x24 golden's screen); -update rewrites it.
func TestReadmeSplitCapture(t *testing.T) {
	drawingOnly(t)
	s, _ := newTestSplit(t, loadPreset(t, "redis-cache"), cacheOff(t), "redis-cache", "redis-cache with cache.enabled=false", 80, 24)
	splitFor(s, 30*time.Second)
	got := splitScreen(s)
	path := filepath.Join("..", "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	const head = "```\nscalesim compare A and B"
	i := strings.Index(text, head)
	if i < 0 {
		t.Fatal("the README has no capture of the split dashboard")
	}
	start := i + len("```\n")
	end := strings.Index(text[start:], "```\n")
	if end < 0 {
		t.Fatal("the README's split capture does not end")
	}
	if text[start:start+end] == got {
		return
	}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(text[:start]+got+text[start+end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's split dashboard is not what the test renders (go test ./ui -update rewrites it):\n%s", got)
}

// TestSplitChartsKeepTheirNumbers: at the smallest size, 60x20, each
// side of the split is 29 cells wide: the sparklines give way so that
// every chart's number (the last second's) stays whole on both sides.
func TestSplitChartsKeepTheirNumbers(t *testing.T) {
	a := loadPreset(t, "redis-cache")
	b := a.Clone()
	b.Cache.Disabled = true
	s, _ := newTestSplit(t, a, b, "redis-cache", "redis-cache with cache.enabled=false", 60, 20)
	splitFor(s, 8*time.Second)
	v := splitScreen(s)
	charts := 0
	for _, l := range strings.Split(v, "\n") {
		for _, side := range strings.Split(l, "│") {
			for _, label := range []string{"arrivals/s", "completed/s", "drop x fail !", "p99 latency", "backlog"} {
				if !strings.HasPrefix(side, label) {
					continue
				}
				charts++
				f := strings.Fields(side)
				if last := f[len(f)-1]; strings.Contains(side, "…") || !strings.ContainsAny(last[:1], "0123456789") {
					t.Errorf("the %s chart's number is cut: %q\n%s", label, side, v)
				}
			}
		}
	}
	if charts < 6 {
		t.Errorf("%d charts on the two sides:\n%s", charts, v)
	}
}

// TestSplitNodeLinesWhole: on a side of the split (39 cells at 80
// columns, 29 at 60) every node's line is whole: when it would not be
// beside the clients and the balancer, they stand on a line above it and
// the line narrows (one-cell gaps, no slots, a one-cell backlog bar)
// rather than lose its backlog.
func TestSplitNodeLinesWhole(t *testing.T) {
	naive, atomic := loadPreset(t, "flash-sale-naive"), loadPreset(t, "flash-sale-atomic")
	for _, size := range []struct{ w, h int }{{60, 20}, {80, 24}, {100, 30}, {120, 36}} {
		for _, pair := range []struct {
			name string
			a, b *topology.Topology
		}{
			{"cache", loadPreset(t, "redis-cache"), cacheOff(t)},
			{"flash", naive, atomic},
		} {
			t.Run(fmt.Sprintf("%s-%dx%d", pair.name, size.w, size.h), func(t *testing.T) {
				s, _ := newTestSplit(t, pair.a, pair.b, "A", "B", size.w, size.h)
				splitFor(s, 8*time.Second)
				v := splitScreen(s)
				nodes := 0
				for _, l := range strings.Split(v, "\n") {
					for _, side := range strings.Split(l, "│") {
						if !strings.Contains(side, "node ") {
							continue
						}
						nodes++
						if strings.Contains(side, "…") || !strings.HasSuffix(strings.TrimRight(side, " "), "/100") && !strings.HasSuffix(strings.TrimRight(side, " "), "/200") {
							t.Errorf("a node's line is cut: %q\n%s", side, v)
						}
					}
				}
				if nodes != 4 {
					t.Errorf("%d node lines on the two sides, want 4:\n%s", nodes, v)
				}
			})
		}
	}
}
