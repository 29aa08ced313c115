package ui

// programContext is what every pane shares, passed by pointer: the
// terminal size and the styles. The root model owns it and sets the size
// and the theme; panes read it and never change it.
type programContext struct {
	width, height int
	styles        Styles
	// both themes' styles, made once: styles is one of them
	plainStyles, contrastStyles Styles
	contrast                    bool // the high-contrast theme is on
}

// newProgramContext makes the styles once, colourless when noColor.
func newProgramContext(noColor bool) *programContext {
	plain := newStyles(newTheme(noColor))
	return &programContext{styles: plain, plainStyles: plain, contrastStyles: newContrastStyles(noColor)}
}
