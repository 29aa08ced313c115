package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"

	"scalesim/termsafe"
)

// captionView is the current story step's caption, on a line of its
// own under the header: bold and reversed across the width, to be read
// from the back of a room (reversed video needs no colour). It is one
// line whatever the language: a caption wider than the terminal is cut
// at a character, with an ellipsis, never wrapped (widths are the
// terminal's: a CJK character takes two columns). "" without a story.
func (m *Model) captionView() string {
	if m.story == nil {
		return ""
	}
	w := m.ctx.width
	text := " " + termsafe.Line(m.story.current().Caption)
	return m.ctx.styles.Selected.Render(fit(text, w))
}

// clockText is the header's simulated clock: the frame's time, or,
// while a story's step is being rebuilt, a placeholder of the same
// width. The frame on screen until the rebuild's first is the last one
// before it, of another step: its time beside the new step's badge and
// caption would be a wrong time.
func (m *Model) clockText() string {
	if s := m.story; s != nil && s.rebuilding != 0 {
		return "-:--:--.-"
	}
	return clock(m.frame.Snap.Now)
}

// stepBadge is the header's "step k/N", "" without a story.
func (m *Model) stepBadge() string {
	s := m.story
	if s == nil {
		return ""
	}
	return m.ctx.styles.Muted.Render("step ") + m.ctx.styles.Bold.Render(itoa(s.step+1)+"/"+itoa(len(s.st.Steps)))
}

// notesView is the pane of the step's notes (z): the step, its caption,
// the notes wrapped to the width (CJK text, which has no spaces, breaks
// between characters), and how to close it.
func (m *Model) notesView(w, h int) string {
	st := &m.ctx.styles
	s := m.story
	step := s.current()
	head := st.Title.Render("NOTES") + "  " + st.Bold.Render("step "+itoa(s.step+1)+"/"+itoa(len(s.st.Steps)))
	if t := termsafe.Line(s.st.Title); t != "" {
		head += st.Muted.Render(" · ") + t
	}
	lines := []string{fit(head, w), ""}
	for _, l := range wrapCells(termsafe.Line(step.Caption), w) {
		lines = append(lines, st.Bold.Render(l))
	}
	lines = append(lines, "")
	notes := joinWords(strings.Fields(termsafe.Line(step.Notes)))
	if notes == "" {
		notes = "This step has no notes."
	}
	lines = append(lines, wrapCells(notes, w)...)
	if step.Run > 0 {
		lines = append(lines, "", st.Muted.Render("runs "+shortDur(step.Run)+", then pauses"))
	}
	lines = append(lines, "")
	for _, l := range wrapCells("z or esc closes this · →/pgdn next step · ←/pgup previous", w) {
		lines = append(lines, st.Muted.Render(l))
	}
	return block(cutLines(lines, h, st), w, h)
}

// wrapCells wraps text into lines of at most w terminal columns: at
// spaces, and inside a word only when it must, between characters (a
// CJK sentence has no spaces; a wide character is never split).
func wrapCells(text string, w int) []string {
	if w <= 0 || text == "" {
		return nil
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Fields(text) {
		ww := width(word)
		sep := 0
		if curW > 0 {
			sep = 1
		}
		if curW+sep+ww <= w {
			if sep == 1 {
				cur.WriteByte(' ')
			}
			cur.WriteString(word)
			curW += sep + ww
			continue
		}
		if ww <= w && !wide(word) {
			flush()
			cur.WriteString(word)
			curW = ww
			continue
		}
		// a word too long for a line, or of wide characters: character
		// by character, from where the line is
		if curW > 0 && curW+1 < w {
			cur.WriteByte(' ')
			curW++
		} else if curW > 0 {
			flush()
		}
		for _, r := range word {
			rw := width(string(r))
			if curW+rw > w {
				flush()
			}
			cur.WriteRune(r)
			curW += rw
		}
	}
	if curW > 0 {
		flush()
	}
	return lines
}

// wide reports whether s holds a character two columns wide.
func wide(s string) bool {
	for _, r := range s {
		if width(string(r)) > 1 {
			return true
		}
	}
	return false
}

// whyNoStep explains a story key that does not apply now.
func (m *Model) whyNoStep(b key.Binding) string {
	s := m.story
	k := &m.keys
	switch {
	case s == nil:
		return "no story is being told: scalesim story NAME tells one (scalesim story --list)"
	case sameBinding(b, k.Next), sameBinding(b, k.Last):
		return "step " + itoa(s.step+1) + "/" + itoa(len(s.st.Steps)) + " is the last: ←/pgup goes back, home to the first"
	default:
		return "step 1 is the first: →/pgdn goes on, end to the last"
	}
}

// joinWords joins words with spaces, but none between two wide
// characters: a CJK paragraph folded over lines in a YAML file has no
// spaces of its own.
func joinWords(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(words[i-1])
			next, _ := utf8.DecodeRuneInString(w)
			if !(width(string(prev)) > 1 && width(string(next)) > 1) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}
