package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"scalesim/topology"
)

// progress draws one line on a terminal's stderr while a headless run
// goes: simulated time against planned, a bar and an estimate of the
// time left. A nil *progress draws nothing (stderr is not a terminal, so
// the output stays the same bytes whatever the speed of the machine).
type progress struct {
	w io.Writer
	// columns is the terminal's width now (it may change while the run
	// goes); 0 when unknown.
	columns     func() int
	total       time.Duration
	start, last time.Time
	shown       bool
}

// progressDelay is how long a run goes before the line appears, so that
// short runs print nothing; progressEvery is how often it is redrawn.
const (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

func newProgress(w io.Writer, columns func() int, total time.Duration) *progress {
	now := time.Now()
	return &progress{w: w, columns: columns, total: total, start: now, last: now}
}

// columnsOf returns the width of the terminal f is, asked anew at each
// call (the user may resize it while a run goes); 0 when unknown.
func columnsOf(f io.Writer) func() int {
	file, ok := f.(*os.File)
	return func() int {
		if !ok {
			return 0
		}
		w, _, err := term.GetSize(file.Fd())
		if err != nil {
			return 0
		}
		return w
	}
}

// update redraws the line for done of total simulated, at most every
// progressEvery.
func (p *progress) update(done time.Duration) {
	if p == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.shown = now, true
	width := 0
	if p.columns != nil {
		width = p.columns()
	}
	if width <= 0 {
		width = 80
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", progressLine(done, p.total, now.Sub(p.start), width))
}

// clear erases the line, if it was drawn.
func (p *progress) clear() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.shown = false
}

// progressBarWidth keeps the whole line within 72 columns, so that the
// terminal's echo of ^C does not wrap it; progressMinBar is the
// narrowest bar worth drawing.
const (
	progressBarWidth = 20
	progressMinBar   = 8
)

// progressLine is "simulated 12m0s of 1h10m ████░░░░░░░░  17%, about 40s left",
// where elapsed is the wall-clock time so far, in fewer columns than
// width: a line as wide as the terminal would wrap, and a wrapped line is
// not redrawn in place. A narrow terminal loses the estimate first, then
// bar cells, then the bar and the word "simulated"; the figures stay.
func progressLine(done, total, elapsed time.Duration, width int) string {
	frac := 1.0
	if total > 0 {
		frac = min(1, max(0, float64(done)/float64(total)))
	}
	room := width - 1
	times := fmt.Sprintf("%s of %s", roughDuration(done), roughDuration(total))
	pct := fmt.Sprintf("%3d%%", int(frac*100))
	estimate := ""
	if frac > 0 && frac < 1 && elapsed >= time.Second {
		left := time.Duration(float64(elapsed) * (1 - frac) / frac)
		estimate = ", about " + roughDuration(left) + " left"
	}
	bar := func(cells int) string {
		full := int(frac * float64(cells))
		return strings.Repeat("█", full) + strings.Repeat("░", cells-full)
	}
	fixed := len("simulated ") + len(times) + 1 + 1 + len(pct) // the spaces around the bar
	switch {
	case fixed+progressBarWidth+len(estimate) <= room:
		return "simulated " + times + " " + bar(progressBarWidth) + " " + pct + estimate
	case fixed+progressMinBar <= room:
		return "simulated " + times + " " + bar(min(progressBarWidth, room-fixed)) + " " + pct
	case len("simulated ")+len(times)+1+len(pct) <= room:
		return "simulated " + times + " " + pct
	case len(times)+1+len(pct) <= room:
		return times + " " + pct
	}
	return strings.TrimSpace(pct)[:min(len(strings.TrimSpace(pct)), max(room, 0))]
}

// shortDuration writes d to the second (to the millisecond under one).
func shortDuration(d time.Duration) string {
	if d < time.Second {
		return topology.FormatDuration(d.Round(time.Millisecond))
	}
	return topology.FormatDuration(d.Round(time.Second))
}

// roughDuration writes an estimate to the hour from 10h, to the minute
// from 1h, else to the second.
func roughDuration(d time.Duration) string {
	switch {
	case d >= 10*time.Hour:
		return topology.FormatDuration(d.Round(time.Hour))
	case d >= time.Hour:
		return topology.FormatDuration(d.Round(time.Minute))
	}
	return shortDuration(d)
}
