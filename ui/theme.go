package ui

import (
	"os"

	"github.com/charmbracelet/lipgloss"
)

// Theme is the dashboard's palette. Every colour is adaptive (light and
// dark terminals); with NO_COLOR every colour is lipgloss.NoColor, so the
// screen is readable from its symbols and numbers alone.
type Theme struct {
	Text   lipgloss.TerminalColor
	Muted  lipgloss.TerminalColor
	Accent lipgloss.TerminalColor
	OK     lipgloss.TerminalColor // low saturation, running on CPU
	Warn   lipgloss.TerminalColor // filling up, waiting for a core
	Bad    lipgloss.TerminalColor // saturated, waiting for the GIL, down
	Wait   lipgloss.TerminalColor // waiting on I/O, the DB, the cache
}

// newTheme returns the colour theme, or a colourless one when noColor.
func newTheme(noColor bool) Theme {
	if noColor {
		none := lipgloss.NoColor{}
		return Theme{Text: none, Muted: none, Accent: none, OK: none, Warn: none, Bad: none, Wait: none}
	}
	return Theme{
		Text:   lipgloss.NoColor{},
		Muted:  lipgloss.AdaptiveColor{Light: "#6e7781", Dark: "#8b949e"},
		Accent: lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		OK:     lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"},
		Warn:   lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"},
		Bad:    lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"},
		Wait:   lipgloss.AdaptiveColor{Light: "#8250df", Dark: "#bc8cff"},
	}
}

// noColorEnv reports whether the NO_COLOR convention asks for no colour
// (https://no-color.org: set to anything non-empty).
func noColorEnv() bool { return os.Getenv("NO_COLOR") != "" }

// Styles are every style the dashboard uses, made once from a Theme.
type Styles struct {
	Title    lipgloss.Style // section titles
	Brand    lipgloss.Style // "scalesim" in the header
	Bold     lipgloss.Style
	Muted    lipgloss.Style
	Accent   lipgloss.Style
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Bad      lipgloss.Style
	Wait     lipgloss.Style
	Border   lipgloss.Style // box lines and arrows
	Key      lipgloss.Style // a key in a prompt
	Selected lipgloss.Style

	// Cells of worker slots, by activity.
	CellCPU, CellWaitCore, CellWaitGIL, CellWait, CellIdle lipgloss.Style
}

// newStyles turns th into styles.
func newStyles(th Theme) Styles {
	s := lipgloss.NewStyle()
	return Styles{
		Title:        s.Bold(true).Foreground(th.Accent),
		Brand:        s.Bold(true).Foreground(th.Accent),
		Bold:         s.Bold(true),
		Muted:        s.Foreground(th.Muted),
		Accent:       s.Foreground(th.Accent),
		OK:           s.Foreground(th.OK),
		Warn:         s.Foreground(th.Warn),
		Bad:          s.Foreground(th.Bad).Bold(true),
		Wait:         s.Foreground(th.Wait),
		Border:       s.Foreground(th.Muted),
		Key:          s.Bold(true).Foreground(th.Accent),
		Selected:     s.Bold(true).Reverse(true),
		CellCPU:      s.Foreground(th.OK).Bold(true),
		CellWaitCore: s.Foreground(th.Warn).Bold(true),
		CellWaitGIL:  s.Foreground(th.Bad).Bold(true),
		CellWait:     s.Foreground(th.Wait),
		CellIdle:     s.Foreground(th.Muted),
	}
}

// Saturation thresholds: below warnAt is green, below badAt amber,
// from badAt red.
const (
	warnAt = 0.6
	badAt  = 0.9
)

// level is the style for a saturation fraction (0..1).
func (s *Styles) level(frac float64) lipgloss.Style {
	switch {
	case frac >= badAt:
		return s.Bad
	case frac >= warnAt:
		return s.Warn
	default:
		return s.OK
	}
}
