package runplot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"scalesim/sim"
)

// Formats are the picture formats, by file extension.
var Formats = []string{".svg", ".png"}

// Format returns the format of a picture file named path: ".svg" or
// ".png", or an error naming the ones there are.
func Format(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("a plot is written as FILE.svg or FILE.png, not %q", filepath.Base(path))
}

// Size of the picture: a 16:10 slide.
const (
	width  = 32 * vg.Centimeter
	height = 20 * vg.Centimeter
	// pngDPI makes a PNG 1512 pixels wide.
	pngDPI = 120
)

// Palette: distinct and readable in print and on a projector.
var (
	colArrived   = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	colCompleted = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colAnswered  = color.RGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}
	colDropped   = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colFailed    = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	colAbandoned = color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}
	colRetries   = color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}
	colP50       = color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}
	colP99       = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colMark      = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	colStations  = [numStations]color.Color{
		color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
		color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
		color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	}
)

// maxLabels is how many marks are labelled; later ones are drawn as
// lines only, so that labels stay readable.
const maxLabels = 12

// maxLabelRunes is the longest label, in characters.
const maxLabelRunes = 48

// Write draws the run as format (".svg" or ".png") on w, titled title.
func (r *Recorder) Write(w io.Writer, format, title string) error {
	panels := r.panels(title)
	var c interface {
		vg.CanvasWriterTo
	}
	switch format {
	case ".svg":
		c = vgsvg.New(width, height)
	case ".png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))}
	default:
		return fmt.Errorf("runplot: no format %q", format)
	}
	dc := draw.New(c)
	col := make([][]*plot.Plot, len(panels))
	for i, p := range panels {
		col[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4, PadY: vg.Millimeter * 3}
	cs := plot.Align(col, tiles, dc)
	for i, p := range panels {
		p.Draw(cs[i][0])
	}
	_, err := c.WriteTo(w)
	return err
}

// panels builds the three panels: throughput and drops, latency, queues.
func (r *Recorder) panels(title string) []*plot.Plot {
	pts := r.all()
	x0, x1 := 0.0, 1.0
	if len(pts) > 0 {
		x0, x1 = pts[0].t0, pts[len(pts)-1].t1
	}
	xlabel := "simulated time (s)"
	if r.width > 1 {
		xlabel = fmt.Sprintf("simulated time (s), a point every %ds", r.width)
	}

	tp := newPanel(x0, x1)
	tp.Title.Text = title
	tp.Y.Label.Text = "requests per second"
	rate := func(f func(p point) float64) plotter.XYs {
		return xys(pts, func(p point) float64 { return f(p) / p.n })
	}
	addLine(tp, "arrived", colArrived, rate(func(p point) float64 { return p.arrived }), false)
	addLine(tp, "completed", colCompleted, rate(func(p point) float64 { return p.completed }), false)
	if r.client {
		addLine(tp, "answered (goodput)", colAnswered, rate(func(p point) float64 { return p.answered }), false)
		addLine(tp, "retries", colRetries, rate(func(p point) float64 { return p.retries }), true)
		addLine(tp, "abandoned", colAbandoned, rate(func(p point) float64 { return p.abandoned }), false)
	}
	addLine(tp, "dropped", colDropped, rate(func(p point) float64 { return p.dropped }), false)
	addLine(tp, "failed", colFailed, rate(func(p point) float64 { return p.failed }), false)

	lp := newPanel(x0, x1)
	lp.Y.Label.Text = "latency (ms)"
	worst := ""
	if r.width > 1 {
		worst = ", worst second"
	}
	addLine(lp, "p50"+worst, colP50, xys(pts, func(p point) float64 { return p.p50 }), false)
	addLine(lp, "p99"+worst, colP99, xys(pts, func(p point) float64 { return p.p99 }), false)

	qp := newPanel(x0, x1)
	qp.Y.Label.Text = "queue (requests waiting)"
	qp.X.Label.Text = xlabel
	for k := range numStations {
		if r.seen[k] {
			addLine(qp, stationNames[k], colStations[k], xys(pts, func(p point) float64 { return p.queue[k] / p.n }), false)
		}
	}

	ps := []*plot.Plot{tp, lp, qp}
	for i, p := range ps {
		if r.warmup > 0 && r.warmup < x1 {
			p.Add(&markLines{marks: []sim.Mark{{Text: "warm-up ends"}}, at: []float64{r.warmup}, label: i == 0, dashed: true})
		}
		if len(r.marks) > 0 {
			marks, at := sameInstant(r.marks)
			p.Add(&markLines{marks: marks, at: at, label: i == 0})
		}
		if i < len(ps)-1 {
			p.X.Tick.Label.Color = color.Transparent // the bottom panel's axis reads for all
		}
	}
	return ps
}

// plainTicks are gonum's default ticks labelled as numbers are usually
// written: 250, not 250.00.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', -1, 64)
		}
	}
	return ts
}

