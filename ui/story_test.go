package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/story"
)

// storyModel is the dashboard telling the story at path (or a shipped
// story's name) in lang, w×h, on the synchronous stepper at speed 10.
func storyModel(t *testing.T, path, lang string, w, h int, paused bool) (*Model, *syncStepper) {
	t.Helper()
	st, err := story.Load(path, lang)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSyncStepper(st.Topology, st.Seed, 10, paused, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: st.Topology, Source: st.Source, Seed: st.Seed, Story: st, Lang: st.Lang}, s, 10, paused)
	m.dir = t.TempDir()
	m.Update(teaWS(w, h))
	return m, s
}

const testStory = "testdata/story.yaml"

// state is what a test compares of the simulation on screen: its
// clock, its counters, its measured window, the topology in force.
type state struct {
	Now     time.Duration
	Totals  sim.Counts
	Summary sim.Summary
	Workers int
	Nodes   int
	Rate    float64
}

func stateOf(s *sim.Snapshot) state {
	return state{Now: s.Now, Totals: s.Totals, Summary: s.Summary,
		Workers: s.Topology.App.Workers, Nodes: s.Topology.App.Nodes, Rate: s.Topology.Workload.Rate}
}

// checkStep asserts the step on screen (1-based), whether paused, and
// the simulated time.
func checkStep(t *testing.T, m *Model, step int, paused bool, now time.Duration) {
	t.Helper()
	if got := m.story.step + 1; got != step {
		t.Errorf("step %d on screen, want %d", got, step)
	}
	if m.paused != paused {
		t.Errorf("paused %v, want %v", m.paused, paused)
	}
	if got := m.frame.Snap.Now; got != now {
		t.Errorf("simulated time %s, want %s", got, now)
	}
	if h := m.headerView(); !strings.Contains(h, fmt.Sprintf("step %d/%d", step, len(m.story.st.Steps))) {
		t.Errorf("the header does not say step %d/%d: %q", step, len(m.story.st.Steps), h)
	}
	if c := m.captionView(); !strings.Contains(c, m.story.st.Steps[step-1].Caption) {
		t.Errorf("the caption line %q is not step %d's", c, step)
	}
}

