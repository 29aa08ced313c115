package sim

import (
	"errors"
	"strings"
	"time"

	"scalesim/topology"
)

// Arrivals returns the times, from the start of the run, at which an
// open workload's requests arrive before until, for the topology t run
// with seed (the topology's own seed if 0): exactly the arrivals a
// simulation of t makes, drawn the same way (the arrivals stream, one
// unit-rate gap per arrival, laid out under the rate and its stages),
// without simulating anything else. A real load generator can send at
// these times, so that a server and its simulation see the same
// traffic.
//
// It reads t only. A closed workload has no arrival times, and a
// timeline that changes the workload changes them while the run goes:
// both are refused.
func Arrivals(t *topology.Topology, seed uint64, until time.Duration) ([]time.Duration, error) {
	w := &t.Workload
	if w.Users != 0 || len(w.Populations) > 0 {
		return nil, errors.New("a closed workload (users) has no arrival times")
	}
	for _, e := range t.Events {
		for _, c := range e.Changes {
			if c.Action == topology.ActSet && (c.Path == "" || strings.HasPrefix(c.Path, "workload")) {
				return nil, errors.New("the timeline changes the workload (" + c.String() + "): its arrivals depend on the run")
			}
		}
	}
	if seed == 0 {
		seed = t.Seed
	}
	st := newStream(seed, "arrivals") // as New names it: TestArrivalsAreTheSimulations checks they agree
	shape := newShape(w)
	var out []time.Duration
	from := int64(0)
	for gap := uint64(0); ; gap++ {
		at := shape.inverse(from, st.at(gap, 0).ExpFloat64())
		if at >= int64(until) || at >= never {
			return out, nil
		}
		out = append(out, time.Duration(at))
		from = at
	}
}
