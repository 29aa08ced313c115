package ui

import (
	"strings"

	"scalesim/sim"
	"scalesim/topology"
)

// The simulation is the authority on its topology and its state: it
// changes them itself (a timeline, an autoscaler, failures) as well as
// when a key asks. The dashboard keeps no topology of its own. It shows
// the one in force in the newest frame, with the changes it has sent
// since applied on top (the simulation runs them in order, soon, and a
// key pressed before the next frame must build on them); it edits a
// clone of that, and sends the difference as changes. A change the
// simulation made by itself is in the frame, so the next key keeps it.

// sentChanges are a key's changes, handed to the simulation as
// operation seq.
type sentChanges struct {
	seq     int
	changes []topology.Change
}

// refreshView drops the changes the newest frame has seen and works out
// the topology in force: the frame's, with the changes still on their
// way applied. It keeps the bindings in step when that changed.
func (m *Model) refreshView() {
	base := m.started
	if m.frame.Gen == m.gen && m.frame.Snap.Topology != nil {
		base = m.frame.Snap.Topology
		keep := m.sent[:0]
		for _, p := range m.sent {
			if p.seq > m.frame.Seq {
				keep = append(keep, p)
			}
		}
		m.sent = keep
	}
	t := base
	for _, p := range m.sent {
		for _, c := range p.changes {
			if c.Action != topology.ActSet {
				continue
			}
			if next, err := t.With(c); err == nil {
				t = next // one the simulation will refuse shows as refused
			}
		}
	}
	if t != m.view {
		m.view = t
		m.remember()
		m.updateKeys()
	}
}

// send hands a key's changes to the simulation, which applies them in
// order with sim.Do, notes them in its log (note, when given, says what
// the user did in the dashboard's words) and starts a new measured
// window.
func (m *Model) send(changes []topology.Change, note string) {
	for i := range changes {
		changes[i].Source = topology.SourceKey
	}
	m.do(op{kind: opChanges, changes: changes, note: note})
	for _, c := range changes {
		if c.Action == topology.ActSet {
			m.edits = append(m.edits, c)
		}
	}
	m.sent = append(m.sent, sentChanges{seq: m.opSeq, changes: changes})
	m.refreshView()
}

// nodeDown reports whether app node i (0-based) is down: as the last
// change sent about it asks, else as the newest frame says.
func (m *Model) nodeDown(i int) bool {
	for k := len(m.sent) - 1; k >= 0; k-- {
		cs := m.sent[k].changes
		for j := len(cs) - 1; j >= 0; j-- {
			if c := cs[j]; c.Node == i+1 && (c.Action == topology.ActNodeDown || c.Action == topology.ActNodeUp) {
				return c.Action == topology.ActNodeDown
			}
		}
	}
	if nodes := m.frame.Snap.Nodes; m.frame.Gen == m.gen && i < len(nodes) {
		return nodes[i].State == sim.NodeDown
	}
	return false
}

// editChanges are the changes that turn cur into next, as one key sends
// them. Diff gives the smallest; when several fall in one section of the
// file (4 shards of 1+15 replicas), they become one change of the
// section, so that the simulation takes or refuses the edit whole rather
// than the first half of it (the database refuses more servers than fit
// while old ones drain, which no validation of the file can know).
func editChanges(cur, next *topology.Topology) []topology.Change {
	cs := topology.Diff(cur, next)
	if len(cs) < 2 {
		return cs
	}
	section := func(c topology.Change) string {
		head, _, _ := strings.Cut(c.Path, ".")
		head, _, _ = strings.Cut(head, "[")
		return head
	}
	first := section(cs[0])
	for _, c := range cs[1:] {
		if section(c) != first {
			return cs
		}
	}
	v, err := next.Get(first)
	if first == "" || err != nil {
		return cs
	}
	return []topology.Change{{Action: topology.ActSet, Path: first, Value: v}}
}

// userTopology is the topology the user made: the one this simulation
// started with and the user's edits of it, without what the simulation
// changed by itself (the timeline's changes, the autoscaler's nodes,
// failures), which belong to the run and not to the file. A reset starts
// again from it, replaying the timeline from the start, and a save
// writes it. An edit the simulation refused only because of its state
// at the time (servers still draining) applies to the fresh start.
func (m *Model) userTopology() *topology.Topology {
	t := m.started
	for _, c := range m.edits {
		if next, err := t.With(c); err == nil {
			t = next
		}
	}
	return t
}
