package topology

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseEvents(t *testing.T) {
	top, _ := loadGood(t, "timeline.yaml")
	s := time.Second
	want := []Event{
		{At: 60 * s, Changes: []Change{{Action: ActSay, Text: "the sale opens"},
			{Action: ActSet, Path: "workload.rate", Value: "500"}, {Action: ActSet, Path: "app.workers", Value: "8"}}},
		{At: 90 * s, For: 30 * s, Changes: []Change{{Action: ActNodeDown, Node: 2}}},
		{At: 100 * s, Changes: []Change{{Action: ActCacheFlush}}},
		{At: 110 * s, For: 20 * s, Changes: []Change{{Action: ActCacheStop}}},
		{At: 120 * s, Changes: []Change{{Action: ActSay, Text: "the sale is over"}}},
		{At: 150 * s, Changes: []Change{{Action: ActPrimaryDown, Failover: 15 * s}}},
		{At: 180 * s, For: 60 * s, Changes: []Change{{Action: ActSlow, Tier: "db", Factor: 3}, {Action: ActSlow, Tier: "app", Factor: 1.5}}},
		{At: 240 * s, Changes: []Change{{Action: ActReconcile}}},
		{At: 240 * s, For: 10 * s, Changes: []Change{{Action: ActSet, Path: "app.nodes", Value: "2"}}},
	}
	if !reflect.DeepEqual(top.Events, want) {
		t.Errorf("events:\ngot  %+v\nwant %+v", top.Events, want)
	}
	assertRoundTrip(t, top)
	c := top.Clone()
	c.Events[0].Changes[0].Text = "changed"
	if top.Events[0].Changes[0].Text != "the sale opens" {
		t.Error("Clone shares the events' changes")
	}
}

// A wrong timeline gets file:line:col, the field and a hint, like the
// rest of the file; the timeline is checked in time order against the
// topology in force then.
func TestParseEventErrors(t *testing.T) {
	const head = "workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}\napp: {nodes: 2}\nevents:\n"
	for _, tt := range []struct{ events, want string }{
		{"  - {at: 1m, set: {app.workers: 0}}", "4:33: events[0].set.app.workers: must be between 1 and 10000, got 0 (at 1m)"},
		{"  - {at: 1m, set: {app.wrokers: 3}}", `4:33: events[0].set.app.wrokers: unknown key (at 1m); did you mean "workers"?`},
		{"  - {at: 1m, set: {app.timeout: 30}}", "4:33: events[0].set.app.timeout: missing unit in duration \"30\" (at 1m); add a unit, e.g. 15ms"},
		{"  - {at: 1m, node_down: 3}", "4:25: events[0].node_down: no app node 3 at 1m: app.nodes is 2 then; nodes count from 1"},
		{"  - {at: 1m, set: {app.nodes: 1}}\n  - {at: 2m, node_down: 2}", "5:25: events[1].node_down: no app node 2 at 2m: app.nodes is 1 then; nodes count from 1"},
		{"  - {at: -1s, say: hi}", "4:10: events[0].at: must not be negative, got -1s; times count from the start of the run, 0"},
		{"  - {say: hi}", "4:5: events[0]: missing at; e.g. at: 60s, the simulated time it happens"},
		{"  - {at: 1m}", "4:5: events[0]: an event with nothing to do; " + eventHint},
		{"  - {at: 1m, cache: flush}", "4:21: events[0].cache: no cache at 1m; add a cache: section, or remove this change"},
		{"  - {at: 1m, cache: purge}", `4:21: events[0].cache: unknown cache action "purge"; allowed: flush, stop, start`},
		{"  - {at: 1m, slow: {disk: 2}}", "4:21: events[0].slow.disk: unknown key; allowed: app, db, cache, offload"},
		{"  - {at: 1m, slow: {db: 0}}", "4:25: events[0].slow.db: the factor must be greater than 0 and at most 1000, got 0; 2 makes every service time of the tier twice as long; 1 restores it"},
		{"  - {at: 1m, failover: 5s}", "4:14: events[0].failover: failover without primary; write it beside primary: down"},
		{"  - {at: 1m, primary: down, shard: 2}", "4:23: events[0].primary: no shard 2 at 1m: db.shards is 1 then; shards count from 1"},
		{"  - {at: 1m, for: 10s, cache: flush}", "4:19: events[0].for: a cache flush cannot be undone; remove for:, or put the cache flush in an event of its own"},
		{"  - {at: 1m, sleep: 1}", "4:14: events[0].sleep: unknown key; allowed: at, for"},
		{"  - {at: 1m, set: {events: []}}", "4:20: events[0].set.events: the timeline is not a field a change sets; edit events: in the file"},
		{"  - {at: 1m, set: {app.nodes: 1}, for: 10s}\n  - {at: 65s, set: {app.nodes: 3, app.workers: 0}}", "5:48: events[1].set.app.workers: must be between 1 and 10000, got 0 (at 1m5s)"},
		{"  - {at: 1m, say: \"two\\nlines\"}", "4:19: events[0].say: a caption is one line; split it into several say: events"},
		{"  - {at: 2m, say: ok}\n  - {at: 1m, node_down: 3}", "5:25: events[1].node_down: no app node 3 at 1m: app.nodes is 2 then; nodes count from 1"},
		{"  - {at: 2m, node_down: 3}\n  - {at: 1m, set: {app.nodes: 1}}\n  - {at: -1s, say: x}", "4:25: events[0].node_down: no app node 3 at 2m: app.nodes is 1 then; nodes count from 1\nf.yaml:6:10: events[2].at: must not be negative"},
		{"  - 3", "4:5: events[0]: expected a mapping, got 3; " + eventHint},
	} {
		_, err := Parse("f.yaml", []byte(head+tt.events+"\n"))
		if err == nil {
			t.Errorf("%s: accepted", tt.events)
			continue
		}
		if got := err.Error(); !strings.HasPrefix(got, "f.yaml:"+tt.want) {
			t.Errorf("%s:\ngot  %s\nwant f.yaml:%s", tt.events, got, tt.want)
		}
	}
}

