package ui

import "strings"

// figure is one part of a line drawn to a width budget (a number with
// its label, usually), in the forms it can be written, longest first:
// the labels shorten, the number never does. A form may be "" for a
// part that can be left out.
type figure struct {
	forms []string
	// yield orders the shortening: figures of yield 0 (context that
	// can go) shorten all the way first; the others one step each
	// round, the lowest yield first.
	yield int
}

// budget joins figs on one line of at most w cells: each figure in its
// longest form when they fit, else the next to yield one step shorter,
// and so on; the separators narrow from two spaces to one last. Only
// when even the shortest forms do not fit is the line cut.
func budget(figs []figure, w int) string { return budgetSep(figs, w, "  ", " ") }

// budgetSep is budget with the separators given: wide while the forms
// shorten, narrow as a last resort.
func budgetSep(figs []figure, w int, wide, narrow string) string {
	level := make([]int, len(figs))
	join := func(sep string) string {
		var parts []string
		for i, f := range figs {
			if p := f.forms[level[i]]; p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, sep)
	}
	for {
		if line := join(wide); width(line) <= w {
			return line
		}
		next := -1
		for i, f := range figs {
			if level[i] < len(f.forms)-1 && (next < 0 || before(f, level[i], figs[next], level[next])) {
				next = i
			}
		}
		if next < 0 {
			return fit(join(narrow), w)
		}
		level[next]++
	}
}

// before reports whether figure a at level la shortens before b at lb.
func before(a figure, la int, b figure, lb int) bool {
	if (a.yield == 0) != (b.yield == 0) {
		return a.yield == 0
	}
	if la != lb {
		return la < lb
	}
	return a.yield < b.yield
}