// TestStorySteps clicks through a story as a presenter: each step's
// changes at the time of the click, its run and the pause after it; a
// step without a run that runs until the next click; back, to the
// start and to the end, each rebuilt from the start the same as when it
// was first seen; esc and f5 harmless.
func TestStorySteps(t *testing.T) {
	m, _ := storyModel(t, testStory, "en", 80, 24, false)
	checkStep(t, m, 1, false, 0)
	if m.keys.Prev.Enabled() || m.keys.First.Enabled() || !m.keys.Next.Enabled() || m.keys.Record.Enabled() {
		t.Error("at step 1: previous and home should be off, next on, R off")
	}
	runFor(m, 15*time.Second) // step 1 runs 10s, then pauses
	checkStep(t, m, 1, true, 10*time.Second)
	if s := m.frame.Snap; s.Topology.Workload.Rate != 100 || s.Summary.DurationS != 10 {
		t.Errorf("step 1: rate %v over a window of %vs, want 100 over 10s", s.Topology.Workload.Rate, s.Summary.DurationS)
	}

	press(m, "pgdown")
	entered := map[int]state{2: stateOf(&m.frame.Snap)}
	checkStep(t, m, 2, false, 10*time.Second)
	runFor(m, 15*time.Second)
	checkStep(t, m, 2, true, 20*time.Second)
	if w := m.frame.Snap.Topology.App.Workers; w != 5 {
		t.Errorf("step 2: %d workers, want 5", w)
	}

	press(m, "right") // step 3 has no run: it runs until the next click
	entered[3] = stateOf(&m.frame.Snap)
	runFor(m, 7*time.Second)
	checkStep(t, m, 3, false, 27*time.Second)

	press(m, "enter")
	entered[4] = stateOf(&m.frame.Snap)
	runFor(m, 15*time.Second)
	checkStep(t, m, 4, true, 37*time.Second)
	if m.keys.Next.Enabled() || m.keys.Last.Enabled() || !m.keys.Prev.Enabled() {
		t.Error("at the last step: next and end should be off, previous on")
	}
	press(m, "pgdown")
	checkStep(t, m, 4, true, 37*time.Second)
	if s := m.statusView(); !strings.Contains(s, "step 4/4 is the last") {
		t.Errorf("next at the last step says %q", s)
	}

	// back: step 3 rebuilt from the start, paused at its start, as it
	// was when the click entered it
	press(m, "pgup")
	checkStep(t, m, 3, true, 20*time.Second)
	if got := stateOf(&m.frame.Snap); !reflect.DeepEqual(got, entered[3]) {
		t.Errorf("step 3 rebuilt differs from step 3 entered:\n%+v\nwant\n%+v", got, entered[3])
	}
	press(m, "left")
	checkStep(t, m, 2, true, 10*time.Second)
	if got := stateOf(&m.frame.Snap); !reflect.DeepEqual(got, entered[2]) {
		t.Errorf("step 2 rebuilt differs from step 2 entered:\n%+v\nwant\n%+v", got, entered[2])
	}
	press(m, " ") // its run is armed: space plays it and it pauses again
	runFor(m, 15*time.Second)
	checkStep(t, m, 2, true, 20*time.Second)

	// esc and f5, what a clicker sends, change nothing
	before := stateOf(&m.frame.Snap)
	press(m, "z")
	if !m.notesShown() {
		t.Fatal("z does not show the notes")
	}
	press(m, "f5")
	if !m.notesShown() {
		t.Error("f5 closed the notes")
	}
	press(m, "esc", "esc", "f5")
	if m.notesShown() {
		t.Error("esc does not close the notes")
	}
	checkStep(t, m, 2, true, 20*time.Second)
	if got := stateOf(&m.frame.Snap); !reflect.DeepEqual(got, before) {
		t.Error("esc or f5 changed the simulation")
	}

	press(m, "home")
	checkStep(t, m, 1, true, 0)
	fresh, _ := storyModel(t, testStory, "en", 80, 24, true)
	if got, want := stateOf(&m.frame.Snap), stateOf(&fresh.frame.Snap); !reflect.DeepEqual(got, want) {
		t.Errorf("home differs from the story opened paused:\n%+v\nwant\n%+v", got, want)
	}

	// end: the steps not taken since home start where the runs before
	// them end (step 3 has none, so step 4 starts where it does: 20s)
	press(m, "end")
	checkStep(t, m, 4, true, 20*time.Second)
	if s := m.frame.Snap.Topology.App; s.Nodes != 2 || s.Workers != 5 {
		t.Errorf("end: %d nodes of %d workers, want 2 of 5", s.Nodes, s.Workers)
	}
	checkScreen(t, screen(m), 80, 24)

	// r: the step on screen again from the story's start
	press(m, " ")
	runFor(m, 3*time.Second)
	press(m, "r")
	checkStep(t, m, 4, true, 20*time.Second)
	if s := m.statusView(); !strings.Contains(s, "reset: step 4 rebuilt") {
		t.Errorf("r in a story says %q", s)
	}
	// opening another file ends the story
	m.restart(fixture(t, "web"), "web", "you: opened web")
	if m.story != nil || m.keys.Next.Enabled() || strings.Contains(m.headerView(), "step ") || m.captionView() != "" {
		t.Error("another file opened keeps the story")
	}
	runFor(m, time.Second)
	if s := m.frame.Snap.Topology; s.Name != fixture(t, "web").Name {
		t.Errorf("the simulation runs %q", s.Name)
	}
}

