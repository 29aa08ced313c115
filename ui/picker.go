package ui

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scalesim/presets"
	"scalesim/topology"
)

// pickerKeys are the picker's own bindings; anything else types into the
// path field.
type pickerKeys struct {
	Up, Down, Open, Cancel key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Up:     key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/↓", "choose")),
		Down:   key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp leaves Down out: Up's help reads "↑/↓".
func (k pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Open, k.Cancel}
}

// FullHelp is the short help in one column.
func (k pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// pickerItem is one preset on offer.
type pickerItem struct {
	preset presets.Preset
	title  string // the topology's own name
	desc   string
}

// picker chooses another topology: an embedded preset from the list, or
// a file whose path is typed.
type picker struct {
	ctx    *programContext
	keys   pickerKeys
	items  []pickerItem
	cursor int
	input  textinput.Model
	err    string
}

func newPicker(ctx *programContext) *picker {
	p := &picker{ctx: ctx, keys: newPickerKeys(), input: newTextInput("")}
	p.input.Placeholder = "or type a path to a .yaml file"
	p.input.PlaceholderStyle = ctx.styles.Muted
	for _, pr := range presets.List() {
		it := pickerItem{preset: pr}
		if t, err := pr.Load(); err == nil {
			it.title, it.desc = t.Name, firstLine(t.Description)
		} else {
			it.desc = "invalid: " + errText(err)
		}
		p.items = append(p.items, it)
	}
	return p
}

func (p *picker) init() tea.Cmd { return nil }

// update passes other messages to the path field.
func (p *picker) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// pickResult is what a key in the picker decided.
type pickResult struct {
	done     bool // the picker closes
	topology *topology.Topology
	source   string
}

// key handles a key press.
func (p *picker) key(msg tea.KeyMsg) (pickResult, tea.Cmd) {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		return pickResult{done: true}, nil
	case key.Matches(msg, p.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, p.keys.Down):
		p.cursor = min(len(p.items)-1, p.cursor+1)
	case key.Matches(msg, p.keys.Open):
		return p.open()
	default:
		p.err = ""
		return pickResult{}, p.update(msg)
	}
	return pickResult{}, nil
}

// open loads the typed path, or else the chosen preset.
func (p *picker) open() (pickResult, tea.Cmd) {
	if path := strings.TrimSpace(p.input.Value()); path != "" {
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, rest)
			}
		}
		t, err := topology.Load(path)
		if err != nil {
			p.err = errText(err)
			return pickResult{}, nil
		}
		return pickResult{done: true, topology: t, source: path}, nil
	}
	if len(p.items) == 0 {
		p.err = "no presets: type a path"
		return pickResult{}, nil
	}
	it := p.items[p.cursor]
	t, err := it.preset.Load()
	if err != nil {
		p.err = errText(err)
		return pickResult{}, nil
	}
	return pickResult{done: true, topology: t, source: it.preset.Name}, nil
}

// view draws the picker in w×h cells.
func (p *picker) view(w, h int) string {
	st := &p.ctx.styles
	lines := []string{st.Title.Render("OPEN A TOPOLOGY"), ""}
	nameW := 0
	for _, it := range p.items {
		nameW = max(nameW, width(it.preset.Name))
	}
	list := make([]string, 0, len(p.items))
	for i, it := range p.items {
		mark := "  "
		name := fit(it.preset.Name, nameW)
		if i == p.cursor {
			mark = st.Key.Render("▸ ")
			name = st.Selected.Render(name)
		}
		list = append(list, fit(mark+name+"  "+it.title+st.Muted.Render(" — "+it.desc), w))
	}
	// keep the cursor in view
	room := max(1, h-7)
	first := max(0, min(p.cursor-room/2, len(list)-room))
	lines = append(lines, list[first:min(len(list), first+room)]...)
	lines = append(lines, "", st.Key.Render("path ")+p.input.View())
	if p.err != "" {
		lines = append(lines, st.Bad.Render("✗ "+p.err))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(fitLines(lines[:h], w), "\n")
}

// onPickerKey passes a key to the open picker and opens what it chose.
func (m *Model) onPickerKey(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.picker.key(msg)
	if !res.done {
		return cmd
	}
	m.picker = nil
	if res.topology == nil {
		m.setStatus(statusInfo, "cancelled")
		return cmd
	}
	m.restart(res.topology, res.source, "you: opened "+res.source)
	m.setStatus(statusOK, "opened %s: %s", res.source, res.topology.Name)
	return cmd
}
