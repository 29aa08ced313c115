package ui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// TestProgram runs the dashboard as a real Bubble Tea program (teatest),
// paused on the synchronous stepper so that only the keys move it: three
// steps, one more worker, quit.
func TestProgram(t *testing.T) {
	top := fixture(t, "web")
	st, err := newSyncStepper(top, 0, 10, true, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: "web"}, st, 10, true)
	m.dir = t.TempDir()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))

	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("paused")
	tm.Type("...")
	waitFor("0:00:03.0")
	tm.Type("w")
	waitFor("workers 3 → 4")
	tm.Type("q")

	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if final.view.App.Workers != 4 {
		t.Errorf("workers %d, want 4", final.view.App.Workers)
	}
	if final.frame.Snap.Now != 3*time.Second {
		t.Errorf("simulated time %v, want 3s", final.frame.Snap.Now)
	}
	got := screen(final)
	checkScreen(t, got, 100, 30)
	requireGolden(t, "program-final-100x30", got)
}
