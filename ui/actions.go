package ui

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scalesim/record"
	"scalesim/termsafe"
	"scalesim/topology"
)

// onKey handles a key press, then takes the frame that shows its effect
// when the stepper has it already.
func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	before := m.status
	cmd := m.handleKey(msg)
	m.takeHint(before, msg)
	m.updateKeys()
	m.poll() // may take back an edit the simulation refused
	return cmd
}

// handleKey gives a key to the open picker or prompt, else to the live
// controls.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return m.quit()
	}
	if m.picker != nil {
		return m.onPickerKey(msg)
	}
	if m.prompt.kind != promptNone {
		return m.onPromptKey(msg)
	}
	k := &m.keys
	var cmd tea.Cmd
	switch {
	case matches(msg, k.Quit):
		return m.quit()
	case matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.about, m.theory, m.helpTop = false, false, 0
		m.closeNotes()
	case m.help.ShowAll && (msg.Type == tea.KeyDown || msg.Type == tea.KeyUp):
		if msg.Type == tea.KeyDown {
			m.helpTop++ // the pane keeps it in range
		} else {
			m.helpTop = max(m.helpTop-1, 0)
		}
	case matches(msg, k.About):
		m.about = !m.about
		m.help.ShowAll, m.theory = false, false
		m.closeNotes()
	case matches(msg, k.Theory):
		m.theory = !m.theory
		m.help.ShowAll, m.about = false, false
		m.closeNotes()
	case msg.Type == tea.KeyEsc && (m.about || m.help.ShowAll || m.theory || m.notesShown()):
		m.about, m.help.ShowAll, m.theory = false, false, false
		if m.story != nil {
			m.story.notes = false
		}
	case matches(msg, k.Next):
		m.nextStep()
	case matches(msg, k.Prev):
		m.goStep(m.story.step-1, false)
	case matches(msg, k.First):
		m.goStep(0, false)
	case matches(msg, k.Last):
		m.goStep(len(m.story.st.Steps)-1, false)
	case matches(msg, k.Notes):
		m.story.notes = !m.story.notes
		m.help.ShowAll, m.about, m.theory = false, false, false
	case matches(msg, k.Classes):
		m.table.classes = !m.table.classes
	case matches(msg, k.Load):
		m.apply(editLoad(dirOf(msg, "-")))
	case matches(msg, k.Workers):
		m.apply(editWorkers(dirOf(msg, "W")))
	case matches(msg, k.Nodes):
		m.apply(editNodes(dirOf(msg, "N")))
	case matches(msg, k.Cores):
		m.apply(editCores(dirOf(msg, "C")))
	case matches(msg, k.Model):
		m.apply(editModel)
	case matches(msg, k.Concurrency):
		m.apply(editConcurrency(dirOf(msg, "T")))
	case matches(msg, k.Cache):
		m.apply(editCacheToggle)
	case matches(msg, k.HitRatio):
		m.apply(editHitRatio(dirOf(msg, "H")))
	case matches(msg, k.DBCores):
		m.apply(editDBCores(dirOf(msg, "D")))
	case matches(msg, k.Replicas):
		m.apply(editReplicas(dirOf(msg, "P"), m.lag))
	case matches(msg, k.Shards):
		m.apply(editShards(dirOf(msg, "A")))
	case matches(msg, k.MaxConns):
		m.apply(editMaxConns(dirOf(msg, "L")))
	case matches(msg, k.Pool):
		m.apply(editPool(m.poolSize))
	case matches(msg, k.Strategy):
		m.apply(editStrategy)
	case matches(msg, k.Reconcile):
		m.send([]topology.Change{{Action: topology.ActReconcile}}, "")
		m.setStatus(statusOK, "stock reconciled: the counter is set to what is really left")
	case matches(msg, k.NodeDown):
		m.chooseNode()
	case matches(msg, k.Budget):
		m.apply(editBudget)
	case matches(msg, k.Flush):
		m.send([]topology.Change{{Action: topology.ActCacheFlush}}, "")
		m.setStatus(statusOK, "cache flushed: every key misses until it is read again")
	case matches(msg, k.Pause):
		m.paused = !m.paused
		m.leaveStart()
		m.pace()
		if m.paused {
			m.setStatus(statusOK, "paused: . steps one simulated second, space resumes")
		} else {
			m.setStatus(statusOK, "running at %s", speedText(speeds[m.speedIdx]))
		}
	case matches(msg, k.Step):
		m.leaveStart()
		m.do(op{kind: opStep})
		m.setStatus(statusOK, "stepped one simulated second")
	case matches(msg, k.Faster):
		m.setSpeed(m.speedIdx + 1)
	case matches(msg, k.Slower):
		m.setSpeed(m.speedIdx - 1)
	case matches(msg, k.Reset) && m.story != nil:
		m.goStep(m.story.step, false)
		m.story.done = "reset: step " + itoa(m.story.step+1) + " rebuilt from the story's start, paused at its start"
	case matches(msg, k.Reset):
		m.restart(m.userTopology(), m.source, "you: reset")
		m.setStatus(statusOK, "reset: a fresh simulation of the topology with your edits, same seed")
	case matches(msg, k.Record):
		m.toggleRecording()
	case matches(msg, k.Present):
		m.present = !m.present
		if m.present {
			m.setStatus(statusOK, "presentation layout: the numbers large; v goes back")
		} else {
			m.setStatus(statusOK, "the usual layout")
		}
	case matches(msg, k.Contrast):
		m.setContrast(!m.ctx.contrast)
		if m.ctx.contrast {
			m.setStatus(statusOK, "high-contrast theme, for a projector; V goes back")
		} else {
			m.setStatus(statusOK, "the usual theme")
		}
	case matches(msg, k.Open):
		m.picker = newPicker(m.ctx, m.source)
		cmd = m.picker.init()
	case matches(msg, k.Save):
		cmd = m.startSave()
	case msg.Type == tea.KeyEsc, msg.Type == tea.KeyF5:
		// nothing open to close: esc is quiet; f5 is what a presenter's
		// clicker sends for "start the show", and does nothing
	default:
		if b, ok := k.disabledFor(msg); ok {
			m.setStatus(statusInfo, "%s", m.whyDisabled(b))
		} else {
			m.setStatus(statusInfo, "%s", unknownKey(msg))
		}
	}
	return cmd
}

