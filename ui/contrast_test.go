package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestContrastStyles: the high-contrast theme has no grey and no faint
// text; without colour (NO_COLOR) it has no colour at all, and what is
// bad is reversed instead.
func TestContrastStyles(t *testing.T) {
	col := newContrastStyles(false)
	for name, s := range map[string]lipgloss.Style{"muted": col.Muted, "border": col.Border, "idle": col.CellIdle} {
		if _, grey := s.GetForeground().(lipgloss.NoColor); !grey || s.GetFaint() {
			t.Errorf("contrast %s is drawn in %v (faint %v), want the text's own colour", name, s.GetForeground(), s.GetFaint())
		}
	}
	for name, s := range map[string]lipgloss.Style{"ok": col.OK, "warn": col.Warn, "bad": col.Bad, "accent": col.Accent} {
		if _, none := s.GetForeground().(lipgloss.NoColor); none || !s.GetBold() {
			t.Errorf("contrast %s: colour %v bold %v, want a colour in bold", name, s.GetForeground(), s.GetBold())
		}
	}
	plain := newContrastStyles(true)
	for name, s := range map[string]lipgloss.Style{"ok": plain.OK, "warn": plain.Warn, "bad": plain.Bad, "accent": plain.Accent, "muted": plain.Muted, "key": plain.Key} {
		if _, none := s.GetForeground().(lipgloss.NoColor); !none {
			t.Errorf("NO_COLOR contrast %s has colour %v", name, s.GetForeground())
		}
	}
	if !plain.Bad.GetReverse() || !plain.Bad.GetBold() {
		t.Error("NO_COLOR contrast: bad is not bold and reversed")
	}
	if newStyles(newTheme(true)).Bad.GetReverse() {
		t.Error("the usual NO_COLOR theme reverses bad: contrast would add nothing")
	}
}

// TestThemeKeys: --theme contrast starts with the high-contrast styles,
// V switches them, v the presentation layout; the help says what each
// does next.
func TestThemeKeys(t *testing.T) {
	top := fixture(t, "web")
	st, err := newSyncStepper(top, 0, 10, false, testPerTick)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(Options{Topology: top, Source: "web", Theme: ThemeContrast}, st, 10, false)
	m.Update(teaWS(80, 24))
	if !m.ctx.contrast || !m.ctx.styles.Bad.GetBold() || m.ctx.styles.Muted.GetForeground() != (lipgloss.NoColor{}) {
		t.Fatal("--theme contrast does not start with the high-contrast styles")
	}
	if d := m.keys.Contrast.Help().Desc; d != "usual theme" {
		t.Errorf("V's help says %q, want usual theme", d)
	}
	press(m, "V")
	if m.ctx.contrast || m.help.Styles.ShortKey.GetForeground() != m.ctx.plainStyles.Key.GetForeground() {
		t.Error("V does not go back to the usual theme, or the help keeps the old styles")
	}
	press(m, "v")
	if !m.present || m.keys.Present.Help().Desc != "usual layout" {
		t.Error("v does not open the presentation layout")
	}
	checkScreen(t, screen(m), 80, 24)
	press(m, "v")
	if m.present {
		t.Error("v again does not close it")
	}
	if err := CheckTheme("contrat"); err == nil {
		t.Error("CheckTheme takes contrat")
	}
	if err := Run(Options{Topology: top, Theme: "dark"}); err == nil {
		t.Error("Run takes an unknown theme")
	}
}

// TestNoColorContrast: with NO_COLOR, on the profile the dashboard then
// draws with, the high-contrast theme is bold and reverse video and no
// colour at all.
func TestNoColorContrast(t *testing.T) {
	if got := styleProfile(true, termenv.Ascii); got != termenv.ANSI {
		t.Errorf("NO_COLOR draws with %v, want ANSI (styles, no colour)", got)
	}
	if got := styleProfile(false, termenv.Ascii); got != termenv.Ascii {
		t.Errorf("a terminal without colour draws with %v", got)
	}
	lipgloss.SetColorProfile(styleProfile(true, termenv.Ascii))
	defer lipgloss.SetColorProfile(termenv.Ascii)
	t.Setenv("NO_COLOR", "1")
	m, _ := newTestModel(t, fixture(t, "flash-naive"), "flash-naive", 80, 24)
	runFor(m, 12*time.Second) // oversold: a bad number
	press(m, "V", "v")
	v := m.View()
	for _, seq := range []string{"\x1b[38;", "\x1b[48;", "\x1b[31", "\x1b[32", "\x1b[33", "\x1b[34", "\x1b[35", "\x1b[36", "\x1b[37", "\x1b[9"} {
		if strings.Contains(v, seq) {
			t.Fatalf("NO_COLOR contrast view holds colour sequence %q", seq)
		}
	}
	if !strings.Contains(v, "\x1b[1") || !strings.Contains(v, "7m") {
		t.Errorf("NO_COLOR contrast view has no bold or no reverse video:\n%q", v)
	}
}

// TestSplitHasNoPresentKeys: the split dashboard draws its sides its own
// way: v and V are off there, and say why.
func TestSplitHasNoPresentKeys(t *testing.T) {
	s, _ := newTestSplit(t, fixture(t, "cache"), cacheOff(t), "A", "B", 80, 24)
	splitPress(s, "v", "V")
	f := s.sides[s.focus]
	if f.present || f.ctx.contrast {
		t.Error("v or V switched a side of the split")
	}
	if got := f.statusView(); !strings.Contains(got, "the split dashboard has no presentation layout") {
		t.Errorf("V in the split says %q", got)
	}
}
