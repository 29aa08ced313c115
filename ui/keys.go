package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scalesim/topology"
)

// KeyMap is the dashboard's live controls. A pair such as w/W is one
// binding: the lower-case key raises the value, the upper-case lowers it.
// Bindings that do not apply to the running topology are disabled (see
// update), so help never shows a dead key.
type KeyMap struct {
	Load        key.Binding // +/- rate or users
	Workers     key.Binding
	Nodes       key.Binding
	Cores       key.Binding
	Model       key.Binding
	Concurrency key.Binding
	Cache       key.Binding
	HitRatio    key.Binding
	DBCores     key.Binding
	Replicas    key.Binding
	Shards      key.Binding
	MaxConns    key.Binding
	Pool        key.Binding
	Strategy    key.Binding
	Reconcile   key.Binding
	NodeDown    key.Binding
	Flush       key.Binding
	Budget      key.Binding // retry budget on/off
	Classes     key.Binding // latency by request class in place of the stations

	Pause  key.Binding
	Step   key.Binding
	Faster key.Binding
	Slower key.Binding
	Reset  key.Binding
	Record key.Binding
	Focus  key.Binding // the split dashboard's: the side keys act on
	Fork   key.Binding // the split dashboard's: the focused side into B
	Theory key.Binding // queueing theory beside the stations

	// a story's steps (see story.go), and the projector's layout and
	// theme (present.go, contrast.go)
	Next     key.Binding
	Prev     key.Binding
	First    key.Binding
	Last     key.Binding
	Notes    key.Binding
	Present  key.Binding
	Contrast key.Binding

	Open  key.Binding
	Save  key.Binding
	Help  key.Binding
	About key.Binding
	Quit  key.Binding

	// short is the one-line help for the running topology (see update).
	short []key.Binding
}

func newKeyMap() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Load:        b([]string{"+", "=", "-"}, "+/-", "rate"),
		Workers:     b([]string{"w", "W"}, "w/W", "workers"),
		Nodes:       b([]string{"n", "N"}, "n/N", "nodes"),
		Cores:       b([]string{"c", "C"}, "c/C", "cores"),
		Model:       b([]string{"m"}, "m", "model"),
		Concurrency: b([]string{"t", "T"}, "t/T", "threads ×2/÷2"),
		Cache:       b([]string{"k"}, "k", "cache on/off"),
		HitRatio:    b([]string{"h", "H"}, "h/H", "hit ratio"),
		DBCores:     b([]string{"d", "D"}, "d/D", "db cores"),
		Replicas:    b([]string{"p", "P"}, "p/P", "read replicas"),
		Shards:      b([]string{"a", "A"}, "a/A", "shards"),
		MaxConns:    b([]string{"l", "L"}, "l/L", "max connections"),
		Pool:        b([]string{"b"}, "b", "pgbouncer on/off"),
		Strategy:    b([]string{"g"}, "g", "stock strategy"),
		Reconcile:   b([]string{"e"}, "e", "reconcile stock"),
		NodeDown:    b([]string{"x"}, "x", "node down/up"),
		Flush:       b([]string{"f"}, "f", "flush cache"),
		Budget:      b([]string{"y"}, "y", "retry budget on/off"),
		Classes:     b([]string{"j"}, "j", "latency by class"),

		Pause:  b([]string{" "}, "space", "pause"),
		Step:   b([]string{"."}, ".", "step 1s"),
		Faster: b([]string{">"}, ">", "faster"),
		Slower: b([]string{"<"}, "<", "slower"),
		Reset:  b([]string{"r"}, "r", "reset"),
		Record: b([]string{"R"}, "R", "record on/off"),
		Focus:  b([]string{"tab"}, "tab", "switch side"),
		Fork:   b([]string{"F"}, "F", "fork into B"),
		Theory: b([]string{"Q"}, "Q", "queueing theory"),

		Next:     b([]string{"right", "pgdown", "enter"}, "→/pgdn", "next step"),
		Prev:     b([]string{"left", "pgup"}, "←/pgup", "previous step"),
		First:    b([]string{"home"}, "home", "first step"),
		Last:     b([]string{"end"}, "end", "last step"),
		Notes:    b([]string{"z"}, "z", "notes"),
		Present:  b([]string{"v"}, "v", "big numbers"),
		Contrast: b([]string{"V"}, "V", "contrast"),

		Open:  b([]string{"o"}, "o", "open"),
		Save:  b([]string{"s"}, "s", "save"),
		Help:  b([]string{"?"}, "?", "help"),
		About: b([]string{"i"}, "i", "about"),
		Quit:  b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// keyState is what decides which bindings apply.
