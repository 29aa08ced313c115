package ui

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
)

// TestReadmeCapture renders README-capture.txt: the dashboard of the
// default preset at 100x30 after a short session, the naive flash sale
// overselling, and the key reference. go test ./ui -update rewrites it.
func TestReadmeCapture(t *testing.T) {
	top := loadPreset(t, presets.Default)
	m, _ := newTestModel(t, top, presets.Default, 100, 30)
	runFor(m, 40*time.Second)
	press(m, "w", "w")
	runFor(m, 20*time.Second)

	var b strings.Builder
	b.WriteString("scalesim live dashboard, 100x30, preset " + presets.Default + " after 40 s at 10x, two more workers (w w) and 20 s more:\n\n")
	first := screen(m)
	b.WriteString(first)

	// the lesson of the flash sales: the naive checkout oversells
	const sale = "flash-sale-naive"
	m, _ = newTestModel(t, loadPreset(t, sale), sale, 100, 30)
	runFor(m, 25*time.Second)
	b.WriteString("\nPreset " + sale + " after 25 s at 10x: lost updates, then units sold twice (g changes the strategy):\n\n")
	second := screen(m)
	b.WriteString(second)

	// the same sale on a projector: the presentation layout at 80x24
	m, _ = newTestModel(t, loadPreset(t, sale), sale, 80, 24)
	runFor(m, 25*time.Second)
	press(m, "v")
	b.WriteString("\nThe same on a projector at 80x24, in the presentation layout (v):\n\n")
	third := screen(m)
	b.WriteString(third)
	readmeScreens(t, "../README.md", first, second, third)

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

// readmeScreens checks that the dashboard captures in the README (the
// code blocks that start with the header's "scalesim  ") are the screens
// given, in order, rewriting them with -update.
func readmeScreens(t *testing.T, path string, screens ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var out strings.Builder
	n := 0
	for i := 0; i < len(lines); i++ {
		out.WriteString(lines[i])
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
			continue
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
			end++
		}
		block := strings.Join(lines[i+1:min(end, len(lines))], "")
		if !strings.HasPrefix(strings.TrimLeft(block, "\n"), "scalesim  ") {
			out.WriteString(block)
		} else {
			if n >= len(screens) {
				t.Fatalf("%s has more dashboard captures than the %d the test renders", path, len(screens))
			}
			if block != screens[n] {
				t.Errorf("%s: dashboard capture %d is not what the dashboard draws (go test ./ui -update rewrites it)", path, n+1)
			}
			out.WriteString(screens[n])
			n++
		}
		if end < len(lines) {
			out.WriteString(lines[end])
		}
		i = end
	}
	if n != len(screens) {
		t.Errorf("%s has %d dashboard captures, want %d", path, n, len(screens))
	}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// keyReference is the key list for the README.
var keyReference = [][][2]string{
	{
		{"+ / -", "raise / lower the request rate (open workload) or the users (closed)"},
		{"w / W", "one worker more / fewer per node"},
		{"n / N", "one app node more / fewer"},
		{"c / C", "one core more / fewer per node"},
		{"m", "cycle the worker model sync → threads (×8) → gevent (×100) → sync"},
		{"t / T", "double / halve threads or greenlets per worker (threads, gevent)"},
		{"x", "take an app node down or bring it back (then its number with several nodes)"},
	},
	{
		{"k", "cache on / off (keeps its settings)"},
		{"h / H", "hit ratio ±5 points, or cache capacity ×2 / ÷2 with a key space"},
		{"f", "flush the cache"},
		{"d / D", "one core more / fewer per database server"},
		{"p / P", "one read replica more / fewer per primary (the first gets a 100 ms replication lag)"},
		{"a / A", "one shard more / fewer: a primary with its replicas"},
		{"l / L", "max_connections up / down (when the topology sets a limit)"},
		{"b", "PgBouncer on / off (20 server connections per server, at most max_connections)"},
		{"g", "cycle the stock strategy naive → row_lock → optimistic → atomic → redis → naive"},
		{"e", "reconcile the stock: set the counter to what is really left, as a DBA's UPDATE would"},
	},
	{
		{"space", "pause / resume"},
		{".", "step one simulated second (paused)"},
		{"> / <", "faster / slower: 0.1x … 1000x simulated time"},
		{"r", "reset: a fresh simulation of the topology with your edits, same seed (the timeline starts again)"},
	},
	{
		{"o", "open another preset, or type a path to a topology file"},
		{"s", "save the topology with your edits as YAML (never overwrites without asking)"},
		{"?", "all keys / fewer keys"},
		{"q", "quit (also ctrl+c)"},
	},
	{
		{"v", "the presentation layout: the key numbers in large digits, for a projector"},
		{"V", "the high-contrast theme (also --theme contrast)"},
		{"pgdown", "a story's next step (also right, enter: what a presenter's remote sends)"},
		{"pgup", "a story's previous step, rebuilt from its start (also left); home, end"},
		{"z", "a story step's notes"},
	},
}
