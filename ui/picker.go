package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scalesim/presets"
	"scalesim/termsafe"
	"scalesim/topology"
)

// pickerKeys are the picker's own bindings; anything else types into the
// field.
type pickerKeys struct {
	Up, Down, Complete, Open, Cancel key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/↓", "choose")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp leaves Down out: Up's help reads "↑/↓".
func (k pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Complete, k.Open, k.Cancel}
}

// FullHelp is the short help in one column.
func (k pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// pickerItem is one preset on offer.
type pickerItem struct {
	preset presets.Preset
	title  string // the topology's own name
	desc   string
}

// picker chooses another topology: a preset from the list, which what is
// typed filters, or a file whose path is typed (tab completes it).
type picker struct {
	ctx    *programContext
	keys   pickerKeys
	items  []pickerItem
	shown  []int // the items that match what is typed, by index
	cursor int   // in shown
	input  textinput.Model
	err    string
	// hint is what tab found when it could not complete alone.
	hint string
	// resolve opens what is typed (presets.Resolve), for at most
	// openWait: a file that never answers must not freeze the dashboard.
	resolve  func(string) (*topology.Topology, error)
	openWait time.Duration
}

// openWait is how long the picker waits for a file to be read. Load
// refuses pipes and devices at once; what is left to wait for is a
// file that blocks on read, such as one on a dead network mount.
const openWait = 2 * time.Second

// newPicker lists the presets with current, the one running (a preset
// name, or "preset:NAME"), chosen.
func newPicker(ctx *programContext, current string) *picker {
	p := &picker{ctx: ctx, keys: newPickerKeys(), input: newTextInput(""), resolve: presets.Resolve, openWait: openWait}
	p.input.Placeholder = "type to filter, or a path to a .yaml file"
	p.input.PlaceholderStyle = ctx.styles.Muted
	current = strings.TrimPrefix(current, presets.PresetPrefix)
	for i, pr := range presets.List() {
		it := pickerItem{preset: pr}
		if t, err := pr.Load(); err == nil {
			it.title, it.desc = t.Name, firstLine(t.Description)
		} else {
			it.desc = "invalid: " + errText(err)
		}
		p.items = append(p.items, it)
		p.shown = append(p.shown, i)
		if pr.Name == current {
			p.cursor = i
		}
	}
	return p
}

func (p *picker) init() tea.Cmd { return nil }

// update passes other messages to the field.
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
		p.cursor = max(0, min(len(p.shown)-1, p.cursor+1))
	case key.Matches(msg, p.keys.Open):
		return p.open()
	case key.Matches(msg, p.keys.Complete):
		p.complete()
	default:
		before := p.input.Value()
		cmd := p.update(msg)
		if p.input.Value() != before {
			p.err, p.hint = "", ""
			p.filter()
		}
		return pickResult{}, cmd
	}
	return pickResult{}, nil
}

// typed is the field's text, trimmed.
func (p *picker) typed() string { return strings.TrimSpace(p.input.Value()) }

// filter shows the presets whose name or title holds what is typed,
// keeping the chosen one chosen while it is shown, and choosing a preset
// named exactly so.
func (p *picker) filter() {
	chosen := -1
	if p.cursor < len(p.shown) {
		chosen = p.shown[p.cursor]
	}
	text := strings.ToLower(p.typed())
	p.shown, p.cursor = p.shown[:0], 0
	for i, it := range p.items {
		if text != "" && !strings.Contains(strings.ToLower(it.preset.Name), text) && !strings.Contains(strings.ToLower(it.title), text) {
			continue
		}
		if i == chosen || it.preset.Name == text {
			p.cursor = len(p.shown)
		}
		p.shown = append(p.shown, i)
	}
}

// pathLike reports whether s can only be meant as a file: it names a
// folder or a YAML file.
func pathLike(s string) bool {
	return strings.ContainsRune(s, '/') || strings.ContainsRune(s, os.PathSeparator) || strings.HasPrefix(s, "~") ||
		strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml")
}

// expandHome replaces a leading ~/ by the home folder.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// open opens the chosen preset, or what is typed when it is a path or
// matches no preset: a file, or a preset by name (presets.Resolve).
func (p *picker) open() (pickResult, tea.Cmd) {
	text := p.typed()
	if text != "" && (pathLike(text) || len(p.shown) == 0) {
		t, err := p.resolveWithin(expandHome(text))
		if err != nil {
			p.err = errText(err)
			return pickResult{}, nil
		}
		return pickResult{done: true, topology: t, source: text}, nil
	}
	if len(p.shown) == 0 {
		p.err = "no presets: type a path"
		return pickResult{}, nil
	}
	it := p.items[p.shown[p.cursor]]
	t, err := it.preset.Load()
	if err != nil {
		p.err = errText(err)
		return pickResult{}, nil
	}
	return pickResult{done: true, topology: t, source: it.preset.Name}, nil
}

