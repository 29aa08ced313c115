package ui

// programContext is what every pane shares, passed by pointer: the
// terminal size and the styles. The root model owns it and sets the size;
// panes read it and never change it.
type programContext struct {
	width, height int
	styles        Styles
}

// newProgramContext makes the styles once, colourless when noColor.
func newProgramContext(noColor bool) *programContext {
	return &programContext{styles: newStyles(newTheme(noColor))}
}
