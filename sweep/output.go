package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Formats are the formats a sweep writes its rows and summaries in.
var Formats = []string{"csv", "json"}

// Writer writes a sweep's rows: one per point and seed. Every line
// starts with the point's index and the run's, zero-padded, so that the
// lines of shards concatenated and sorted bytewise (LC_ALL=C sort) are
// the lines of the whole sweep, in its order; the CSV header starts
// with #, before any digit, and only the first shard writes it.
type Writer struct {
	w       io.Writer
	format  string
	grid    Grid
	seeds   int
	pw, rw  int // widths of the point and run numbers
	header  bool
	started bool
}

// NewWriter writes rows of grid with seeds seeds to w; header says
// whether to begin with the CSV header.
func NewWriter(w io.Writer, format string, grid Grid, seeds int, header bool) *Writer {
	return &Writer{w: w, format: format, grid: grid, seeds: seeds, header: header,
		pw: len(strconv.Itoa(max(grid.Len()-1, 0))), rw: len(strconv.Itoa(max(seeds-1, 0)))}
}

func (w *Writer) paths() []string {
	out := make([]string, len(w.grid.Axes))
	for i, a := range w.grid.Axes {
		out[i] = a.Path
	}
	return out
}

// Rows writes the runs of one point.
func (w *Writer) Rows(d Done) error {
	var b strings.Builder
	if w.format == "csv" && w.header && !w.started {
		cols := append(append([]string{"#point", "run", "seed"}, w.paths()...), Figures...)
		b.WriteString(csvLine(cols))
	}
	w.started = true
	for k := range d.Results {
		r := &d.Results[k]
		pt := fmt.Sprintf("%0*d", w.pw, d.Job.Point.Index)
		run := fmt.Sprintf("%0*d", w.rw, k)
		if w.format == "csv" {
			cols := append([]string{pt, run, strconv.FormatUint(r.Seed, 10)}, d.Job.Point.Values...)
			for _, f := range Figures {
				cols = append(cols, num(r.Value(f)))
			}
			b.WriteString(csvLine(cols))
			continue
		}
		fmt.Fprintf(&b, `{"point":%q,"run":%q,"seed":%d,"set":%s`, pt, run, r.Seed, w.setJSON(d.Job.Point))
		for _, f := range Figures {
			fmt.Fprintf(&b, ",%q:%s", f, jnum(r.Value(f)))
		}
		b.WriteString("}\n")
	}
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *Writer) setJSON(p Point) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, a := range w.grid.Axes {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(a.Path)
		v, _ := json.Marshal(p.Values[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// SummaryFigures are the figures a point's summary gives intervals of.
var SummaryFigures = []string{"throughput_rps", "goodput_rps", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "errors", "drops"}

// Summarise returns the interval of each of SummaryFigures over d's
// seeds.
func Summarise(d Done) []Interval {
	out := make([]Interval, len(SummaryFigures))
	xs := make([]float64, len(d.Results))
	for i, f := range SummaryFigures {
		for k := range d.Results {
			xs[k] = d.Results[k].Value(f)
		}
		out[i] = Over(xs, Confidence)
	}
	return out
}

// Summary writes a point's summary: each figure's mean over the seeds
// and the half-width of its 95% interval (Student's t), the lines
// sortable as the rows are.
func (w *Writer) Summary(d Done) error {
	var b strings.Builder
	iv := Summarise(d)
	if w.format == "csv" && w.header && !w.started {
		cols := append(append([]string{"#point"}, w.paths()...), "seeds")
		for _, f := range SummaryFigures {
			cols = append(cols, f, f+"_ci95")
		}
		b.WriteString(csvLine(cols))
	}
	w.started = true
	pt := fmt.Sprintf("%0*d", w.pw, d.Job.Point.Index)
	if w.format == "csv" {
		cols := append(append([]string{pt}, d.Job.Point.Values...), strconv.Itoa(len(d.Results)))
		for _, c := range iv {
			cols = append(cols, num(c.Mean), num(c.Half))
		}
		b.WriteString(csvLine(cols))
	} else {
		fmt.Fprintf(&b, `{"point":%q,"set":%s,"seeds":%d`, pt, w.setJSON(d.Job.Point), len(d.Results))
		for i, f := range SummaryFigures {
			fmt.Fprintf(&b, ",%q:%s,%q:%s", f, jnum(iv[i].Mean), f+"_ci95", jnum(iv[i].Half))
		}
		b.WriteString("}\n")
	}
	_, err := io.WriteString(w.w, b.String())
	return err
}

// num writes a figure in CSV: shortest exact form; an infinite or
// undefined one (an interval of one seed) is empty.
func num(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func jnum(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return "null"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// csvLine quotes the fields that need it (RFC 4180).
func csvLine(cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		if strings.ContainsAny(c, ",\"\n\r") {
			c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		b.WriteString(c)
	}
	b.WriteByte('\n')
	return b.String()
}
