package sweep

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Curves collects a sweep's points for a plot: the mean of a figure over
// the seeds against the values of one axis, one line per combination of
// the other axes' values.
type Curves struct {
	grid   Grid
	x      int // the axis on the x axis
	figure string
	lines  map[string]plotter.XYs
	order  []string
}

// NewCurves plots figure against axis x of grid.
func NewCurves(grid Grid, x int, figure string) *Curves {
	return &Curves{grid: grid, x: x, figure: figure, lines: map[string]plotter.XYs{}}
}

// PlotAxis picks the axis to plot against: workload.rate when it is
// swept, else the first axis with numbers for values. It returns -1
// when no axis has numbers.
func PlotAxis(g Grid) int {
	for i, a := range g.Axes {
		if a.Path == "workload.rate" && numeric(a) {
			return i
		}
	}
	for i, a := range g.Axes {
		if numeric(a) {
			return i
		}
	}
	return -1
}

func numeric(a Axis) bool {
	for _, v := range a.Values {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return false
		}
	}
	return true
}

// Add adds a point's runs.
func (c *Curves) Add(d Done) {
	var label []string
	for i, a := range c.grid.Axes {
		if i != c.x && len(a.Values) > 1 {
			label = append(label, a.Path+"="+d.Job.Point.Values[i])
		}
	}
	name := strings.Join(label, " ")
	if _, ok := c.lines[name]; !ok {
		c.order = append(c.order, name)
	}
	x, _ := strconv.ParseFloat(d.Job.Point.Values[c.x], 64)
	xs := make([]float64, len(d.Results))
	for k := range d.Results {
		xs[k] = d.Results[k].Value(c.figure)
	}
	c.lines[name] = append(c.lines[name], plotter.XY{X: x, Y: Over(xs, Confidence).Mean})
}

// Write draws the curves as an image of format: svg or png.
func (c *Curves) Write(w io.Writer, title, format string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = c.grid.Axes[c.x].Path
	p.Y.Label.Text = strings.Replace(c.figure, "_ms", " (ms)", 1) + ", mean over seeds"
	var vs []any
	for _, name := range c.order {
		if name == "" {
			name = c.figure
		}
		vs = append(vs, name, c.lines[nameKey(name, c.figure)])
	}
	if err := plotutil.AddLinePoints(p, vs...); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	_, err = wt.WriteTo(w)
	return err
}

// nameKey undoes the label given to the line of a sweep with one axis.
func nameKey(name, figure string) string {
	if name == figure {
		return ""
	}
	return name
}
