package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"scalesim/topology"
)

// progress draws one line on a terminal's stderr while a headless run
// goes: simulated time against planned, a bar and an estimate of the
// time left. A nil *progress draws nothing (stderr is not a terminal, so
// the output stays the same bytes whatever the speed of the machine).
type progress struct {
	w           io.Writer
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

func newProgress(w io.Writer, total time.Duration) *progress {
	now := time.Now()
	return &progress{w: w, total: total, start: now, last: now}
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
	fmt.Fprintf(p.w, "\r%s\x1b[K", progressLine(done, p.total, now.Sub(p.start)))
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
// terminal's echo of ^C does not wrap it.
const progressBarWidth = 20

// progressLine is "simulated 12m0s of 1h10m ████░░░░░░░░  17%, about 40s left",
// where elapsed is the wall-clock time so far.
func progressLine(done, total, elapsed time.Duration) string {
	frac := 1.0
	if total > 0 {
		frac = min(1, max(0, float64(done)/float64(total)))
	}
	full := int(frac * progressBarWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", progressBarWidth-full)
	line := fmt.Sprintf("simulated %s of %s %s %3d%%", roughDuration(done), roughDuration(total), bar, int(frac*100))
	if frac > 0 && frac < 1 && elapsed >= time.Second {
		left := time.Duration(float64(elapsed) * (1 - frac) / frac)
		line += ", about " + roughDuration(left) + " left"
	}
	return line
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
