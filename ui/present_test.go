package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestGoldenPresent renders the presentation layout (v) of a flash sale
// (its oversold panel) and of the web fixture at a projector's 80x24, at
// 80x23 (a tmux status line takes a row), and at 160x48, where the
// glyphs are 5 rows high.
func TestGoldenPresent(t *testing.T) {
	drawingOnly(t)
	for _, file := range []string{"flash-naive", "web"} {
		for _, sz := range [][2]int{{80, 24}, {80, 23}, {160, 48}} {
			name := fmt.Sprintf("present-%s-%dx%d", file, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m, _ := newTestModel(t, fixture(t, file), file, sz[0], sz[1])
				runFor(m, 12*time.Second)
				press(m, "v")
				got := screen(m)
				checkScreen(t, got, sz[0], sz[1])
				for _, want := range []string{"SERVED", "P99", "ERRORS"} {
					if !strings.Contains(got, want) {
						t.Errorf("no %s on the screen", want)
					}
				}
				if oversold := strings.Contains(got, "OVERSOLD"); oversold != (file == "flash-naive") {
					t.Errorf("OVERSOLD shown %v for %s", oversold, file)
				}
				requireGolden(t, name, got)
			})
		}
	}
}

// TestBigFont: every glyph draws in bigWidth × bigHeight cells at both
// scales, its lit pixels as blocks, and an unknown character as a space.
func TestBigFont(t *testing.T) {
	for _, s := range []string{"0123456789", "1.2k", "<1%", ">99%", "12M", "-", "x"} {
		for _, scale := range []int{1, 2} {
			lines := big(s, scale)
			if len(lines) != bigHeight(scale) {
				t.Errorf("%q at %d: %d lines, want %d", s, scale, len(lines), bigHeight(scale))
			}
			for _, l := range lines {
				if width(l) != bigWidth(s, scale) {
					t.Errorf("%q at %d: a line %d wide, want %d: %q", s, scale, width(l), bigWidth(s, scale), l)
				}
			}
		}
	}
	if got := strings.Join(big("8", 1), "\n"); got != "█▀█\n█▀█\n▀▀▀" {
		t.Errorf("8 at scale 1:\n%s", got)
	}
	if got := strings.Join(big("1", 2), "\n"); got != "  ██  \n████  \n  ██  \n  ██  \n██████" {
		t.Errorf("1 at scale 2:\n%s", got)
	}
	if got := strings.TrimSpace(strings.Join(big("x", 1), "")); got != "" {
		t.Errorf("an unknown character draws %q", got)
	}
	for _, c := range []struct {
		ms        float64
		num, unit string
	}{{0, "0", "ms"}, {0.9464, "946", "µs"}, {0.0001, "1", "µs"}, {4.54, "4.5", "ms"}, {27.4, "27", "ms"}, {1940, "1.9", "s"}, {12600, "13", "s"}} {
		if n, u := bigLatency(c.ms); n != c.num || u != c.unit {
			t.Errorf("bigLatency(%v) = %s %s, want %s %s", c.ms, n, u, c.num, c.unit)
		}
	}
}