// TestStoryOpens: a story opens at step 1, from 0s, playing it, or
// paused at its start, and the status says which and what to press.
func TestStoryOpens(t *testing.T) {
	m, _ := storyModel(t, testStory, "en", 80, 24, false)
	if s := m.statusView(); !strings.Contains(s, "step 1/4: runs 10s, then pauses · z notes · →/pgdn next step") {
		t.Errorf("opened playing, the status says %q", s)
	}
	m, _ = storyModel(t, testStory, "en", 80, 24, true)
	checkStep(t, m, 1, true, 0)
	if s := m.statusView(); !strings.Contains(s, "step 1/4: paused at its start; →/pgdn or space plays its 10s") {
		t.Errorf("opened paused, the status says %q", s)
	}
}

// TestStoryRebuildIsAFreshOne: a step rebuilt after going on and back
// is the simulation a fresh session clicking to that step at the same
// times shows: counters, measured window, topology, series.
func TestStoryRebuildIsAFreshOne(t *testing.T) {
	m, _ := storyModel(t, testStory, "en", 80, 24, false)
	runFor(m, 12*time.Second)
	press(m, "pgdown")
	runFor(m, 12*time.Second)
	press(m, "pgdown")
	runFor(m, 4*time.Second)
	press(m, "pgdown") // step 4 at 24s
	runFor(m, 3*time.Second)
	// step 3 rebuilt; next plays it, next again enters step 4 at 20s
	// (no tick between: the clock has not moved); then step 3 again
	press(m, "pgup", "pgdown", "pgdown", "pgup")
	checkStep(t, m, 3, true, 20*time.Second)

	fresh, _ := storyModel(t, testStory, "en", 80, 24, false)
	runFor(fresh, 12*time.Second)
	press(fresh, "pgdown")
	runFor(fresh, 12*time.Second)
	press(fresh, "pgdown") // step 3 at 20s
	got, want := m.frame.Snap, fresh.frame.Snap
	if !reflect.DeepEqual(stateOf(&got), stateOf(&want)) || !reflect.DeepEqual(got.Series, want.Series) || !reflect.DeepEqual(got.Nodes, want.Nodes) {
		t.Errorf("step 3 rebuilt:\n%+v\na fresh session's step 3:\n%+v", stateOf(&got), stateOf(&want))
	}
}

// TestGoldenStory renders a story's second step, its caption on a line
// of its own and "step 2/4" in the header, in English at 80x24 and
// 160x48, in Traditional Chinese at 80x24 (the caption measured in
// columns, two to a CJK character) and at 60x20, where the longest
// caption is cut with an ellipsis at a character; the notes in both
// languages; and the presentation layout of a story.
func TestGoldenStory(t *testing.T) {
	drawingOnly(t)
	cases := []struct {
		name, lang string
		w, h       int
		keys       []string
	}{
		{"story-en-80x24", "en", 80, 24, nil},
		{"story-en-160x48", "en", 160, 48, nil},
		{"story-zh-TW-80x24", "zh-TW", 80, 24, nil},
		{"story-zh-TW-60x20", "zh-TW", 60, 20, []string{"pgup"}},
		{"story-notes-en-80x24", "en", 80, 24, []string{"z"}},
		{"story-notes-zh-TW-80x24", "zh-TW", 80, 24, []string{"pgup", "z"}},
		{"story-present-en-80x24", "en", 80, 24, []string{"v"}},
		{"story-present-zh-TW-80x23", "zh-TW", 80, 23, []string{"v"}},
		{"story-present-en-160x48", "en", 160, 48, []string{"v"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := storyModel(t, testStory, c.lang, c.w, c.h, false)
			runFor(m, 12*time.Second)
			press(m, "pgdown")
			runFor(m, 6*time.Second)
			press(m, c.keys...)
			got := screen(m)
			checkScreen(t, got, c.w, c.h)
			if !strings.Contains(got, "step ") {
				t.Error("no step k/N on the screen")
			}
			for i, l := range splitLines(got) {
				if strings.HasPrefix(l, " ") && strings.Contains(l, "…") && !strings.HasSuffix(l, "…") {
					t.Errorf("line %d: a caption cut is not at the end: %q", i+1, l)
				}
			}
			requireGolden(t, c.name, got)
		})
	}
}

