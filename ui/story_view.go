package ui

import "github.com/charmbracelet/bubbles/key"

// captionView is the current story step's caption: "" without a story.
func (m *Model) captionView() string { return "" }

// whyNoStep explains a story key that does not apply now.
func (m *Model) whyNoStep(b key.Binding) string {
	return "no story is being told: scalesim story NAME tells one (scalesim story --list)"
}
