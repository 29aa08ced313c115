package ui

import (
	"time"

	"scalesim/record"
	"scalesim/sim"
	"scalesim/story"
	"scalesim/topology"
)

// A Stepper owns the simulation for the model: it applies the model's
// operations to it, moves simulated time forward, and hands back Frames.
// The model never touches a *sim.Sim itself.
//
// The runner (runner.go) advances the simulation in its own goroutine,
// paced to the wall clock; the syncStepper advances a fixed simulated
// amount per Tick on the caller's goroutine, so that tests and golden
// screens do not depend on the wall clock.
type Stepper interface {
	// Do applies op to the simulation: at once, or soon, in order.
	Do(op op)
	// Tick tells the stepper that one UI frame of wall-clock time has
	// passed (the runner keeps its own time and ignores it).
	Tick()
	// Frame returns the newest frame, and false when there is none newer
	// than the last one returned.
	Frame() (Frame, bool)
	// Close stops the simulation.
	Close()
}

// Frame is what the model draws: a snapshot of the simulation plus how
// the stepper is keeping up.
type Frame struct {
	// Gen is the generation of the simulation (bumped by every reset or
	// open), so a frame of a simulation replaced since can be dropped.
	Gen  int
	Snap sim.Snapshot
	// Behind is set when the simulation cannot keep up with the
	// requested speed; Achieved is then the speed it does reach.
	Behind   bool
	Achieved float64
	// Err is the last operation's failure, if any.
	Err string
	// Refused is set when the simulation refused a live edit (Err says
	// why): it still runs Snap.Topology.
	Refused bool
	// Seq is the number of the last operation done (see op.seq).
	Seq int
	// Stopped is why the simulation stopped (it panicked), if it did.
	Stopped string
	// Verdict is how a replay compares with its recording's checksums so
	// far; nil when the simulation is no replay.
	Verdict *record.Verdict
	// Paused is whether the simulation is paused: as the last pace asked,
	// or since it paused itself at the end of a story step's run.
	Paused bool
}

// opKind is what an operation does.
type opKind int

const (
	opChanges    opKind = iota // apply Changes now, a user's: a new measured window begins
	opPace                     // set Speed and Paused
	opStep                     // advance one simulated second
	opReset                    // start a fresh simulation of Topology as Gen (record it to rec, check it against verify, if set)
	opRecordStop               // end the recording
	opStoryStep                // enter story step Step now: its changes, its run
	opStoryGo                  // rebuild Story from its start to the start of step Step, as Gen
)

// op is one operation on the simulation.
type op struct {
	kind opKind
	// changes are what a key asks of the simulation, in the one
	// vocabulary of changes (topology.Change), applied with sim.Do.
	changes  []topology.Change
	topology *topology.Topology // opReset's
	rec      *record.Writer     // opReset's: record the new simulation
	verify   *record.Recording  // opReset's: check the new simulation against this replay's checksums
	note     string             // for the simulation's log, e.g. "you: workers 3 → 4"
	speed    float64
	paused   bool
	gen      int
	story    *story.Story // opStoryGo's
	step     int          // opStoryStep's and opStoryGo's step (0-based)
	play     bool         // opStoryGo's: run the step, rather than pause at its start
	seq      int          // numbers the model's operations, in order
}

// speeds are the simulation speeds > and < step through (simulated
// seconds per wall-clock second).
var speeds = []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

// speedIndex returns the index of the speed closest to v.
func speedIndex(v float64) int {
	best := 0
	for i, s := range speeds {
		if abs(s-v) < abs(speeds[best]-v) {
			best = i
		}
	}
	return best
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// stepSize is what one step (the . key) advances.
const stepSize = time.Second

// syncStepper runs the simulation on the caller's goroutine: Do applies
// an operation at once, and each Tick advances speed × perTick of
// simulated time unless paused. It is deterministic: the same ticks and
// operations give the same frames.
type syncStepper struct {
	eng     *engine
	perTick time.Duration
	dirty   bool
}

// newSyncStepper builds a synchronous stepper of t; each Tick at speed 1
// advances perTick.
func newSyncStepper(t *topology.Topology, seed uint64, speed float64, paused bool, perTick time.Duration) (*syncStepper, error) {
	e, err := newEngine(t, seed, speed, paused)
	if err != nil {
		return nil, err
	}
	return &syncStepper{eng: e, perTick: perTick, dirty: true}, nil
}

func (s *syncStepper) Do(o op) {
	s.eng.do(o)
	s.dirty = true
}

func (s *syncStepper) Tick() {
	if s.eng.paused {
		return
	}
	d := time.Duration(float64(s.perTick) * s.eng.speed)
	s.eng.advance(s.eng.until(s.eng.now() + d))
	s.eng.hold()
	s.dirty = true
}

func (s *syncStepper) Frame() (Frame, bool) {
	if !s.dirty {
		return Frame{}, false
	}
	s.dirty = false
	return s.eng.frame(), true
}

func (s *syncStepper) Close() {}
