package ui

import (
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
	// confirm is the path the user must confirm overwriting.
	confirm string
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

// onPromptKey answers the open prompt.
func (m *Model) onPromptKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyEsc {
		m.prompt = prompt{}
		m.setStatus(statusInfo, "cancelled")
		return nil
	}
	switch m.prompt.kind {
	case promptNode:
		s := msg.String()
		if len(s) == 1 && s[0] >= '1' && int(s[0]-'0') <= m.prompt.nodes {
			m.prompt = prompt{}
			m.toggleNode(int(s[0] - '1'))
		}
		return nil
	case promptSave:
		if msg.Type == tea.KeyEnter {
			m.finishSave()
			return nil
		}
		var cmd tea.Cmd
		m.prompt.input, cmd = m.prompt.input.Update(msg)
		m.prompt.confirm = ""
		return cmd
	}
	return nil
}