// The inverse of for: restores the value in force before the change.
func TestEventForChecksTheInverse(t *testing.T) {
	const f = "workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}\napp: {nodes: 2}\nevents:\n" +
		"  - {at: 1m, for: 1m, set: {app.nodes: 4}}\n  - {at: 90s, node_down: 4}\n"
	if _, err := Parse("f.yaml", []byte(f)); err != nil {
		t.Errorf("node 4 exists at 90s: %v", err)
	}
	bad := strings.Replace(f, "90s", "150s", 1)
	if _, err := Parse("f.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "no app node 4 at 2m30s") {
		t.Errorf("node 4 is gone after the for: %v", err)
	}
}

// A timeline of sets inside a request class checks without recursing
// into itself, and a timeline too large to check is refused at once.
func TestTimelineCheckIsBounded(t *testing.T) {
	f := "workload: {rate: 10, requests: [{name: a, steps: [{cpu: 1ms}]}]}\napp: {}\nevents:\n" +
		"  - {at: 1s, for: 1s, set: {'workload.requests[a].steps[0].cpu': 2ms, 'workload.requests[0].share': 3}}\n"
	top, err := Parse("f.yaml", []byte(f))
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Events) != 1 {
		t.Fatal("events lost")
	}
	var b strings.Builder
	b.WriteString("workload: {rate: 10, requests: [{steps: [")
	for i := 0; i < 999; i++ {
		b.WriteString("{cpu: 1ms}, ")
	}
	b.WriteString("{cpu: 1ms}]}]}\napp: {}\nevents:\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "  - {at: %ds, for: 1s, set: {app.workers: 2}}\n", i)
	}
	_, err = Parse("big.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "600 field changes (counting the undoing of for:) over a workload of 1000 steps is more than scalesim checks") {
		t.Errorf("a timeline too large to check: %v", err)
	}
}