// unknownKey says that msg is no key of the dashboard.
func unknownKey(msg tea.KeyMsg) string {
	name := msg.String()
	if msg.Paste {
		return "pasted text is no key; ? for help"
	}
	if width(name) > 12 {
		name = fit(name, 12)
	}
	return "no key " + termsafe.Line(name) + "; ? for help"
}

// dirOf is -1 when msg is the "less" key of a pair, else +1.
func dirOf(msg tea.KeyMsg, less string) dir {
	if msg.String() == less {
		return -1
	}
	return 1
}

// apply makes a live edit: edit a clone of the topology in force,
// validate it, and send the simulation the changes that make it (it
// applies them, starts a new measured window and notes them in its
// log). A refused edit changes nothing and says why.
func (m *Model) apply(e edit) {
	m.remember()
	cur := m.view
	t := cur.Clone()
	note, err := e(t)
	if err == nil {
		err = t.Validate()
	}
	if err != nil {
		m.setStatus(statusErr, "refused: %s", errText(err))
		return
	}
	if changes := editChanges(cur, t); len(changes) > 0 {
		m.send(changes, "you: "+note)
	}
	m.setStatus(statusOK, "%s", note)
}

// do hands o to the stepper, numbered, so that a frame tells which
// operations it has seen.
func (m *Model) do(o op) {
	m.opSeq++
	o.seq = m.opSeq
	m.stepper.Do(o)
}

