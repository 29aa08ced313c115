package ui

import (
	"fmt"
	"strings"
	"time"

	"scalesim/record"
	"scalesim/sim"
	"scalesim/topology"
)

// engine is a simulation with what is needed to pace and rebuild it. It
// belongs to one goroutine at a time (the runner's, or the test's).
type engine struct {
	sim    *sim.Sim
	seed   uint64 // the seed override (0: the topology's)
	gen    int
	speed  float64
	paused bool

	behind   bool
	achieved float64
	err      string // the failure of an operation since the last frame
	refused  bool   // an edit was refused since the last frame
	seq      int    // the last operation's number

	// crashed is set when the simulation panicked: it is stopped, the
	// last good snapshot stays on screen with the reason, and only a
	// reset or an open starts a new one.
	crashed string
	last    sim.Snapshot

	rec   recording    // the session being recorded, if any
	check *replayCheck // the replay's checksums being compared, if any

	story  *storyRun     // the story told, if any (story_engine.go)
	stopAt time.Duration // > 0: pause here, the end of a step's run
}

func newEngine(t *topology.Topology, seed uint64, speed float64, paused bool) (*engine, error) {
	e := &engine{seed: seed, speed: speed, paused: paused}
	s, err := newSim(t, seed, e.second)
	if err != nil {
		return nil, err
	}
	e.sim = s
	return e, nil
}

// newSim starts a simulation of t for the dashboard: no warm-up (every
// edit starts a new measured window instead, and so does every recorded
// edit a replay makes, at its recorded time), two minutes of series;
// onSecond sees each simulated second.
func newSim(t *topology.Topology, seed uint64, onSecond func(sim.Second)) (*sim.Sim, error) {
	return sim.New(t, sim.Options{Seed: seed, SeriesLen: seriesLen, OnSecond: onSecond, WindowOn: record.SourceReplay})
}

// seriesLen is how many simulated seconds the charts can show.
const seriesLen = 120

// guard runs f on the simulation; a panic stops the simulation instead
// of the program (which would leave the terminal in the alternate
// screen when it happens on the runner's goroutine).
func (e *engine) guard(f func()) {
	if e.crashed != "" {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			e.stop(r)
		}
	}()
	f()
}

// stop marks the simulation stopped by the panic p.
func (e *engine) stop(p any) {
	e.crashed = fmt.Sprint(p)
	e.err = "the simulation stopped: " + e.crashed + " (r restarts it)"
}

// advance runs the simulation to until, unless it has crashed.
func (e *engine) advance(until time.Duration) {
	e.guard(func() { e.sim.Advance(until) })
}

// advanceBudget runs the simulation towards until for at most maxEvents
// events, and reports whether it got there (a stopped simulation does
// not move, and gets nowhere).
func (e *engine) advanceBudget(until time.Duration, maxEvents uint64) bool {
	reached := false
	e.guard(func() { reached = e.sim.AdvanceBudget(until, maxEvents) })
	return reached
}

// now is the simulated time.
func (e *engine) now() time.Duration { return e.sim.Now() }

// do applies o. Every change of the system starts a new measured window,
// so the stations table describes the configuration on screen.
func (e *engine) do(o op) {
	e.seq = o.seq
	if o.kind == opStoryGo {
		e.storyGo(o, func(t time.Duration) bool { e.advance(t); return e.crashed == "" })
		return
	}
	if o.kind == opReset || o.kind == opRecordStop {
		e.err = e.rec.stop()
	}
	if o.kind == opRecordStop {
		return
	}
	if o.kind == opReset {
		s, err := newSim(o.topology, e.seed, e.second)
		if err != nil {
			e.err = err.Error()
			return
		}
		e.rec.start(o.rec)
		e.check = newReplayCheck(o.verify)
		e.sim, e.gen, e.behind, e.crashed = s, o.gen, false, ""
		e.story, e.stopAt = nil, 0
		e.note(o.note)
		return
	}
	if o.kind == opPace {
		e.speed, e.paused = o.speed, o.paused
		if e.paused {
			e.behind = false
		}
		return
	}
	if o.kind == opStoryStep {
		e.enterStep(o.step)
		return
	}
	e.guard(func() {
		switch o.kind {
		case opChanges:
			e.apply(o)
		case opStep:
			e.sim.Advance(e.sim.Now() + stepSize)
		}
	})
	e.hold() // a step may reach the end of a story step's run
}

// apply makes a user's changes with sim.Do, in order, stopping at the
// first the simulation refuses (it says why, and that one changes
// nothing). Once any applied, a new measured window begins, so that the
// stations table describes the configuration on screen, and the log says
// what the user did: the op's note, in the dashboard's words, else what
// the simulation said it did. (The simulation's own entries for the
// changes, of Source key, say the same, and the log pane leaves them
// out.)
func (e *engine) apply(o op) {
	var did []string
	for _, c := range o.changes {
		msg, err := e.sim.Do(c)
		if err != nil {
			e.err, e.refused = "refused: "+errText(err), true
			break
		}
		did = append(did, msg)
		e.rec.change(e.sim.Now(), c)
	}
	if err := e.rec.err(); err != "" {
		e.err = err
	}
	if len(did) == 0 {
		return
	}
	e.sim.ResetStats()
	if o.note == "" {
		o.note = "you: " + strings.Join(did, "; ")
	}
	e.note(o.note)
}

// second is the simulation's OnSecond: a closed second for the
// recording's checksums and the replay's.
func (e *engine) second(s sim.Second) {
	e.rec.second(s)
	e.check.second(s)
}

func (e *engine) note(text string) {
	if text != "" {
		e.sim.Note(text)
	}
}

// frame reads the simulation for display. An operation's error goes
// out with one frame only (the first one after it, even when more
// operations followed).
func (e *engine) frame() Frame {
	e.guard(func() { e.last = e.sim.Snapshot() })
	f := Frame{Gen: e.gen, Snap: e.last, Behind: e.behind, Achieved: e.achieved, Err: e.err, Refused: e.refused, Seq: e.seq, Stopped: e.crashed, Verdict: e.check.verdict(), Paused: e.paused}
	e.err, e.refused = "", false
	return f
}
