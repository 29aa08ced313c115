package ui

import (
	"fmt"
	"time"

	"scalesim/story"
	"scalesim/topology"
)

// The engine's side of a story (see story.go): which steps were entered
// at what simulated time in this session, a step's changes applied as a
// key's are (sim.Do, a new measured window), the end of a step's run
// where the simulation pauses itself, and the rebuild of a step from the
// story's start.

// storyRun is the story the engine's simulation tells.
type storyRun struct {
	st *story.Story
	// starts[i] is when step i began in this session, for the steps up
	// to the current one
	starts []time.Duration
}

// startOf is when step k begins: when it did in this session, else
// where the steps before it leave it (the previous step's start and
// run), as a presenter clicking at the end of each run would have it.
func (r *storyRun) startOf(k int) time.Duration {
	if k < len(r.starts) {
		return r.starts[k]
	}
	if k == 0 {
		return 0
	}
	return r.startOf(k-1) + r.st.Steps[k-1].Run
}

// stepNote is what the log says of entering step k.
func stepNote(st *story.Story, k int) string {
	return fmt.Sprintf("story: step %d/%d · %s", k+1, len(st.Steps), st.Steps[k].Caption)
}

// enterStep applies step k's changes now, as the presenter's next
// click, and starts its measured window; with a run, the simulation runs
// that long and pauses; either way it runs.
func (e *engine) enterStep(k int) {
	r := e.story
	if r == nil || k < 0 || k >= len(r.st.Steps) {
		return
	}
	now := e.now()
	r.starts = append(r.starts[:min(k, len(r.starts))], now)
	e.guard(func() { e.applyStep(k) })
	e.paused = false
	e.arm(k)
}

// applyStep makes step k's changes with sim.Do (Source story), starts a
// new measured window, so that the numbers on screen are the step's as
// the story's claims measure them, and notes the step in the log. A
// change the simulation refuses is said once and stops the step's
// others, as a key's would.
func (e *engine) applyStep(k int) {
	st := e.story.st
	for _, c := range st.Steps[k].Changes {
		c.Source = topology.SourceStory
		if _, err := e.sim.Do(c); err != nil {
			e.err = "step " + itoa(k+1) + " refused: " + errText(err)
			break
		}
		e.rec.change(e.sim.Now(), c)
	}
	e.sim.ResetStats()
	e.note(stepNote(st, k))
}

// arm sets where step k's run ends (none without a run).
func (e *engine) arm(k int) {
	e.stopAt = 0
	if run := e.story.st.Steps[k].Run; run > 0 {
		e.stopAt = e.story.startOf(k) + run
	}
}

// storyGo does opStoryGo: it ends a recording, as a reset does, and
// rebuilds the step; advance runs the simulation to a time.
func (e *engine) storyGo(o op, advance func(time.Duration) bool) {
	e.seq = o.seq
	e.err = e.rec.stop()
	e.rebuildStep(o, advance)
}

// rebuildStep replaces the simulation by a fresh one of the story (same
// seed) taken to the start of step k: each step up to k entered at its
// time in this session (or where the steps before it leave it), its
// changes applied as the click applied them. The same starts give the
// same simulation, however often it is rebuilt. It is left paused at
// the start of step k, its run armed (space plays it), unless play.
// advance runs the simulation to a time (the runner's in chunks), and
// reports false when the rebuild is to be given up.
func (e *engine) rebuildStep(o op, advance func(time.Duration) bool) {
	r := &storyRun{st: o.story}
	if e.story != nil && e.story.st == o.story {
		r.starts = e.story.starts
	}
	starts := make([]time.Duration, o.step+1)
	for i := range starts {
		starts[i] = r.startOf(i)
	}
	s, err := newSim(o.topology, e.seed, e.second)
	if err != nil {
		e.err = err.Error()
		return
	}
	e.rec.start(nil)
	e.check = nil
	e.sim, e.gen, e.behind, e.crashed = s, o.gen, false, ""
	e.story = &storyRun{st: o.story, starts: starts}
	for i, at := range starts {
		if !advance(at) {
			e.paused = true // given up: replaced, stopped, or too long
			return
		}
		e.guard(func() { e.applyStep(i) })
	}
	e.paused = !o.play
	e.arm(o.step)
}

// until is where the simulation may run to on its way to target: no
// further than the end of a step's run.
func (e *engine) until(target time.Duration) time.Duration {
	if e.stopAt > 0 && target > e.stopAt {
		return e.stopAt
	}
	return target
}

// hold pauses the simulation once it has reached the end of a step's
// run.
func (e *engine) hold() {
	if e.stopAt > 0 && e.now() >= e.stopAt {
		e.stopAt = 0
		e.paused = true
	}
}
