package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scalesim/topology"
)

// Minimum terminal size the dashboard draws at: below 80x24 it draws a
// reduced layout, below this a screen asking for a larger terminal.
const (
	minWidth  = 60
	minHeight = 20
)

// frameInterval is how often the model asks the stepper for a frame:
// 30 frames per second.
const frameInterval = time.Second / 30

// idleTicks is how many frames the model keeps polling while paused with
// nothing new, before it stops ticking until the next key.
const idleTicks = 15

// tickMsg asks for the next frame. It carries the id of the tick chain
// that sent it, so a stale chain's ticks are dropped.
type tickMsg struct{ id int }

// Model is the dashboard: the root Bubble Tea model. It owns the
// controls (speed, pause) and the measured window since the user's last
// change; the Stepper owns the simulation, and the simulation its
// topology and state: the dashboard draws what the newest frame says and
// sends changes (see authority.go). Panes draw in Update; View only
// joins them.
type Model struct {
	ctx     *programContext
	keys    KeyMap
	help    help.Model
	stepper Stepper

	source   string
	rec      recordKey  // the R key's recordings
	replay   *replaying // the replay played, if it is one (see replaycheck.go)
	story    *storyMode // the story told, if any (see story.go)
	speedIdx int
	paused   bool
	gen      int // generation of the simulation (reset, open)
	opSeq    int // operations handed to the stepper
	frame    Frame
	// what the dashboard knows of the simulation's topology: see
	// authority.go
	started *topology.Topology // the topology generation gen started with
	sent    []sentChanges      // changes sent that no frame has shown yet
	view    *topology.Topology // in force, as the newest frame and sent say
	// edits are the user's changes of fields since started, in order:
	// what a reset starts again with and what a save writes (see
	// userTopology), without what the simulation changed by itself
	edits []topology.Change

	// settings a key switches off and on again comes back with: the
	// replication lag of the first replica, PgBouncer's size
	lag      time.Duration
	poolSize int
	// dbLead: the topology opened is about its database tier
	dbLead bool

	tickID  int
	ticking bool
	idle    int

	diagram *diagramPane
	charts  *chartsPane
	table   *tablePane
	stock   *stockPane
	events  *logPane
	picker  *picker
	about   bool // the preset's whole description is shown
	present bool // the presentation layout: big numbers (present.go)
	theory  bool // the stations beside queueing theory are shown (Q)
	helpTop int  // the first line of the full help shown, when scrolled
	prompt  prompt
	status  status
	body    string

	// split: the model is one side of a split dashboard (split.go)
	split bool

	// dir is where saved files go ("" is the current directory).
	dir      string
	quitting bool
}

// newModel builds the dashboard around a stepper already running opts's
// topology at speed.
func newModel(opts Options, st Stepper, speed float64, paused bool) *Model {
	ctx := newProgramContext(noColorEnv())
	h := help.New()
	h.ShortSeparator = " · "
	h.FullSeparator = "   "
	m := &Model{
		ctx:      ctx,
		keys:     newKeyMap(),
		help:     h,
		stepper:  st,
		source:   opts.Source,
		started:  opts.Topology.Clone(),
		speedIdx: speedIndex(speed),
		paused:   paused,
		diagram:  &diagramPane{ctx: ctx},
		charts:   &chartsPane{ctx: ctx},
		table:    &tablePane{ctx: ctx},
		stock:    &stockPane{ctx: ctx},
		events:   &logPane{ctx: ctx},
	}
	m.view = m.started
	m.setContrast(opts.Theme == ThemeContrast)
	m.rec = recordKey{path: opts.Record, seed: opts.Seed}
	if m.source == "" {
		m.source = m.view.Name
	}
	m.lag = defaultLag
	m.remember()
	m.dbLead = dbTiered(m.view)
	m.updateKeys()
	m.status = status{kind: statusHint, text: tryHint(m.view, &m.keys)}
	if m.story = newStoryMode(opts.Story); m.story != nil {
		// step 1, from 0s, as a click enters it
		m.goStep(0, !paused)
		m.story.done = m.openStatus(!paused)
	}
	if opts.Replay != nil {
		// a fresh simulation, checked against the recording from 0s
		m.replay = &replaying{rec: opts.Replay, top: m.started}
		m.restartWith(m.started, m.source, "", nil)
	}
	m.poll()
	return m
}

// Init starts the frame ticks.
func (m *Model) Init() tea.Cmd {
	return m.wake()
}

// Update handles a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.width, m.ctx.height = msg.Width, msg.Height
		m.help.Width = msg.Width
	case tickMsg:
		if msg.id != m.tickID {
			return m, nil // a stale tick chain
		}
		cmd = m.onTick()
	case tea.KeyMsg:
		if m.tooSmall() && msg.Type != tea.KeyCtrlC && msg.String() != "q" {
			return m, nil // nothing to see what a key would do
		}
		var cmds []tea.Cmd
		for _, k := range splitRunes(msg) {
			cmds = append(cmds, m.onKey(k))
			if m.quitting {
				return m, tea.Batch(cmds...)
			}
		}
		cmd = tea.Batch(append(cmds, m.wake())...)
	default:
		if m.picker != nil {
			cmd = m.picker.update(msg)
		}
	}
	m.render()
	return m, cmd
}

