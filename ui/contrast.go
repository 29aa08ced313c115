package ui

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The high-contrast theme is for a projector, whose washed-out greys and
// dark blues vanish from the back of a room: no grey at all (what the
// ordinary theme mutes is drawn in the text's own colour), saturated
// colours from the terminal's 256, bright on a dark background and deep
// on a light one, and bold wherever the ordinary theme relies on a hue
// alone. With NO_COLOR it has no colour either: contrast is then bold and
// reverse video only (a saturated or failing station reversed). V
// switches it on and off; --theme contrast starts with it.

// Themes the dashboard starts with (Options.Theme, --theme).
const (
	ThemeDefault  = "default"
	ThemeContrast = "contrast"
)

// Themes lists the names --theme takes.
func Themes() []string { return []string{ThemeDefault, ThemeContrast} }

// CheckTheme refuses a theme name that is none of Themes ("" is the
// default).
func CheckTheme(name string) error {
	switch name {
	case "", ThemeDefault, ThemeContrast:
		return nil
	}
	return fmt.Errorf("no theme %q: the themes are %s and %s", name, ThemeDefault, ThemeContrast)
}

// newContrastTheme is the high-contrast palette, or a colourless one
// when noColor.
func newContrastTheme(noColor bool) Theme {
	if noColor {
		return newTheme(true)
	}
	return Theme{
		Text:   lipgloss.NoColor{},
		Muted:  lipgloss.NoColor{},
		Accent: lipgloss.AdaptiveColor{Light: "19", Dark: "51"},
		OK:     lipgloss.AdaptiveColor{Light: "22", Dark: "46"},
		Warn:   lipgloss.AdaptiveColor{Light: "130", Dark: "226"},
		Bad:    lipgloss.AdaptiveColor{Light: "160", Dark: "196"},
		Wait:   lipgloss.AdaptiveColor{Light: "90", Dark: "207"},
	}
}

// newContrastStyles turns the high-contrast palette into styles: the
// ordinary styles, with what they mute drawn plainly and the levels in
// bold (and, without colour, what is bad reversed).
func newContrastStyles(noColor bool) Styles {
	th := newContrastTheme(noColor)
	s := newStyles(th)
	plain := lipgloss.NewStyle()
	s.Muted = plain
	s.Border = plain.Bold(true)
	s.CellIdle = plain
	s.OK = s.OK.Bold(true)
	s.Warn = s.Warn.Bold(true)
	s.Wait = s.Wait.Bold(true)
	s.CellWait = s.CellWait.Bold(true)
	s.Accent = s.Accent.Bold(true)
	if noColor {
		s.Bad = s.Bad.Reverse(true)
		s.CellWaitGIL = s.CellWaitGIL.Reverse(true)
		s.Title = s.Title.Underline(true)
	}
	return s
}

// setContrast switches the high-contrast theme on or off: every pane
// draws with ctx's styles, and the help's are set again from them.
func (m *Model) setContrast(on bool) {
	m.ctx.contrast = on
	if on {
		m.ctx.styles = m.ctx.contrastStyles
	} else {
		m.ctx.styles = m.ctx.plainStyles
	}
	m.helpStyles()
}

// styleProfile is the profile the dashboard draws with on a terminal
// detected as detected. NO_COLOR asks for no colour, not for no bold or
// reverse video (https://no-color.org), but the terminal library drops
// every style with it; the themes have no colour at all then, so the
// styles are drawn as ANSI, which the themes' colourless styles turn
// into bold and reverse alone.
func styleProfile(noColor bool, detected termenv.Profile) termenv.Profile {
	if noColor && detected == termenv.Ascii {
		return termenv.ANSI
	}
	return detected
}