type keyState struct {
	topo     *topology.Topology
	paused   bool
	speedIdx int
	showAll  bool
	// dbLead is set when the topology opened was about its database
	// tier, so that its keys keep leading the help after edits.
	dbLead bool
	// split is set on a side of the split dashboard (see split.go)
	split bool
	// a story's position: step (0-based) of steps; steps 0 without one
	step, steps int
	notes       bool // the step's notes are shown
	present     bool // the presentation layout is on
	contrast    bool // the high-contrast theme is on
}

// update enables the bindings that apply to st and sets the help texts
// that depend on it.
func (k *KeyMap) update(st keyState) {
	t := st.topo
	if t.Workload.Users > 0 {
		k.Load.SetHelp("+/-", "users")
	} else {
		k.Load.SetHelp("+/-", "rate")
	}
	switch t.App.Model {
	case topology.Gevent:
		k.Concurrency.SetHelp("t/T", "greenlets ×2/÷2")
	default:
		k.Concurrency.SetHelp("t/T", "threads ×2/÷2")
	}
	k.Concurrency.SetEnabled(t.App.Model != topology.Sync)
	hasCache := t.Cache != nil
	k.Cache.SetEnabled(hasCache)
	k.HitRatio.SetEnabled(hasCache)
	if hasCache && t.Cache.Keys != nil {
		k.HitRatio.SetHelp("h/H", "cache size ×2/÷2")
	} else {
		k.HitRatio.SetHelp("h/H", "hit ratio ±5%")
	}
	k.Flush.SetEnabled(hasCache && !t.Cache.Disabled)
	db := usesDB(t)
	k.DBCores.SetEnabled(db)
	k.Replicas.SetEnabled(db)
	k.Shards.SetEnabled(db)
	k.Pool.SetEnabled(db)
	k.MaxConns.SetEnabled(db && t.DB.MaxConnections > 0)
	k.Budget.SetEnabled(retries(t))
	k.Classes.SetEnabled(len(t.Workload.Requests) > 1)
	k.Strategy.SetEnabled(t.Stock != nil)
	k.Reconcile.SetEnabled(t.Stock != nil)
	if st.paused {
		k.Pause.SetHelp("space", "resume")
	} else {
		k.Pause.SetHelp("space", "pause")
	}
	k.Step.SetEnabled(st.paused)
	k.Focus.SetEnabled(st.split)
	k.Fork.SetEnabled(st.split)
	k.Record.SetEnabled(!st.split)
	k.Faster.SetEnabled(st.speedIdx < len(speeds)-1)
	k.Slower.SetEnabled(st.speedIdx > 0)
	if st.showAll {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "help")
	}
	story := st.steps > 0
	k.Next.SetEnabled(story && st.step < st.steps-1)
	k.Prev.SetEnabled(story && st.step > 0)
	k.First.SetEnabled(story && st.step > 0)
	k.Last.SetEnabled(story && st.step < st.steps-1)
	k.Notes.SetEnabled(story)
	k.Record.SetEnabled(!story)
	if st.notes {
		k.Notes.SetHelp("z", "close notes")
	} else {
		k.Notes.SetHelp("z", "notes")
	}
	// the split dashboard draws its sides its own way, in its own styles
	k.Present.SetEnabled(!st.split)
	k.Contrast.SetEnabled(!st.split)
	if st.present {
		k.Present.SetHelp("v", "usual layout")
	} else {
		k.Present.SetHelp("v", "big numbers")
	}
	if st.contrast {
		k.Contrast.SetHelp("V", "usual theme")
	} else {
		k.Contrast.SetHelp("V", "contrast")
	}
	// the one-line help leads with what the topology is about: its
	// stock, its database tier, or its app servers
	switch {
	case story:
		// a presenter's keys first: the steps, the notes, the layout
		k.short = []key.Binding{k.Next, k.Prev, k.Notes, k.Pause, k.Present, k.Help, k.Quit, k.First, k.Last, k.Contrast}
	case t.Stock != nil:
		k.short = []key.Binding{k.Help, k.About, k.Quit, k.Pause, k.Strategy, k.Reconcile, k.Load, k.Replicas, k.Shards, k.Pool, k.Workers, k.Nodes, k.Faster, k.Slower}
	case retries(t):
		k.short = []key.Binding{k.Help, k.About, k.Quit, k.Pause, k.Load, k.Budget, k.Workers, k.Nodes, k.Faster, k.Slower}
	case st.dbLead || dbTiered(t):
		k.short = []key.Binding{k.Help, k.About, k.Quit, k.Pause, k.Load, k.Replicas, k.Shards, k.Pool, k.MaxConns, k.DBCores, k.Workers, k.Nodes, k.Faster, k.Slower}
	default:
		k.short = []key.Binding{k.Help, k.About, k.Quit, k.Pause, k.Load, k.Workers, k.Nodes, k.Model, k.Concurrency, k.Cache, k.Faster, k.Slower}
	}
}

