package ui

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"scalesim/story"
)

// TestStoryProgram tells a story in a real Bubble Tea program (teatest)
// with the keys a presenter's clicker sends: pgdown three times (the
// first plays step 1, opened paused), pgup, home,
// end, esc and f5, checking after each the step on screen and the
// simulation: the step pgup goes back to is the one pgdown entered, the
// same counters and topology.
func TestStoryProgram(t *testing.T) {
	st, err := story.Load(testStory, "en")
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSyncStepper(st.Topology, st.Seed, 10, true, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: st.Topology, Source: st.Source, Seed: st.Seed, Story: st, Lang: "en", Paused: true}, s, 10, true)
	m.dir = t.TempDir()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	// the program's model is m, on this goroutine's stepper: read it
	// only between what the program has drawn
	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	key := func(k tea.KeyType) { tm.Send(tea.KeyMsg{Type: k}) }

	waitFor("step 1/4")
	key(tea.KeyPgDown) // opened paused at its start: step 1 plays its 10s
	waitFor("step 1/4 done")
	key(tea.KeyPgDown) // step 2 at 10s: its changes, its 10s run, a pause
	waitFor("step 2/4 done")
	key(tea.KeyPgDown) // step 3 at 20s, no run
	waitFor("step 3/4: runs until the next step")
	key(tea.KeyPgUp) // step 2 rebuilt, paused at 10s
	waitFor("step 2/4, rebuilt")
	key(tea.KeyHome)
	waitFor("step 1/4, rebuilt")
	key(tea.KeyEnd)
	waitFor("step 4/4, rebuilt")
	key(tea.KeyEsc)
	key(tea.KeyF5)
	tm.Type("z")
	waitFor("NOTES")
	key(tea.KeyF5)
	key(tea.KeyEsc)
	tm.Type("q")

	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if final.story.step != 3 || !final.paused || final.notesShown() {
		t.Errorf("at the end: step %d, paused %v, notes %v; want step 4, paused, no notes", final.story.step+1, final.paused, final.notesShown())
	}
	// end, after home forgot the clicks, goes to step 4 where the runs
	// before it leave it: steps 1 and 2 run 10s each, step 3 none
	snap := final.frame.Snap
	if snap.Now != 20*time.Second || snap.Topology.App.Nodes != 2 || snap.Topology.App.Workers != 5 {
		t.Errorf("step 4 at %s with %d nodes of %d workers; want 20s, 2 of 5", snap.Now, snap.Topology.App.Nodes, snap.Topology.App.Workers)
	}

	// the same clicks without the program: the same simulation
	fresh, _ := storyModel(t, testStory, "en", 80, 24, true)
	press(fresh, "end")
	if got, want := stateOf(&snap), stateOf(&fresh.frame.Snap); !reflect.DeepEqual(got, want) {
		t.Errorf("the program's step 4:\n%+v\na fresh end:\n%+v", got, want)
	}
	got := screen(final)
	checkScreen(t, got, 80, 24)
	requireGolden(t, "story-program-final-80x24", got)
}