// TestCaptionCut: a caption wider than the terminal is cut at a whole
// character with an ellipsis, on one line, whatever the widths of its
// characters.
func TestCaptionCut(t *testing.T) {
	m, _ := storyModel(t, testStory, "zh-TW", 60, 20, true)
	caption := m.story.current().Caption
	if width(caption) <= 60 {
		t.Fatalf("the test caption is %d wide: no cut at 60", width(caption))
	}
	for _, w := range []int{60, 61, 62, 63, 70, 77, 80} {
		m.Update(teaWS(w, 20))
		got := m.captionView()
		if strings.Contains(got, "\n") || width(got) > w {
			t.Errorf("at %d: the caption is %d wide or more than a line: %q", w, width(got), got)
		}
		switch {
		case width(caption)+1 <= w && strings.Contains(got, "…"):
			t.Errorf("at %d: cut though it fits: %q", w, got)
		case width(caption)+1 > w && (!strings.HasSuffix(strings.TrimRight(got, " "), "…") || !strings.HasPrefix(caption, strings.TrimSuffix(strings.TrimSpace(got), "…"))):
			t.Errorf("at %d: not the caption's start and an ellipsis: %q", w, got)
		}
	}
	lines := wrapCells("每個同步 worker 在整個頁面期間都佔著它的請求，包括等待 I/O 的時間。", 20)
	for _, l := range lines {
		if width(l) > 20 {
			t.Errorf("wrapped line %q is %d wide", l, width(l))
		}
	}
	if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll("每個同步 worker 在整個頁面期間都佔著它的請求，包括等待 I/O 的時間。", " ", "") {
		t.Errorf("wrapping lost or broke characters: %q", lines)
	}
	if got := joinWords([]string{"做。", "一個", "API", "的"}); got != "做。一個 API 的" {
		t.Errorf("joinWords: %q", got)
	}
}

// TestStoryOnRunner tells the story on the goroutine runner, paced by
// the wall clock at 1000x: each step's run ends in a pause the
// dashboard takes, at the run's end exactly, and a rebuild lands paused
// at its step's start.
func TestStoryOnRunner(t *testing.T) {
	st, err := story.Load(testStory, "en")
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRunner(st.Topology, st.Seed, 1000, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := newModel(Options{Topology: st.Topology, Source: st.Source, Seed: st.Seed, Story: st}, r, 1000, false)
	m.Update(teaWS(80, 24))
	await := func(what string, ok func() bool) {
		t.Helper()
		for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			ticks(m, 1)
			if ok() {
				return
			}
		}
		t.Fatalf("no %s: step %d, paused %v, at %s", what, m.story.step+1, m.paused, m.frame.Snap.Now)
	}
	await("pause at the end of step 1's run", func() bool { return m.paused })
	checkStep(t, m, 1, true, 10*time.Second)
	press(m, "pgdown")
	await("pause at the end of step 2's run", func() bool { return m.paused && m.frame.Snap.Now > 10*time.Second })
	checkStep(t, m, 2, true, 20*time.Second)
	press(m, "pgup")
	await("step 1 rebuilt", func() bool { return m.frame.Gen == m.gen && m.frame.Snap.Now == 0 })
	checkStep(t, m, 1, true, 0)
	press(m, " ")
	await("pause at the end of step 1's run again", func() bool { return m.paused && m.frame.Snap.Now > 0 })
	checkStep(t, m, 1, true, 10*time.Second)
}

