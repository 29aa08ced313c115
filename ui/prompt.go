package ui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// promptKind is what the status line is asking.
type promptKind int

const (
	promptNone promptKind = iota
	promptSave            // a file name to save to
	promptNode            // which node to take down or up
)

// prompt is a question asked on the status line.
type prompt struct {
	kind  promptKind
	input textinput.Model
	nodes int // promptNode: nodes 1..nodes may be chosen
	def   int // promptNode: the node enter chooses when none is typed
	// confirm is the path the user must confirm overwriting.
	confirm string
	// err is why the last answer was refused, shown until the next key.
	err string
}

// newTextInput is a one-line input with a steady cursor (no blink timer,
// so screens do not depend on the wall clock).
func newTextInput(value string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.SetValue(value)
	ti.CursorEnd()
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	return ti
}

// onPromptKey answers the open prompt; esc closes it.
func (m *Model) onPromptKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyEsc {
		m.prompt = prompt{}
		m.setStatus(statusInfo, "cancelled")
		return nil
	}
	switch m.prompt.kind {
	case promptNode:
		m.onNodeKey(msg)
		return nil
	case promptSave:
		if msg.Type == tea.KeyEnter {
			m.finishSave()
			return nil
		}
		var cmd tea.Cmd
		m.prompt.input, cmd = m.prompt.input.Update(msg)
		m.prompt.confirm, m.prompt.err = "", ""
		return cmd
	}
	return nil
}

// onNodeKey answers the node prompt. Digits type the node's number; it
// is chosen as soon as no further digit could name a node (with 12
// nodes, 2 chooses node 2 at once, 1 waits for a second digit or enter),
// and enter chooses what is typed, or the default. A digit that names no
// node is ignored.
func (m *Model) onNodeKey(msg tea.KeyMsg) {
	p := &m.prompt
	typed := p.input.Value()
	switch {
	case msg.Type == tea.KeyEnter:
		n := p.def
		if typed != "" {
			n, _ = strconv.Atoi(typed)
		}
		m.prompt = prompt{}
		m.toggleNode(n - 1)
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '0' && msg.Runes[0] <= '9':
		n, err := strconv.Atoi(typed + string(msg.Runes))
		if err != nil || n < 1 || n > p.nodes {
			return
		}
		if n*10 > p.nodes {
			m.prompt = prompt{}
			m.toggleNode(n - 1)
			return
		}
		p.input.SetValue(itoa(n))
		p.input.CursorEnd()
	case msg.Type == tea.KeyBackspace:
		p.input, _ = p.input.Update(msg)
	}
}