// dbTiered reports whether t's database is more than one plain server:
// replicas, shards, a connection limit or a pooler.
func dbTiered(t *topology.Topology) bool {
	db := &t.DB
	return usesDB(t) && (db.Replicas > 0 || db.Shards > 1 || db.MaxConnections > 0 || db.Pool != nil)
}

// ShortHelp is the one-line help: the controls a demo of the running
// topology uses most.
func (k KeyMap) ShortHelp() []key.Binding {
	if k.short != nil {
		return k.short
	}
	return []key.Binding{k.Help, k.About, k.Quit, k.Pause, k.Load, k.Workers, k.Nodes, k.Model, k.Concurrency, k.Cache, k.Faster, k.Slower}
}

// FullHelp is every control, in columns: the app tier, the data tier
// (cache, database, stock), running and presenting, files.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Load, k.Workers, k.Nodes, k.Cores, k.Model, k.Concurrency, k.NodeDown, k.Budget},
		{k.Cache, k.HitRatio, k.Flush, k.DBCores, k.Replicas, k.Shards, k.MaxConns, k.Pool, k.Strategy, k.Reconcile},
		{k.Pause, k.Step, k.Faster, k.Slower, k.Reset, k.Record, k.Focus, k.Fork, k.Present, k.Contrast, k.Next, k.Prev, k.First, k.Last, k.Notes, k.Theory, k.Classes},
		{k.Open, k.Save, k.Help, k.About, k.Quit},
	}
}

// all returns every binding of k.
func (k KeyMap) all() []key.Binding { return slices.Concat(k.FullHelp()...) }

// disabledFor returns the disabled binding that msg would press, if any:
// pressing it explains why it does nothing.
func (k KeyMap) disabledFor(msg tea.KeyMsg) (key.Binding, bool) {
	s := msg.String()
	for _, b := range k.all() {
		if !b.Enabled() && slices.Contains(b.Keys(), s) {
			return b, true
		}
	}
	return key.Binding{}, false
}

// usesDB reports whether any request queries the database: db, read,
// write and buy steps do.
func usesDB(t *topology.Topology) bool {
	return t.Uses(topology.StepDB, topology.StepRead, topology.StepWrite, topology.StepBuy)
}