// TestStoryRebuildSuperseded: on the runner, a rebuild a later one
// replaces is given up, and the screen says it is rebuilding until the
// last one's first frame.
func TestStoryRebuildSuperseded(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds 9 simulated minutes of the tour three times")
	}
	st, err := story.Load("tour", "en")
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRunner(st.Topology, st.Seed, 1000, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := newModel(Options{Topology: st.Topology, Source: st.Source, Seed: st.Seed, Story: st, Paused: true}, r, 1000, true)
	m.Update(teaWS(80, 24))
	press(m, "end", "pgup", "pgup") // three rebuilds queued; the last wins
	if s := m.statusView(); !strings.Contains(s, "rebuilding step 20 from the story's start") {
		t.Errorf("while rebuilding the status says %q", s)
	}
	want := st.Start(19)
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && m.frame.Gen != m.gen; time.Sleep(5 * time.Millisecond) {
		ticks(m, 1)
	}
	checkStep(t, m, 20, true, want)
	if s := m.statusView(); !strings.Contains(s, "step 20/22, rebuilt from the start") {
		t.Errorf("rebuilt, the status says %q", s)
	}
}

// TestNextPlaysAStepPausedAtItsStart: a step rebuilt by previous (or
// opened paused) waits at its start with its run to play; a clicker has
// no space bar, so next plays it, exactly its run, and only the next
// click enters the step after. Once the presenter has played or stepped
// it, next goes on.
func TestNextPlaysAStepPausedAtItsStart(t *testing.T) {
	m, _ := storyModel(t, testStory, "en", 80, 24, false)
	runFor(m, 12*time.Second)
	press(m, "pgdown")
	runFor(m, 15*time.Second) // step 2 from 10s to 20s
	press(m, "pgdown")        // step 3, no run
	runFor(m, 3*time.Second)
	press(m, "pgup")
	checkStep(t, m, 2, true, 10*time.Second)
	press(m, "pgdown")
	checkStep(t, m, 2, false, 10*time.Second)
	if s := m.statusView(); !strings.Contains(s, "step 2/4: runs 10s, then pauses") {
		t.Errorf("next on a rebuilt step says %q", s)
	}
	runFor(m, 15*time.Second)
	checkStep(t, m, 2, true, 20*time.Second) // its whole run, then the pause
	press(m, "pgdown")
	checkStep(t, m, 3, false, 20*time.Second)

	// played by hand, then paused mid-run: next goes on from there
	press(m, "pgup")
	checkStep(t, m, 2, true, 10*time.Second)
	press(m, " ")
	runFor(m, 3*time.Second)
	press(m, " ")
	at := m.frame.Snap.Now
	press(m, "right")
	checkStep(t, m, 3, false, at)

	// opened paused: next plays step 1
	m, _ = storyModel(t, testStory, "en", 80, 24, true)
	if s := m.statusView(); !strings.Contains(s, "→/pgdn or space plays its 10s") {
		t.Errorf("opened paused, the status says %q", s)
	}
	press(m, "enter")
	runFor(m, 15*time.Second)
	checkStep(t, m, 1, true, 10*time.Second)
	press(m, "enter")
	checkStep(t, m, 2, false, 10*time.Second)
}

// TestRebuildShowsNoStaleTime: until a rebuild's first frame, the screen
// is the last frame before it, another step's; its clock beside the new
// step's badge would be a wrong time, so the header shows none.
func TestRebuildShowsNoStaleTime(t *testing.T) {
	m, _ := storyModel(t, testStory, "en", 80, 24, false)
	runFor(m, 12*time.Second)
	press(m, "pgdown")
	runFor(m, 15*time.Second)
	press(m, "pgdown")
	runFor(m, 3*time.Second)
	old := clock(m.frame.Snap.Now)
	m.goStep(1, false) // as pgup does, before the rebuild's first frame
	if h := m.headerView(); strings.Contains(h, old) || !strings.Contains(h, "step 2/4") || !strings.Contains(h, "t -:--:--.-") {
		t.Errorf("rebuilding step 2, the header says %q (the last frame's time %s)", h, old)
	}
	if w, want := width(m.headerView()), 80; w != want {
		t.Errorf("the header is %d cells while rebuilding, want %d", w, want)
	}
	ticks(m, 1)
	if h := m.headerView(); !strings.Contains(h, "t 0:00:10.0") {
		t.Errorf("rebuilt, the header says %q, want step 2's start, 0:00:10.0", h)
	}
}
