package ui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestSplitProgram runs the split dashboard as a real Bubble Tea program
// (teatest), paused on the synchronous pair so that only the keys move
// it: a step, tab to B and one worker fewer there, tab back, F to fork A
// into B, a step, quit.
func TestSplitProgram(t *testing.T) {
	a, b := fixture(t, "web"), fixture(t, "web")
	p, err := newSyncPair(a, b, 0, 10, true, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	s := newSplitModel(SplitOptions{A: a, B: b, SourceA: "web", SourceB: "web too"}, p, 10, true)
	for _, m := range s.sides {
		m.dir = t.TempDir()
	}
	tm := teatest.NewTestModel(t, s, teatest.WithInitialTermSize(80, 24))
	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("paused")
	tm.Type(".")
	waitFor("0:00:01.0")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor("keys act on B now")
	tm.Type("W")
	waitFor("workers 3 → 2")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	waitFor("keys act on A now")
	tm.Type("F")
	waitFor("B is a fork of A")
	tm.Type(".")
	waitFor("0:00:02.0")
	tm.Type("q")

	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*splitModel)
	if final.focus != 1 || !final.forked {
		t.Errorf("focus %d, forked %v: want B, forked", final.focus, final.forked)
	}
	for i, m := range final.sides {
		if m.view.App.Workers != 3 || m.frame.Snap.Now != 2*time.Second {
			t.Errorf("side %s: %d workers at %v, want 3 at 2s", sideName(i), m.view.App.Workers, m.frame.Snap.Now)
		}
	}
	got := splitScreen(final)
	checkScreen(t, got, 80, 24)
}
