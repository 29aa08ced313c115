package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"scalesim/sim"
	"scalesim/theory"
)

// TheoryRow is one station under queueing theory: what was measured and
// what its model predicts from the measured arrival rate and mean
// service time (nil when no model applies: Why says why).
type TheoryRow struct {
	sim.QueueStat
	Predicted *Predicted `json:"predicted,omitempty"`
}

// Predicted is a model's prediction, in the measured figures' units. A
// figure the model does not define (the wait under processor sharing),
// or an unbounded one (an unstable queue), is null.
type Predicted struct {
	Stable      bool     `json:"stable"`
	Utilization float64  `json:"utilization"`
	WaitMs      *float64 `json:"wait_ms"`
	QueueMean   *float64 `json:"queue_mean"`
	InsideMean  *float64 `json:"inside_mean"`
	ResponseMs  *float64 `json:"response_ms"`
	Refused     float64  `json:"refused"`
}

// Theory predicts each of s's stations that has a model.
func Theory(s sim.Summary) []TheoryRow {
	rows := make([]TheoryRow, 0, len(s.Queues))
	for _, q := range s.Queues {
		rows = append(rows, TheoryRow{QueueStat: q, Predicted: Predict(q)})
	}
	return rows
}

// Predict is q's model's prediction, or nil without one.
func Predict(q sim.QueueStat) *Predicted {
	f, err := q.Predict()
	if err != nil {
		return nil
	}
	p := &Predicted{Stable: f.Stable, Utilization: math.Min(f.Utilisation, 1), Refused: f.Refused}
	if f.Stable {
		p.InsideMean, p.ResponseMs = ptr(f.L), ptr(msOf(f.W))
		if f.Wait {
			p.WaitMs, p.QueueMean = ptr(msOf(f.Wq)), ptr(f.Lq)
		}
	}
	return p
}

func ptr(v float64) *float64 { return &v }

func msOf(d time.Duration) float64 { return float64(d) / 1e6 }

// TheoryJSON writes s as JSON with its stations under theory, "theory".
func TheoryJSON(w io.Writer, s sim.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		sim.Summary
		Theory []TheoryRow `json:"theory"`
	}{s, Theory(s)})
}

// TheoryText writes the stations under theory: for each its measured
// figures, and below them its model's prediction from the measured
// arrival rate and mean service time, or why no model applies.
func TheoryText(w io.Writer, s sim.Summary) error {
	var b strings.Builder
	b.WriteString("\ntheory beside the simulation: each station measured, then its queueing model's\n")
	b.WriteString("prediction from the measured arrival rate and mean service time\n")
	rows := [][]string{{"station", "", "servers", "arrivals/s", "service", "cv", "util", "wait", "queue", "inside", "response", "refused"}}
	var notes []int // rows followed by a reason
	var why []string
	ps := false
	for _, r := range Theory(s) {
		q := r.QueueStat
		ps = ps || q.Model == theory.NameMMcPS || q.Model == theory.NameMGcPS
		rows = append(rows, []string{q.Name, "measured", fmt.Sprint(q.Servers), fmt.Sprintf("%.1f", q.ArrivalRPS),
			ms(q.ServiceMs), fmt.Sprintf("%.2f", q.ServiceCV), pct(q.Utilization), ms(q.WaitMs),
			fmt.Sprintf("%.2f", q.QueueMean), fmt.Sprintf("%.2f", q.InsideMean), ms(q.ResponseMs), pct(q.Refused)})
		p := r.Predicted
		switch {
		case p == nil:
			notes = append(notes, len(rows)-1)
			why = append(why, "no model: "+q.Why)
		case !p.Stable:
			notes = append(notes, len(rows)-1)
			why = append(why, q.Model+": unstable, arrivals beyond what its servers can do: the queue grows without bound")
		default:
			rows = append(rows, []string{"", q.Model, "", "", "", "", pct(p.Utilization), msOr(p.WaitMs),
				numOr(p.QueueMean), numOr(p.InsideMean), msOr(p.ResponseMs), pct(p.Refused)})
			if q.Why != "" {
				notes = append(notes, len(rows)-1)
				why = append(why, q.Why)
			}
		}
	}
	var t strings.Builder
	table(&t, rows)
	lines := strings.Split(strings.TrimSuffix(t.String(), "\n"), "\n")
	for i, l := range lines {
		b.WriteString(strings.TrimRight(l, " "))
		b.WriteByte('\n')
		for k, n := range notes {
			if n == i {
				wrap(&b, why[k], "  ", 80)
			}
		}
	}
	b.WriteString("(wait: before service; inside: waiting or served; response: wait plus service)\n")
	if ps {
		b.WriteString("(under processor sharing, M/M/c-PS or M/G/c-PS, no request waits apart from\n")
		b.WriteString(" the others: only the number inside and the response time are the model's)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func msOr(v *float64) string {
	if v == nil {
		return "-"
	}
	return ms(*v)
}

func numOr(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *v)
}

// wrap writes text in lines of at most width columns, each indented.
func wrap(b *strings.Builder, text, indent string, width int) {
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}
