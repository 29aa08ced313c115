package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/topology"
)

// splitModel is the split dashboard: two designs, A and B, side by side
// at the same simulated time, each a dashboard of its own (a Model with
// its diagram and charts) drawn at half the width. One clock drives both
// (see split_stepper.go): pause, step and speed act on both. Every other
// key goes to the focused side; tab moves the focus, F forks A's
// topology into B, to edit B live beside the A it came from, and r
// starts both again at 0.
type splitModel struct {
	ctx    *programContext
	sides  [2]*Model
	focus  int
	pair   pairStepper
	forked bool // B is a fork of A

	tickID  int
	ticking bool
	idle    int

	body     string
	quitting bool
}

// SplitOptions start the split dashboard.
type SplitOptions struct {
	// A and B are the designs; both must be valid.
	A, B *topology.Topology
	// SourceA and SourceB are where they came from, for their titles.
	SourceA, SourceB string
	// Seed overrides both topologies' seeds when non-zero.
	Seed   uint64
	Speed  float64
	Paused bool
}

// newSplitModel builds the split dashboard around a pair already
// running opts's designs.
func newSplitModel(opts SplitOptions, pair pairStepper, speed float64, paused bool) *splitModel {
	s := &splitModel{ctx: newProgramContext(noColorEnv()), pair: pair}
	srcs := [2]string{opts.SourceA, opts.SourceB}
	for i, t := range []*topology.Topology{opts.A, opts.B} {
		m := newModel(Options{Topology: t, Source: srcs[i]}, sideStepper{pair, i}, speed, paused)
		m.split = true
		m.updateKeys()
		s.sides[i] = m
	}
	s.sides[0].setStatus(statusInfo, "keys act on A: tab switches to B, F forks A into B to edit it")
	return s
}

// Init starts the frame ticks.
func (s *splitModel) Init() tea.Cmd { return s.wake() }

// Update handles a message.
func (s *splitModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.ctx.width, s.ctx.height = msg.Width, msg.Height
		for _, m := range s.sides {
			// a side's status, prompts, picker and help take the
			// whole width; its panes are drawn at half
			m.ctx.width, m.ctx.height = msg.Width, msg.Height
			m.help.Width = msg.Width
		}
	case tickMsg:
		if msg.id != s.tickID {
			return s, nil
		}
		cmd = s.onTick()
	case tea.KeyMsg:
		if s.tooSmall() && msg.Type != tea.KeyCtrlC && msg.String() != "q" {
			return s, nil
		}
		var cmds []tea.Cmd
		for _, k := range splitRunes(msg) {
			cmds = append(cmds, s.onKey(k))
			if s.quitting {
				return s, tea.Batch(cmds...)
			}
		}
		cmd = tea.Batch(append(cmds, s.wake())...)
	default:
		_, cmd = s.sides[s.focus].Update(msg) // the picker's messages
	}
	s.render()
	return s, cmd
}

// onTick moves both sides one frame on; while paused with nothing new
// for a while, the ticks stop until the next key.
func (s *splitModel) onTick() tea.Cmd {
	s.pair.Tick()
	polled := false
	for _, m := range s.sides {
		if m.poll() {
			polled = true
		}
	}
	if polled || !s.sides[0].paused {
		s.idle = 0
	} else if s.idle++; s.idle >= idleTicks {
		s.ticking = false
		return nil
	}
	return s.tick()
}

func (s *splitModel) wake() tea.Cmd {
	s.idle = 0
	if s.ticking {
		return nil
	}
	s.ticking = true
	s.tickID++
	return s.tick()
}

func (s *splitModel) tick() tea.Cmd {
	id := s.tickID
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return tickMsg{id: id} })
}

// onKey gives a key to the split (tab, F, r) or to the focused side.
// An open picker, prompt, help, about or theory pane has every key but
// ctrl+c.
func (s *splitModel) onKey(k tea.KeyMsg) tea.Cmd {
	f := s.sides[s.focus]
	if k.Type == tea.KeyCtrlC {
		return s.quit()
	}
	var cmd tea.Cmd
	switch {
	case f.prompt.kind != promptNone || ownsScreen(f):
		cmd = f.onKey(k)
	case matches(k, f.keys.Focus):
		s.focus = 1 - s.focus
		s.sides[s.focus].setStatus(statusOK, "keys act on %s now", sideName(s.focus))
	case matches(k, f.keys.Fork):
		s.fork()
	case matches(k, f.keys.Reset):
		for _, m := range s.sides {
			m.restart(m.userTopology(), m.source, "you: reset")
			m.poll()
		}
		s.sides[s.focus].setStatus(statusOK, "reset: both sides start again at 0 with your edits, same seed")
	default:
		cmd = f.onKey(k)
	}
	if f.quitting {
		s.quitting = true
		return cmd
	}
	// the clock is both sides': what the focused side's keys did to
	// pause and speed, the other shows too
	o := s.sides[1-s.focus]
	o.paused, o.speedIdx = s.sides[s.focus].paused, s.sides[s.focus].speedIdx
	o.updateKeys()
	o.poll() // a step moved it too
	return cmd
}

// fork makes B a copy of A's topology with the user's edits, simulated
// from 0 up to the clock on the same seed, and moves the focus to it.
func (s *splitModel) fork() {
	if s.focus != 0 {
		s.sides[1].setStatus(statusInfo, "F copies A into B: tab to A first")
		return
	}
	a, b := s.sides[0], s.sides[1]
	b.restart(a.userTopology(), a.source, "you: forked from A")
	b.poll()
	s.forked, s.focus = true, 1
	b.setStatus(statusOK, "B is a fork of A, brought up to the clock: edit it here; tab goes back to A")
}

func (s *splitModel) quit() tea.Cmd {
	s.quitting = true
	s.pair.Close()
	return tea.Quit
}

// tooSmall reports whether the terminal is below the smallest the
// dashboard draws at.
func (s *splitModel) tooSmall() bool {
	w, h := s.ctx.width, s.ctx.height
	return w > 0 && h > 0 && (w < minWidth || h < minHeight)
}

// sideName is "A" or "B".
func sideName(i int) string { return string(rune('A' + i)) }

// ownsScreen reports whether side m has a pane open that takes the whole
// screen and every key: its picker, help, about or theory pane.
func ownsScreen(m *Model) bool {
	return m.picker != nil || m.help.ShowAll || m.about || m.theory
}
