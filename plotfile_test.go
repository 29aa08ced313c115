package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotFlag: --plot draws the run to an SVG or a PNG without changing
// what the run prints; another extension is refused before the run.
func TestPlotFlag(t *testing.T) {
	dir := t.TempDir()
	want := runWithin(t, "run", "--duration", "20s", "runplot/testdata/surge.yaml")
	names := []string{"surge.svg", "surge.png"}
	if testing.Short() {
		names = names[:1] // drawing a PNG takes seconds under the race detector; runplot tests it
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		got := runWithin(t, "run", "--duration", "20s", "--plot", path, "runplot/testdata/surge.yaml")
		got.check(t, 0, "throughput", "")
		if got.out != want.out {
			t.Errorf("%s: a plotted run printed other bytes", name)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".svg") && !strings.Contains(string(data), "the surge begins") {
			t.Errorf("the SVG does not mark the surge")
		}
		if strings.HasSuffix(name, ".png") && !strings.HasPrefix(string(data), "\x89PNG") {
			t.Errorf("not a PNG")
		}
	}
	runWithin(t, "run", "--plot", filepath.Join(dir, "run.pdf"), "redis-cache").
		check(t, 2, "", `--plot "`+filepath.Join(dir, "run.pdf")+`": a plot is written as FILE.svg or FILE.png, not "run.pdf"`)
	runWithin(t, "run", "--plot", filepath.Join(dir, "no", "such", "run.svg"), "redis-cache").
		check(t, 2, "", "--plot: "+filepath.Join(dir, "no", "such", "run.svg")+": cannot be created: "+filepath.Join(dir, "no", "such")+" is not a directory that exists")
}