// whyDisabled explains a key that does not apply now.
func (m *Model) whyDisabled(b key.Binding) string {
	k := &m.keys
	switch {
	case sameBinding(b, k.Concurrency):
		return errSync.Error()
	case sameBinding(b, k.Cache), sameBinding(b, k.HitRatio):
		return errNoCache.Error()
	case sameBinding(b, k.Flush):
		if m.view.Cache == nil {
			return errNoCache.Error()
		}
		return "the cache is off: k turns it on"
	case sameBinding(b, k.DBCores), sameBinding(b, k.Replicas), sameBinding(b, k.Shards), sameBinding(b, k.Pool):
		return errNoDB.Error()
	case sameBinding(b, k.MaxConns):
		if !usesDB(m.view) {
			return errNoDB.Error()
		}
		return errNoConnLimit.Error()
	case sameBinding(b, k.Strategy), sameBinding(b, k.Reconcile):
		return errNoStock.Error()
	case sameBinding(b, k.Budget):
		return errNoRetries.Error()
	case sameBinding(b, k.Next), sameBinding(b, k.Prev), sameBinding(b, k.First), sameBinding(b, k.Last), sameBinding(b, k.Notes):
		return m.whyNoStep(b)
	case sameBinding(b, k.Present), sameBinding(b, k.Contrast):
		return "the split dashboard has no presentation layout or theme of its own: open one design alone"
	case sameBinding(b, k.Record):
		return "a story is not recorded: it plays the same from its file (home starts it again)"
	case sameBinding(b, k.Classes):
		return "one request class: its latency is the one above"
	case sameBinding(b, k.Step):
		return "stepping works while paused: space pauses"
	case sameBinding(b, k.Focus), sameBinding(b, k.Fork):
		return "tab and F are the split dashboard's: scalesim compare A B"
	case sameBinding(b, k.Record):
		return "a recording is of one simulation: record on the dashboard of one"
	case sameBinding(b, k.Faster):
		return "already the fastest: " + speedText(speeds[len(speeds)-1])
	case sameBinding(b, k.Slower):
		return "already the slowest: " + speedText(speeds[0])
	}
	return "not available now"
}

func sameBinding(a, b key.Binding) bool { return a.Help() == b.Help() }

// pace tells the stepper the speed and whether it runs.
func (m *Model) pace() {
	m.do(op{kind: opPace, speed: speeds[m.speedIdx], paused: m.paused})
}

func (m *Model) setSpeed(i int) {
	m.speedIdx = max(0, min(i, len(speeds)-1))
	m.pace()
	m.setStatus(statusOK, "speed %s", speedText(speeds[m.speedIdx]))
}

// speedText formats a speed: 0.1x, 1x, 1000x.
func speedText(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "x" }

// restart replaces the simulation by a fresh one of t (same seed); it
// ends a recording.
func (m *Model) restart(t *topology.Topology, source, note string) {
	m.story = nil // another file: the story is over
	if m.rec.on != "" {
		note += "; recording to " + m.rec.on + " ended"
		m.rec.on = ""
	}
	m.restartWith(t, source, note, nil)
}

// restartWith is restart, recorded to rec if not nil.
func (m *Model) restartWith(t *topology.Topology, source, note string, rec *record.Writer) {
	m.gen++
	m.started, m.view, m.sent, m.edits = t, t, nil, nil
	m.remember()
	m.dbLead = dbTiered(t)
	m.source = source
	m.updateKeys()
	m.do(op{kind: opReset, topology: t.Clone(), gen: m.gen, note: note, rec: rec, verify: m.replayOf(t)})
}

// chooseNode takes a node down or brings it back: node 1 at once when it
// is the only one, else a prompt asks which (see onNodeKey).
func (m *Model) chooseNode() {
	n := m.view.App.Nodes
	if n == 1 {
		m.toggleNode(0)
		return
	}
	m.prompt = prompt{kind: promptNode, nodes: n, input: newTextInput(""), def: m.defaultNode()}
	m.prompt.input.CharLimit = len(itoa(n))
	m.prompt.input.Width = len(itoa(n))
}

// defaultNode is what enter chooses at the node prompt: the first node
// down, to bring it back, else node 1.
func (m *Model) defaultNode() int {
	for i := range m.view.App.Nodes {
		if m.nodeDown(i) {
			return i + 1
		}
	}
	return 1
}

// downCount is how many of the nodes in the topology are down.
func (m *Model) downCount() int {
	n := 0
	for i := range m.view.App.Nodes {
		if m.nodeDown(i) {
			n++
		}
	}
	return n
}

// toggleNode takes node i (0-based) down, or brings it back when it is
// down.
func (m *Model) toggleNode(i int) {
	c := topology.Change{Action: topology.ActNodeDown, Node: i + 1}
	up := m.nodeDown(i)
	if up {
		c.Action = topology.ActNodeUp
	}
	// the simulation says in its log what it did
	m.send([]topology.Change{c}, "")
	var note string
	switch live := m.view.App.Nodes - m.downCount(); {
	case up:
		note = fmt.Sprintf("node %d back up", i+1)
	case live == 0:
		note = fmt.Sprintf("node %d down: no node is up, every request fails", i+1)
	default:
		note = fmt.Sprintf("node %d down: its requests in flight failed; new ones go to the %d up", i+1, live)
	}
	m.setStatus(statusOK, "%s", note)
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.stepper.Close()
	return tea.Quit
}
