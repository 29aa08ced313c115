package ui

import (
	"time"

	"scalesim/record"
	"scalesim/sim"
	"scalesim/topology"
)

// recording is the engine's side of a recording (see record): the user's
// changes as they are applied, and the counters' checksums as the
// simulated seconds close. A recording starts with a fresh simulation at
// time 0 (--record, or the R key, which restarts the simulation of the
// topology in force); R again, a reset or an open end it. Pause and speed
// are not recorded: they do not change what is simulated. Changes the
// simulation makes itself (its timeline, the autoscaler, failures) replay
// by themselves; the checksums cover them.
type recording struct {
	w       *record.Writer
	counter *record.Counter
	failed  string // the first write error, reported once
	told    bool
}

// start records the simulation just started to w (nil: none).
func (r *recording) start(w *record.Writer) {
	r.w, r.failed, r.told = w, "", false
	r.counter = nil
	if w != nil {
		r.counter = record.NewCounter(w.Checksum)
	}
}

// stop ends the recording, if any, and returns a write error, if any.
func (r *recording) stop() string {
	if r.w == nil {
		return ""
	}
	err := r.w.Close()
	r.w, r.counter = nil, nil
	if err != nil {
		return err.Error()
	}
	return ""
}

// second gives a closed second to the checksums; it is the simulation's
// OnSecond.
func (r *recording) second(s sim.Second) {
	if r.counter != nil {
		r.counter.Second(s)
	}
}

// change records c, applied by the user at now.
func (r *recording) change(now time.Duration, c topology.Change) {
	if r.w != nil {
		r.w.Change(now, c)
	}
}

// err is a write error not yet reported.
func (r *recording) err() string {
	if r.w == nil || r.told || r.w.Err() == nil {
		return ""
	}
	r.told = true
	return r.w.Err().Error()
}