// resolveWithin resolves path, giving up after openWait (the read goes
// on in the background, its result unused).
func (p *picker) resolveWithin(path string) (*topology.Topology, error) {
	type result struct {
		t   *topology.Topology
		err error
	}
	done := make(chan result, 1)
	resolve := p.resolve
	go func() {
		t, err := resolve(path)
		done <- result{t, err}
	}()
	timer := time.NewTimer(p.openWait)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.t, r.err
	case <-timer.C:
		return nil, fmt.Errorf("%s: no answer after %v: not opened", path, p.openWait)
	}
}

// complete is tab: a path is completed as far as the files in its folder
// agree (a folder gets its /); other text becomes the chosen preset's
// name.
func (p *picker) complete() {
	text := p.input.Value()
	if !pathLike(text) && len(p.shown) > 0 {
		p.setText(p.items[p.shown[p.cursor]].preset.Name)
		return
	}
	dir, base := filepath.Split(text)
	entries, err := os.ReadDir(filepath.Clean(expandHome(dir + ".")))
	if err != nil {
		p.err = errText(err)
		return
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if e.IsDir() || e.Type()&os.ModeSymlink != 0 && isDir(filepath.Join(expandHome(dir), name)) {
			name += string(filepath.Separator)
		}
		names = append(names, name)
	}
	switch len(names) {
	case 0:
		p.hint = "nothing matches " + text
		return
	case 1:
		p.setText(dir + names[0])
		p.hint = ""
		return
	}
	p.setText(dir + commonPrefix(names))
	p.hint = itoa(len(names)) + " match: " + strings.Join(names, "  ")
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// commonPrefix is the longest prefix every one of names has.
func commonPrefix(names []string) string {
	prefix := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix
}

// setText puts text in the field, the cursor at its end, and filters.
func (p *picker) setText(text string) {
	p.input.SetValue(text)
	p.input.CursorEnd()
	p.err = ""
	p.filter()
}

// view draws the picker in w×h cells. When the list does not fit, the
// lines above and below it say how many presets are out of view.
func (p *picker) view(w, h int) string {
	if h < 1 {
		return ""
	}
	st := &p.ctx.styles
	lines := []string{st.Title.Render("OPEN A TOPOLOGY"), ""}
	nameW := 0
	for _, it := range p.items {
		nameW = max(nameW, width(it.preset.Name))
	}
	list := make([]string, 0, len(p.shown))
	for i, idx := range p.shown {
		it := p.items[idx]
		mark := "  "
		name := fit(it.preset.Name, nameW)
		if i == p.cursor {
			mark = st.Key.Render("▸ ")
			name = st.Selected.Render(name)
		}
		list = append(list, fit(mark+name+"  "+it.title+st.Muted.Render(" — "+it.desc), w))
	}
	if len(list) == 0 {
		list = append(list, st.Muted.Render("  no preset matches: enter opens it as a file"))
	}
	var errLines []string // the complaint, whole, on as many lines as it needs
	if p.err != "" {
		errLines = wrap("✗ "+termsafe.Line(p.err), w)
		for i, l := range errLines {
			errLines[i] = st.Bad.Render(l)
		}
	}
	room := max(1, h-5-max(1, len(errLines))) // title, blank, list, blank, field, error
	if len(list) <= room {
		lines = append(lines, list...)
	} else {
		// keep the cursor in view, a line above and below for what is not
		vis := max(1, room-2)
		first := max(0, min(p.cursor-vis/2, len(list)-vis))
		last := min(len(list), first+vis)
		lines = append(lines, moreLine(first, "↑", st))
		lines = append(lines, list[first:last]...)
		lines = append(lines, moreLine(len(list)-last, "↓", st))
	}
	label := "name or path "
	lines = append(lines, "", st.Key.Render(label)+p.input.View())
	switch {
	case p.err != "":
		lines = append(lines, errLines...)
	case p.hint != "":
		lines = append(lines, st.Muted.Render(termsafe.Line(p.hint)))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(fitLines(lines[:h], w), "\n")
}

// moreLine says how many presets are out of view in a direction, or is
// empty when none are.
func moreLine(n int, arrow string, st *Styles) string {
	if n <= 0 {
		return ""
	}
	return st.Muted.Render("  " + arrow + " " + itoa(n) + " more")
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
	m.restart(res.topology, res.source, "you: opened "+termsafe.Line(res.source))
	m.setStatus(statusOK, "opened %s: %s", termsafe.Line(res.source), termsafe.Line(res.topology.Name))
	// what to try in it, as the first screen says
	m.updateKeys()
	if hint := tryHint(m.view, &m.keys); hint != "" {
		m.status = status{kind: statusHint, text: "opened " + termsafe.Line(res.source) + " · " + hint}
	}
	return cmd
}