// splitRunes splits a key message holding several typed runes (keys
// pressed faster than the terminal is read arrive together) into one
// message per rune, so that ">>" is two presses of ">". Pasted text stays
// whole.
func splitRunes(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return []tea.KeyMsg{msg}
	}
	out := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		out[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return out
}

// onTick moves one frame on: the stepper advances (if synchronous) and
// the newest frame is drawn. While paused with nothing new for a while,
// the ticks stop; the next key starts a new chain.
func (m *Model) onTick() tea.Cmd {
	m.stepper.Tick()
	if m.poll() || !m.paused {
		m.idle = 0
	} else if m.idle++; m.idle >= idleTicks {
		m.ticking = false
		return nil
	}
	return m.tick()
}

// wake makes sure frames are ticking, starting a new chain if they
// stopped.
func (m *Model) wake() tea.Cmd {
	m.idle = 0
	if m.ticking {
		return nil
	}
	m.ticking = true
	m.tickID++
	return m.tick()
}

func (m *Model) tick() tea.Cmd {
	id := m.tickID
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return tickMsg{id: id} })
}

// poll takes the stepper's newest frame, if any, dropping frames of a
// simulation replaced since. It reports whether there was one.
func (m *Model) poll() bool {
	f, ok := m.stepper.Frame()
	if !ok || f.Gen < m.gen {
		return false
	}
	m.frame = f
	m.rebuilt(f)
	m.heldPause(f)
	if f.Err != "" {
		m.setStatus(statusErr, "%s", firstLine(f.Err))
	}
	m.refreshView()
	return true
}

// remember keeps the settings of the running topology that a key can
// switch off, so that switching them on again restores them.
func (m *Model) remember() {
	if lag := m.view.DB.ReplicationLag; lag > 0 {
		m.lag = lag
	}
	if p := m.view.DB.Pool; p != nil {
		m.poolSize = p.Size
	}
}

// updateKeys enables the bindings that apply now.
func (m *Model) updateKeys() {
	ks := keyState{topo: m.view, paused: m.paused, speedIdx: m.speedIdx, showAll: m.help.ShowAll, dbLead: m.dbLead, split: m.split,
		present: m.present, contrast: m.ctx.contrast}
	if s := m.story; s != nil {
		ks.step, ks.steps, ks.notes = s.step, len(s.st.Steps), s.notes
	}
	m.keys.update(ks)
}

// helpStyles gives the help the styles of the theme in force.
func (m *Model) helpStyles() {
	st := &m.ctx.styles
	h := &m.help
	h.Styles.ShortKey = st.Key
	h.Styles.FullKey = st.Key
	h.Styles.ShortDesc = lipgloss.NewStyle()
	h.Styles.FullDesc = lipgloss.NewStyle()
	h.Styles.ShortSeparator = st.Muted
	h.Styles.FullSeparator = st.Muted
	h.Styles.Ellipsis = st.Muted
}

// View joins the header, the drawn body, the status line and the help.
func (m *Model) View() string {
	w, h := m.ctx.width, m.ctx.height
	if w == 0 || h == 0 {
		return ""
	}
	if m.tooSmall() {
		return tooSmall(w, h)
	}
	parts := append(m.topBlocks(), m.body)
	if st := m.statusView(); st != "" {
		parts = append(parts, st)
	}
	return strings.Join(append(parts, m.helpView()), "\n")
}

// topBlocks are the lines above the body: the header, a story's caption,
// the key numbers (large in the presentation layout), the timeline's
// line; each block one or more lines.
func (m *Model) topBlocks() []string {
	blocks := []string{m.headerView()}
	if c := m.captionView(); c != "" {
		blocks = append(blocks, c)
	}
	if m.present {
		blocks = append(blocks, m.bigPanel())
	} else {
		blocks = append(blocks, m.numbersView())
	}
	if tl := m.timelineView(); tl != "" {
		blocks = append(blocks, tl)
	}
	return blocks
}

// tooSmall reports whether the terminal, once its size is known, is
// below the smallest the dashboard draws at.
func (m *Model) tooSmall() bool {
	w, h := m.ctx.width, m.ctx.height
	return w > 0 && h > 0 && (w < minWidth || h < minHeight)
}

// helpView is the short or full help for the keys that apply now, cut
// to the width (help.Model lets an item overflow when its ellipsis would
// not fit).
func (m *Model) helpView() string {
	var v string
	if m.picker != nil {
		v = m.help.ShortHelpView(m.picker.keys.ShortHelp())
	} else {
		v = m.help.ShortHelpView(m.keys.ShortHelp()) // the full help is a pane
	}
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if width(l) > m.ctx.width {
			lines[i] = fit(l, m.ctx.width)
		}
	}
	return strings.Join(lines, "\n")
}

// tooSmall is the whole screen when the terminal is below the minimum.
func tooSmall(w, h int) string {
	msg := "make the terminal larger"
	size := "now " + itoa(w) + "x" + itoa(h) + ", need " + itoa(minWidth) + "x" + itoa(minHeight)
	if w < len(msg) {
		return msg + "\n" + size
	}
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, msg+"\n"+size)
}

// Topology returns a copy of the topology in force, as the dashboard
// shows it.
func (m *Model) Topology() *topology.Topology { return m.view.Clone() }

// matches is key.Matches for one binding, kept short for the key table.
func matches(msg tea.KeyMsg, b key.Binding) bool { return key.Matches(msg, b) }
