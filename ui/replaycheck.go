package ui

import (
	"scalesim/record"
	"scalesim/sim"
	"scalesim/topology"
)

// A replay in the dashboard (scalesim replay FILE) checks the
// recording's checksums as it plays, with record's Verifier, the one the
// headless replay uses: the engine gives it every closed second, each
// frame carries its verdict, and the status line says it first, all the
// time: "✓ replay agrees with 3 checksums" or "✗ replay diverged at
// 0:40: expected completed 112311, got 12311". A reset of the replay,
// with no edits, checks it again from 0s; an edit makes the replay
// diverge, and the verdict says so; opening another file ends it.

// replayCheck is the engine's side: the counter and the verifier of the
// simulation running, nil when it is no replay.
type replayCheck struct {
	v       *record.Verifier
	counter *record.Counter
}

// newReplayCheck checks a fresh simulation against rec (nil: no check).
func newReplayCheck(rec *record.Recording) *replayCheck {
	if rec == nil {
		return nil
	}
	v := record.NewVerifier(rec)
	return &replayCheck{v: v, counter: record.NewCounter(v.Check)}
}

func (c *replayCheck) second(s sim.Second) {
	if c != nil {
		c.counter.Second(s)
	}
}

// verdict is the verdict so far, nil when there is no check.
func (c *replayCheck) verdict() *record.Verdict {
	if c == nil {
		return nil
	}
	vd := c.v.Verdict()
	return &vd
}

// replayOf is the recording a fresh simulation of t is checked against:
// the replay's, when t is the topology the replay opened with (a reset
// without edits), else none.
func (m *Model) replayOf(t *topology.Topology) *record.Recording {
	if m.replay != nil && t == m.replay.top {
		return m.replay.rec
	}
	return nil
}

// replaying is the replay the dashboard plays: the recording and the
// topology it runs (its changes as events).
type replaying struct {
	rec *record.Recording
	top *topology.Topology
}

// verdictLine is the replay's verdict for the status line, styled, and
// "" when the simulation on screen is no replay.
func (m *Model) verdictLine() string {
	vd := m.frame.Verdict
	if vd == nil || m.frame.Gen != m.gen {
		return ""
	}
	st := &m.ctx.styles
	if vd.Diverged != nil {
		return st.Bad.Render("✗ " + vd.String())
	}
	return st.OK.Render("✓ " + vd.String())
}

// withVerdict is the status line of a replay: its verdict first, whole,
// then what the last key did in the room left, cut if need be (the
// first screen's hint gives way to the verdict).
func (m *Model) withVerdict(verdict string) string {
	w := m.ctx.width
	st := &m.ctx.styles
	s := m.status
	rest := w - width(verdict) - 3
	if s.kind == statusHint || s.text == "" || rest < 12 {
		return fit(verdict, w)
	}
	text, style := s.text, st.Muted
	switch s.kind {
	case statusOK:
		text, style = "✓ "+text, st.OK
	case statusErr:
		text, style = "✗ "+text, st.Bad
	}
	return verdict + st.Muted.Render(" · ") + style.Render(fit(text, rest))
}
