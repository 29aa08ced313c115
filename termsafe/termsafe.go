// Package termsafe makes text that came from a user's file safe to print
// on a terminal: control characters, which could clear the screen, set
// the window title or move the cursor, are shown as Go escapes instead
// of being sent to the terminal.
//
// It is a package of its own because every writer of file-supplied text
// needs it (the command's errors, the text report, the dashboard) and
// none of them should depend on another for it.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s with every control character escaped, newlines and tabs
// included: for a name, a caption or any other one-line field.
func Line(s string) string { return escape(s, false) }

// Text returns s with every control character escaped except newlines
// and tabs: for multi-line messages such as a list of errors.
func Text(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	if clean(s, keepLines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case unsafeRune(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func clean(s string, keepLines bool) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if unsafeRune(r) && !(keepLines && (r == '\n' || r == '\t')) {
			return false
		}
		i += size
	}
	return true
}

// unsafeRune reports the runes a terminal acts on rather than shows: C0
// and C1 controls, DEL, and the bidirectional overrides that reorder
// what follows them.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
