package ui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/termsafe"
	"scalesim/topology"
)

// aboutView is the pane the i key opens in place of the body: the
// topology's name and whole description wrapped to the width, and what
// to try, in at most h lines.
func (m *Model) aboutView(w, h int) string {
	st := &m.ctx.styles
	title := st.Title.Render("ABOUT") + "  " + st.Bold.Render(termsafe.Line(m.source))
	if n := termsafe.Line(m.view.Name); n != "" && n != termsafe.Line(m.source) {
		title += st.Muted.Render(" · ") + n
	}
	lines := wrapStyled(title, w)
	desc := termsafe.Line(strings.Join(strings.Fields(m.view.Description), " "))
	if desc == "" {
		desc = "The file has no description."
	}
	lines = append(lines, "")
	lines = append(lines, wrapCells(desc, w)...) // a CJK description has no spaces to wrap at
	if hint := tryHint(m.view, &m.keys); hint != "" {
		lines = append(lines, "")
		if strings.HasPrefix(hint, "Press ") {
			hint = "Try: " + hint
		}
		for _, l := range wrap(hint, w) {
			lines = append(lines, st.Accent.Render(l))
		}
	}
	lines = append(lines, "")
	for _, l := range wrap("i or esc closes this · ? lists every key and what the numbers mean", w) {
		lines = append(lines, st.Muted.Render(l))
	}
	return block(cutLines(lines, h, st), w, h)
}

// cutLines keeps the first h lines, the last of them saying that more
// did not fit.
func cutLines(lines []string, h int, st *Styles) []string {
	if len(lines) <= h || h <= 0 {
		return lines
	}
	return append(lines[:h-1], st.Muted.Render("… a taller terminal shows the rest"))
}

// wrapStyled wraps a line that may hold styles at spaces into lines of
// at most w cells.
func wrapStyled(s string, w int) []string {
	if width(s) <= w {
		return []string{s}
	}
	return wrap(s, w)
}

// tryHint is what a newcomer might try first: the description's first
// sentence that says "Press …" (its author's advice), else its first
// "Watch …", else the key the one-line help leads with for this
// topology.
func tryHint(t *topology.Topology, k *KeyMap) string {
	desc := strings.Join(strings.Fields(termsafe.Line(t.Description)), " ")
	if s := sentenceFrom(desc, "Press "); s != "" {
		return s
	}
	if s := sentenceFrom(desc, "Watch "); s != "" {
		return s
	}
	for _, b := range k.ShortHelp() {
		if !b.Enabled() || sameBinding(b, k.Help) || sameBinding(b, k.About) || sameBinding(b, k.Quit) || sameBinding(b, k.Pause) {
			continue
		}
		return "Try " + b.Help().Key + " (" + b.Help().Desc + ") and watch what changes."
	}
	return ""
}

// sentenceFrom is the sentence of text from its first word (as in
// "Press ", or ": press " within a sentence) to its full stop,
// capitalised, or "".
func sentenceFrom(text, word string) string {
	s, _ := sentenceAt(text, word)
	return s
}

// sentenceAt is sentenceFrom and the index in text just after the
// sentence, where the next one may be looked for.
func sentenceAt(text, word string) (string, int) {
	i := strings.Index(text, word)
	if j := strings.Index(text, ": "+strings.ToLower(word)); j >= 0 && (i < 0 || j < i) {
		i = j + 2
	}
	if i < 0 {
		return "", len(text)
	}
	s := text[i:]
	if end := strings.Index(s, ". "); end >= 0 {
		s = s[:end+1]
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r), i + len(s)
}

// hintKeys are the keys a hint asks for: the word after each "press"
// ("Press j: …; press f to …"), or the key of a "Try w/W (…)".
func hintKeys(hint string) []string {
	f := strings.Fields(hint)
	var keys []string
	for i := 0; i+1 < len(f); i++ {
		if !strings.EqualFold(f[i], "press") && f[i] != "Try" {
			continue
		}
		for _, k := range strings.Split(strings.TrimRight(f[i+1], ":,;."), "/") {
			if k == "space" {
				k = " "
			}
			if k != "" {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// afterHint is what the first screen's hint becomes once its key was
// pressed and said nothing of its own: the description's next
// "Press …" sentence, or nothing, since the advice was taken.
func afterHint(t *topology.Topology, hint string) string {
	desc := strings.Join(strings.Fields(termsafe.Line(t.Description)), " ")
	for rest := desc; ; {
		s, end := sentenceAt(rest, "Press ")
		if s == "" {
			return ""
		}
		rest = rest[end:]
		if strings.HasSuffix(hint, s) {
			next, _ := sentenceAt(rest, "Press ")
			return next
		}
	}
}

// takeHint lets the first screen's hint go once the key it asks for
// was pressed, if that key left no status of its own (j, Q, v show
// their effect only on the screen).
func (m *Model) takeHint(before status, msg tea.KeyMsg) {
	if before.kind != statusHint || m.status != before {
		return
	}
	for _, k := range hintKeys(before.text) {
		if msg.String() == k {
			m.status = status{}
			if next := afterHint(m.view, before.text); next != "" {
				m.status = status{kind: statusHint, text: next}
			}
			return
		}
	}
}

// firstHint is the status a topology opens with: what to try, and that
// i tells the whole story, wrapped into at most two lines of w cells;
// when even two are too few, the hint is cut at a clause.
func firstHint(hint string, w int) []string {
	const more = " · i tells the whole story"
	if lines := wrap(hint+more, w); len(lines) <= 2 {
		return lines
	}
	for end := len(hint) - 1; end > 0; end-- {
		if strings.ContainsRune(":,;", rune(hint[end])) {
			if lines := wrap(hint[:end]+more, w); len(lines) <= 2 {
				return lines
			}
		}
	}
	lines := wrap(hint+more, w)
	return []string{lines[0], fit(strings.Join(lines[1:], " "), w)}
}