// sameInstant joins the marks of one instant into one, their texts
// joined by "; ", and returns them with their times in seconds.
func sameInstant(ms []sim.Mark) ([]sim.Mark, []float64) {
	var out []sim.Mark
	var at []float64
	for _, m := range ms {
		if n := len(out); n > 0 && out[n-1].At == m.At {
			out[n-1].Text += "; " + m.Text
			continue
		}
		out = append(out, m)
		at = append(at, m.At.Seconds())
	}
	return out, at
}

// headroom is the space left above the highest point, for the legend.
const headroom = 1.4

// newPanel is a panel over [x0, x1] with its y axis from 0.
func newPanel(x0, x1 float64) *plot.Plot {
	p := plot.New()
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, false
	p.Y.Tick.Marker = plainTicks{}
	p.Legend.ThumbnailWidth = vg.Centimeter
	p.Add(plotter.NewGrid())
	return p
}

// xys is the series f of the points, at each point's end.
func xys(pts []point, f func(point) float64) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, p := range pts {
		out[i] = plotter.XY{X: p.t1, Y: f(p)}
	}
	return out
}

// addLine adds a series named name; a series of zeros only is left out,
// for a line on the axis says nothing.
func addLine(p *plot.Plot, name string, c color.Color, data plotter.XYs, dashed bool) {
	some := false
	for _, d := range data {
		if d.Y != 0 {
			some = true
			break
		}
	}
	if !some || len(data) == 0 {
		return
	}
	l, err := plotter.NewLine(data)
	if err != nil {
		return // NaN or Inf: not a number the simulation writes
	}
	l.Color, l.Width = c, vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
	}
	p.Add(l)
	p.Legend.Add(name, l)
	_, _, _, ymax := l.DataRange() // Add took the range; leave room above
	p.Y.Max = max(p.Y.Max, ymax*headroom)
}

// markLines draws a vertical line across the panel at each mark, and,
// on the top panel, its text beside it.
type markLines struct {
	marks  []sim.Mark
	at     []float64
	label  bool
	dashed bool
}

func (m *markLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := draw.LineStyle{Color: colMark, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	if !m.dashed {
		sty.Dashes = nil
	}
	ts := draw.TextStyle{Color: colMark, Font: plot.DefaultFont, Rotation: math.Pi / 2,
		XAlign: draw.XRight, YAlign: draw.YBottom, Handler: p.TextHandler}
	ts.Font.Size = vg.Points(8)
	labelled, lastX := 0, vg.Length(math.Inf(-1))
	for i, mk := range m.marks {
		x := trX(m.at[i])
		if x < c.Min.X || x > c.Max.X {
			continue
		}
		c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		// a label beside the line, unless the last one is too near
		if m.label && labelled < maxLabels && x-lastX > 2*ts.Font.Size {
			text := []rune(mk.Text)
			if len(text) > maxLabelRunes {
				text = append(text[:maxLabelRunes-1], '…')
			}
			c.FillText(ts, vg.Point{X: x - vg.Points(1), Y: c.Max.Y - vg.Points(2)}, string(text))
			labelled, lastX = labelled+1, x
		}
	}
}
