package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
)

// TestReadmeCapture renders README-capture.txt: the dashboard of the
// default preset at 100x30 after a short session, and the key reference.
// go test ./ui -update rewrites it.
func TestReadmeCapture(t *testing.T) {
	top := loadPreset(t, presets.Default)
	m, _ := newTestModel(t, top, presets.Default, 100, 30)
	runFor(m, 40*time.Second)
	press(m, "w", "w")
	runFor(m, 20*time.Second)

	var b strings.Builder
	b.WriteString("scalesim live dashboard, 100x30, preset " + presets.Default + " after 40 s at 10x and two more workers (w w):\n\n")
	b.WriteString(screen(m))
	b.WriteString("\nKeys (help shows only those that apply; ? shows them all):\n\n")
	for _, group := range keyReference {
		for _, k := range group {
			fmt.Fprintf(&b, "  %-7s %s\n", k[0], k[1])
		}
		b.WriteString("\n")
	}
	got := strings.TrimSuffix(b.String(), "\n")
	requireGoldenFile(t, "README-capture.txt", got)
}

// keyReference is the key list for the README.
var keyReference = [][][2]string{
	{
		{"+ / -", "raise / lower the request rate (open workload) or the users (closed)"},
		{"w / W", "one worker more / fewer per node"},
		{"n / N", "one app node more / fewer"},
		{"c / C", "one core more / fewer per node"},
		{"m", "cycle the worker model sync → threads (×8) → gevent → sync"},
		{"t / T", "double / halve threads or greenlets per worker (threads, gevent)"},
	},
	{
		{"k", "cache on / off (keeps its settings)"},
		{"h / H", "hit ratio ±5 points, or cache capacity ×2 / ÷2 with a key space"},
		{"f", "flush the cache"},
		{"d / D", "one database core more / fewer"},
		{"x", "take an app node down or bring it back (then 1-9 with several nodes)"},
	},
	{
		{"space", "pause / resume"},
		{".", "step one simulated second (paused)"},
		{"> / <", "faster / slower: 0.1x … 1000x simulated time"},
		{"r", "reset: a fresh simulation of the current topology, same seed"},
	},
	{
		{"o", "open another preset, or type a path to a topology file"},
		{"s", "save the current topology as YAML (never overwrites without asking)"},
		{"?", "all keys / fewer keys"},
		{"q", "quit (also ctrl+c)"},
	},
}
