package runplot

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// record runs the file path for d after warmup, recording as the run
// command does.
func record(t *testing.T, path string, warmup, d time.Duration) *Recorder {
	t.Helper()
	top, err := topology.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r := New(warmup)
	s, err := sim.New(top, sim.Options{Warmup: warmup, OnSecond: r.Second})
	if err != nil {
		t.Fatal(err)
	}
	for !s.AdvanceBudget(warmup+d, 20000) {
		r.Marks(s.Marks())
	}
	r.Marks(s.Marks())
	return r
}

// svgDoc is what the structural test reads of an SVG: its texts and
// its paths' styles and lengths.
type svgDoc struct {
	texts []string
	paths []svgPath
}

type svgPath struct {
	style  string
	points int
}

func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return doc
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "text":
			var s string
			if err := dec.DecodeElement(&s, &el); err != nil {
				t.Fatal(err)
			}
			doc.texts = append(doc.texts, s)
		case "path":
			var p svgPath
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "style":
					p.style = a.Value
				case "d":
					p.points = strings.Count(a.Value, "L") + 1
				}
			}
			doc.paths = append(doc.paths, p)
		}
	}
}

// TestSVGStructure draws a run with a surge, the cache stopped for 30 s
// and the rate restored, and reads the SVG back: three panels with their
// axis labels, a line per series that has something to show (no failed
// line: nothing failed), every change marked across every panel, and
// labelled on the top one.
func TestSVGStructure(t *testing.T) {
	r := record(t, "testdata/surge.yaml", 10*time.Second, 140*time.Second)
	var buf bytes.Buffer
	if err := r.Write(&buf, ".svg", "surge, seed 1"); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("RUNPLOT_KEEP") != "" {
		os.WriteFile(os.Getenv("RUNPLOT_KEEP"), buf.Bytes(), 0o644)
	}
	doc := parseSVG(t, buf.Bytes())
	for _, want := range []string{
		"surge, seed 1", "requests per second", "latency (ms)", "queue (requests waiting)", "simulated time (s)",
		"arrived", "completed", "dropped", "p50", "p99", "app", "cpu", "db", "cache",
		"warm-up ends", "the surge begins; workload.rate 300 → 380", "cache stopped: every read is a miss",
		"cache started, empty", "workload.rate 380 → 300",
	} {
		if !slices.Contains(doc.texts, want) {
			t.Errorf("the SVG has no text %q; texts: %q", want, doc.texts)
		}
	}
	for _, absent := range []string{"failed", "offload", "retries", "answered (goodput)"} {
		if slices.Contains(doc.texts, absent) {
			t.Errorf("the SVG has a %q series of zeros", absent)
		}
	}
	marks, dashed, series := 0, 0, 0
	for _, p := range doc.paths {
		switch {
		case strings.Contains(p.style, "stroke:#555555") && strings.Contains(p.style, "dasharray"):
			dashed++
		case strings.Contains(p.style, "stroke:#555555"):
			marks++
		case p.points >= 140: // one point a second
			series++
		}
	}
	// 4 instants (30s, 60s, 90s: the for: ends, 120s) in 3 panels
	if marks != 4*3 || dashed != 3 {
		t.Errorf("%d mark lines and %d warm-up lines, want 12 and 3", marks, dashed)
	}
	// arrived, completed, dropped; p50, p99; app, cpu, db, cache
	if series != 9 {
		t.Errorf("%d series lines, want 9", series)
	}
}

// TestPNG: the same picture as a PNG, 1512 pixels wide.
func TestPNG(t *testing.T) {
	r := record(t, "testdata/surge.yaml", 0, 20*time.Second)
	var buf bytes.Buffer
	if err := r.Write(&buf, ".png", "surge"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1512 || b.Dy() != 945 {
		t.Errorf("a PNG of %v", b)
	}
}

// TestFixedMemory: past maxPoints seconds, points are merged two by two;
// the counts add up to the seconds', and a latency is the worst second's.
func TestFixedMemory(t *testing.T) {
	r := New(0)
	var arrived float64
	n := 5*maxPoints + 3
	for i := 1; i <= n; i++ {
		s := sim.Second{T: float64(i), P99Ms: float64(i % 1000)}
		s.Arrived = uint64(i % 7)
		arrived += float64(s.Arrived)
		r.Second(s)
	}
	pts := r.all()
	if len(r.points) >= maxPoints || r.width != 8 { // 2048 points of 1s, of 2s (4096s), of 4s (8192s): then of 8s
		t.Errorf("%d points of %d seconds after %d seconds", len(r.points), r.width, n)
	}
	var sum, secs float64
	worst := 0.0
	for i, p := range pts {
		sum += p.arrived
		secs += p.n
		worst = max(worst, p.p99)
		if i > 0 && p.t0 != pts[i-1].t1 {
			t.Fatalf("point %d starts at %v, the one before ends at %v", i, p.t0, pts[i-1].t1)
		}
	}
	if sum != arrived || secs != float64(n) || worst != 999 || pts[0].t0 != 0 || pts[len(pts)-1].t1 != float64(n) {
		t.Errorf("arrived %v of %v over %v seconds of %d, worst p99 %v", sum, arrived, secs, n, worst)
	}
}

// TestMarksSeenOnce: the list of the last marks, given after every
// slice, records each change once, two at the same instant included.
func TestMarksSeenOnce(t *testing.T) {
	a := sim.Mark{At: time.Second, Text: "a"}
	b := sim.Mark{At: 2 * time.Second, Text: "b"}
	b2 := sim.Mark{At: 2 * time.Second, Text: "b2"}
	c := sim.Mark{At: 3 * time.Second, Text: "c"}
	r := New(0)
	r.Marks(nil)
	r.Marks([]sim.Mark{a})
	r.Marks([]sim.Mark{a, b})
	r.Marks([]sim.Mark{a, b, b2})
	r.Marks([]sim.Mark{b, b2, c}) // the oldest left the ring
	r.Marks([]sim.Mark{b, b2, c})
	if want := []sim.Mark{a, b, b2, c}; !slices.Equal(r.marks, want) {
		t.Errorf("marks %v, want %v", r.marks, want)
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{"run.svg": ".svg", "RUN.PNG": ".png", "a/b.png": ".png"} {
		if got, err := Format(in); err != nil || got != want {
			t.Errorf("Format(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := Format("run.pdf"); err == nil || !strings.Contains(err.Error(), "FILE.svg or FILE.png") {
		t.Errorf("Format(run.pdf): %v", err)
	}
}
