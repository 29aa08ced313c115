package metrics

import (
	"io"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"

	"scalesim/sim"
)

// Families collects metric families in the order they are added; every
// metric gets the common labels first.
type Families struct {
	List   []*dto.MetricFamily
	common []*dto.LabelPair
}

// NewFamilies starts a collection whose metrics all carry the labels
// kv ("k1", "v1", ...).
func NewFamilies(kv ...string) *Families { return &Families{common: Pairs(kv)} }

// Metric types, short.
const (
	GaugeType     = dto.MetricType_GAUGE
	CounterType   = dto.MetricType_COUNTER
	SummaryType   = dto.MetricType_SUMMARY
	HistogramType = dto.MetricType_HISTOGRAM
)

// Add adds a family; one without metrics is left out, for a family
// with no series has nothing to say.
func (f *Families) Add(name, help string, typ dto.MetricType, ms ...*dto.Metric) {
	if len(ms) == 0 {
		return
	}
	if len(f.common) > 0 {
		for _, m := range ms {
			m.Label = append(append([]*dto.LabelPair{}, f.common...), m.Label...)
		}
	}
	f.List = append(f.List, &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: typ.Enum(), Metric: ms})
}

// WriteText writes the families in the Prometheus text format.
func (f *Families) WriteText(w io.Writer) error {
	for _, fam := range f.List {
		if _, err := expfmt.MetricFamilyToText(w, fam); err != nil {
			return err
		}
	}
	return nil
}

// Gauge is a gauge of value v with labels kv.
func Gauge(v float64, kv ...string) *dto.Metric {
	return &dto.Metric{Label: Pairs(kv), Gauge: &dto.Gauge{Value: proto.Float64(v)}}
}

// Counter is a counter of value v with labels kv.
func Counter(v float64, kv ...string) *dto.Metric {
	return &dto.Metric{Label: Pairs(kv), Counter: &dto.Counter{Value: proto.Float64(v)}}
}

// Count is a counter of a count.
func Count(v uint64, kv ...string) *dto.Metric { return Counter(float64(v), kv...) }

// Pairs turns "k1", "v1", "k2", "v2" into label pairs.
func Pairs(kv []string) []*dto.LabelPair {
	var out []*dto.LabelPair
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, &dto.LabelPair{Name: proto.String(kv[i]), Value: proto.String(kv[i+1])})
	}
	return out
}

// Outcomes are the requests that ended, by outcome and the cause of a
// drop or failure, as counters labelled outcome, cause, then kv.
func Outcomes(c sim.Counts, kv ...string) []*dto.Metric {
	d, fl := c.DroppedBy, c.FailedBy
	with := func(v uint64, labels ...string) *dto.Metric { return Count(v, append(labels, kv...)...) }
	return []*dto.Metric{
		with(c.Completed, "outcome", "completed"),
		with(d.BacklogFull, "outcome", "dropped", "cause", "backlog_full"),
		with(d.InFlightCap, "outcome", "dropped", "cause", "in_flight_cap"),
		with(fl.Timeout, "outcome", "failed", "cause", "timeout"),
		with(fl.NodeDown, "outcome", "failed", "cause", "node_down"),
		with(fl.NoNodeUp, "outcome", "failed", "cause", "no_node_up"),
		with(fl.DBRefused, "outcome", "failed", "cause", "db_refused"),
		with(fl.DBDown, "outcome", "failed", "cause", "db_down"),
		with(fl.GaveUp, "outcome", "failed", "cause", "gave_up"),
	}
}

// LogicalOutcomes are the logical requests that ended (a request as its
// client sees it, however many attempts it took), by outcome, as
// counters labelled outcome, then kv.
func LogicalOutcomes(l sim.Logical, kv ...string) []*dto.Metric {
	with := func(v uint64, outcome string) *dto.Metric {
		return Count(v, append([]string{"outcome", outcome}, kv...)...)
	}
	return []*dto.Metric{
		with(l.Goodput, "answered"), with(l.Dropped, "dropped"), with(l.Failed, "failed"), with(l.Abandoned, "abandoned"),
	}
}

// Histogram is a classic histogram of h in seconds, with labels kv.
func Histogram(h sim.LatencyHistogram, kv ...string) *dto.Metric {
	bs := make([]*dto.Bucket, len(sim.LatencyBounds))
	var cum uint64
	for i, b := range sim.LatencyBounds {
		cum += h.Buckets[i]
		bs[i] = &dto.Bucket{UpperBound: proto.Float64(b), CumulativeCount: proto.Uint64(cum)}
	}
	return &dto.Metric{Label: Pairs(kv), Histogram: &dto.Histogram{
		SampleCount: proto.Uint64(h.Count), SampleSum: proto.Float64(h.SumS), Bucket: bs,
	}}
}

// Metric and MetricType are the client model's, short.
type (
	Metric     = dto.Metric
	MetricType = dto.MetricType
)

// family returns the family named name.
func (f *Families) family(name string) (*dto.MetricFamily, bool) {
	for _, fam := range f.List {
		if fam.GetName() == name {
			return fam, true
		}
	}
	return nil, false
}
