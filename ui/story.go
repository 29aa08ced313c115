package ui

import "scalesim/story"

// Story mode (scalesim story NAME): the dashboard tells a story, a step
// at a time, as a presenter clicks. The current step's caption is a
// line of its own, "step k/N" is in the header, z shows its notes.
//
//   - Next (→, pgdn, enter: what a clicker sends) enters the next step:
//     its changes now, through the path a key's take (sim.Do, Source
//     story, a new measured window, the log), and the clock runs; with
//     a run: it runs that long and pauses itself. On a step paused at
//     its start (rebuilt, or opened paused), Next plays it first, as
//     space does: a clicker has no space bar, and the step's run is
//     what the room came back to see.
//   - Previous (←, pgup) rebuilds the step before from the story's
//     start: a fresh simulation with the same seed, each earlier step
//     entered at the simulated time it was in this session (a step never
//     reached, where the steps before leave it), shown paused at the
//     start of the step with its run ready: next or space plays it. The same
//     clicks give the same simulation, so going back shows what was
//     seen.
//   - Home rebuilds the first step, End the last.
//
// Keys the presenter presses meanwhile (w, +, ...) change the
// simulation as ever; a rebuild replays the story's changes, not
// those. The engine's side is in story_engine.go, the drawing in
// story_view.go.

// storyMode is the dashboard's side of the story: the step on screen.
type storyMode struct {
	st    *story.Story
	step  int  // 0-based
	notes bool // the step's notes are shown (z)
	// rebuilding is the generation of a rebuild whose first frame has
	// not come yet (0: none); done is the status it will then show
	rebuilding int
	done       string
	// ready is set while the step on screen waits at its start, paused
	// with its run still to play: rebuilt, or opened paused
	ready bool
}

// newStoryMode starts telling st, or returns nil when st is nil or has
// no steps.
func newStoryMode(st *story.Story) *storyMode {
	if st == nil || len(st.Steps) == 0 {
		return nil
	}
	return &storyMode{st: st}
}

// current is the step on screen.
func (s *storyMode) current() story.Step { return s.st.Steps[s.step] }

// nextStep enters the step after the one on screen.
func (m *Model) nextStep() {
	s := m.story
	if s.ready && m.paused {
		// the step on screen has not played yet: play it
		s.ready = false
		m.paused = false
		m.pace()
		m.updateKeys()
		s.done = m.stepStatus(true)
		m.setStatus(statusOK, "%s", s.done)
		return
	}
	if s.step+1 >= len(s.st.Steps) {
		return
	}
	s.ready = false
	s.step++
	m.paused = false
	m.do(op{kind: opStoryStep, step: s.step})
	m.setStatus(statusOK, "%s", m.stepStatus(true))
}

// goStep rebuilds step k from the story's start, paused at its start,
// or playing it when play.
func (m *Model) goStep(k int, play bool) {
	s := m.story
	k = max(0, min(k, len(s.st.Steps)-1))
	s.step = k
	m.rec.on = "" // a rebuild ends a recording, as a reset does
	m.gen++
	t := s.st.Topology
	m.started, m.view, m.sent, m.edits = t, t, nil, nil
	m.remember()
	m.dbLead = dbTiered(t)
	m.paused = !play
	s.ready = !play
	m.updateKeys()
	m.do(op{kind: opStoryGo, topology: t.Clone(), gen: m.gen, story: s.st, step: k, play: play})
	// the screen keeps the last frame until the rebuild's first: say so
	s.rebuilding, s.done = m.gen, m.stepStatus(play)
	m.setStatus(statusInfo, "rebuilding step %d from the story's start…", k+1)
}

// rebuilt takes the first frame of a rebuild: the status says where the
// story now is.
func (m *Model) rebuilt(f Frame) {
	if s := m.story; s != nil && s.rebuilding != 0 && f.Gen >= s.rebuilding {
		s.rebuilding = 0
		m.setStatus(statusOK, "%s", s.done)
	}
}

// leaveStart notes that the clock has moved on from a step's start (the
// presenter played or stepped it): Next then enters the next step.
func (m *Model) leaveStart() {
	if m.story != nil {
		m.story.ready = false
	}
}

// openStatus is the status a story opens with: step 1, playing or
// paused at its start, and the keys a presenter needs.
func (m *Model) openStatus(playing bool) string {
	s := m.story
	text := "step 1/" + itoa(len(s.st.Steps))
	run := s.current().Run
	switch {
	case playing && run > 0:
		text += ": runs " + shortDur(run) + ", then pauses"
	case playing:
		text += ": runs until the next step"
	case run > 0:
		return text + ": paused at its start; →/pgdn or space plays its " + shortDur(run) + " · z notes"
	default:
		return text + ": paused at its start; →/pgdn or space runs it · z notes"
	}
	return text + " · z notes · →/pgdn next step"
}

// stepStatus says where the story is: the step entered, its run, what
// the keys do next.
func (m *Model) stepStatus(playing bool) string {
	s := m.story
	st := s.current()
	text := "step " + itoa(s.step+1) + "/" + itoa(len(s.st.Steps))
	switch {
	case playing && st.Run > 0:
		text += ": runs " + shortDur(st.Run) + ", then pauses"
	case playing:
		text += ": runs until the next step"
	case st.Run > 0:
		text += ", rebuilt from the start: paused; →/pgdn or space plays its " + shortDur(st.Run)
	default:
		text += ", rebuilt from the start: paused; →/pgdn or space runs it"
	}
	return text
}

// heldPause takes a pause the simulation made itself, at the end of a
// step's run, once the frame has seen every operation sent.
func (m *Model) heldPause(f Frame) {
	if m.story == nil || f.Gen != m.gen || f.Seq != m.opSeq || !f.Paused || m.paused {
		return
	}
	m.paused = true
	m.updateKeys()
	last := m.story.step == len(m.story.st.Steps)-1
	if last {
		m.setStatus(statusOK, "step %d/%d done: the end of the story; ←/pgup goes back, home to the start", m.story.step+1, len(m.story.st.Steps))
	} else {
		m.setStatus(statusOK, "step %d/%d done: paused; →/pgdn the next step", m.story.step+1, len(m.story.st.Steps))
	}
}

// notesShown reports whether the step's notes are on screen.
func (m *Model) notesShown() bool { return m.story != nil && m.story.notes }

// closeNotes closes the step's notes, if open.
func (m *Model) closeNotes() {
	if m.story != nil {
		m.story.notes = false
	}
}
