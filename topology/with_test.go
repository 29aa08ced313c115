package topology

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func loadGood(t *testing.T, name string) (*Topology, string) {
	t.Helper()
	data, err := os.ReadFile("testdata/good/" + name)
	if err != nil {
		t.Fatal(err)
	}
	top, err := Parse("", data)
	if err != nil {
		t.Fatal(err)
	}
	return top, string(data)
}

// With on a path gives the topology that editing the file gives.
func TestWithEqualsEditingTheFile(t *testing.T) {
	base, text := loadGood(t, "full.yaml")
	for _, tt := range []struct {
		path, value string
		old, new    string // the same edit, made to the file's text
	}{
		{"app.workers", "8", "workers: 3", "workers: 8"},
		{"app.timeout", "1m30s", "timeout: 30s", "timeout: 1m30s"},
		{"app.memory", "8GiB", "memory: 4GiB", "memory: 8GiB"},
		{"app.backlog", "unlimited", "backlog: 100", "backlog: unlimited"},
		{"app.model", "threads", "model: sync          # sync | threads | gevent\n  concurrency: 1", "model: threads\n  concurrency: 1"},
		{"app.gil", "false", "gil: true", "gil: false"},
		{"workload.rate", "500.5", "rate: 120", "rate: 500.5"},
		{"workload.requests[0].steps[0].cpu", "exp(20ms)", "cpu: exp(15ms)", "cpu: exp(20ms)"},
		{"workload.requests[1].steps[0].cpu", "erlang(4, 8ms)", "cpu: lognormal(8ms, 1.5)", "cpu: erlang(4, 8ms)"},
		{"workload.requests[api].share", "3", "share: 1\n", "share: 3\n"},
		{"workload.requests.api.share", "3", "share: 1\n", "share: 3\n"},
		{"workload.requests[page].steps[3].cache.miss[0].db", "uniform(1ms, 3ms)", "miss:\n              - db: exp(5ms)", "miss:\n              - db: uniform(1ms, 3ms)"},
		{"cache.keys.capacity", "50000", "capacity: 10000", "capacity: 50000"},
		{"cache.keys", "{count: 10, zipf: 0, capacity: 10}", "count: 100000\n    zipf: 0.99\n    capacity: 10000\n    ttl: 5m", "count: 10\n    zipf: 0\n    capacity: 10"},
		{"cache.latency", "lognormal(200us, 0.5)", "latency: 100us", "latency: lognormal(200us, 0.5)"},
		{"lb.policy", "p2c", "policy: round_robin", "policy: p2c"},
		{"db.pool", "{size: 20}", "db:\n  cores: 4", "db:\n  pool: {size: 20}\n  cores: 4"},
		{"db.pool.size", "20", "db:\n  cores: 4", "db:\n  pool: {size: 20}\n  cores: 4"},
		{"db.rows", "1000", "db:\n  cores: 4", "db:\n  rows: 1000\n  cores: 4"},
		{"offload", "null", "offload:  ", "unused_offload:  "},
		{"app.timeout", "null", "timeout: 30s", "# no timeout"},
	} {
		t.Run(tt.path+"="+tt.value, func(t *testing.T) {
			if !strings.Contains(text, tt.old) {
				t.Fatalf("full.yaml lacks %q", tt.old)
			}
			edited := strings.Replace(text, tt.old, tt.new, 1)
			if tt.path == "offload" {
				edited = text[:strings.Index(text, "offload:  ")]
				edited = strings.ReplaceAll(edited, "        - offload: exp(200ms)\n", "")
			}
			want, err := Parse("", []byte(edited))
			if err != nil {
				t.Fatalf("the edited file does not parse: %v", err)
			}
			c := Change{Action: ActSet, Path: tt.path, Value: tt.value}
			if tt.path == "offload" {
				// the offload steps go first, then the section
				b, err := base.With(Change{Action: ActSet, Path: "workload.requests[0].steps", Value: "[{cpu: exp(15ms)}, {io: 40ms}, {db: exp(5ms)}, {cache: {miss: [{db: exp(5ms)}]}}]"})
				if err != nil {
					t.Fatal(err)
				}
				got, err := b.With(c)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got  %s\nwant %s", mustMarshal(t, got), mustMarshal(t, want))
				}
				return
			}
			got, err := base.With(c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %s\nwant %s", mustMarshal(t, got), mustMarshal(t, want))
			}
			if reflect.DeepEqual(base, got) {
				t.Errorf("With changed nothing")
			}
		})
	}
	// base is untouched by all of it
	again, _ := loadGood(t, "full.yaml")
	if !reflect.DeepEqual(base, again) {
		t.Errorf("With modified its receiver")
	}
}

// A bad path or value is refused with the path, the value and the
// file's own message and hint.
func TestWithRefuses(t *testing.T) {
	base, _ := loadGood(t, "full.yaml")
	for _, tt := range []struct {
		path, value string
		want        []string // all in the error's text
	}{
		{"app.workers", "0", []string{"app.workers = 0", "must be between 1 and"}},
		{"app.wrokers", "8", []string{"app.wrokers = 8", "unknown key", `did you mean "workers"?`}},
		{"app.timeout", "30", []string{"app.timeout = 30", "missing unit", "add a unit"}},
		{"app.model", "gevnt", []string{"app.model = gevnt", `did you mean "gevent"?`}},
		{"workload.requests[5].share", "1", []string{"no element [5]", "there are 2"}},
		{"workload.requests[chekout].share", "1", []string{`no request class named "chekout"`, "allowed: page, api"}},
		{"workload.requests[0].steps[0].cpu", "exp(", []string{"workload.requests[0].steps[0].cpu = exp("}},
		{"workload.users", "50", []string{"workload.users = 50", "not both"}},
		{"app.workers.count", "1", []string{"app.workers is a value, not a section"}},
		{"app..workers", "1", []string{"an empty key", "a field is written as in a file"}},
		{"events", "[]", []string{"the timeline is not a field"}},
		{"app.workers", "[1, 2", []string{"the value is not YAML"}},
		{"app.workers", "&a 3", []string{"anchors and aliases"}},
	} {
		t.Run(tt.path+"="+tt.value, func(t *testing.T) {
			_, err := base.With(Change{Action: ActSet, Path: tt.path, Value: tt.value})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			var ce *ChangeError
			if !errors.As(err, &ce) {
				t.Errorf("error is %T, want a *ChangeError", err)
			}
		})
	}
	if _, err := base.With(Change{Action: ActNodeDown, Node: 1}); err == nil {
		t.Error("With took a node change")
	}
}

// Get reads back what With set, in the form With takes.
func TestGet(t *testing.T) {
	base, _ := loadGood(t, "full.yaml")
	for path, want := range map[string]string{
		"app.workers":                       "3",
		"app.timeout":                       "30s",
		"workload.requests[0].steps[0].cpu": "exp(15ms)",
		"workload.requests[api].share":      "1",
		"db.pool":                           "null",
		"db.pool.size":                      "null",
		"cache.keys":                        "{count: 100000, zipf: 0.99, capacity: 10000, ttl: 5m}",
		"workload.requests[1].steps":        "[{cpu: 'lognormal(8ms, 1.5)'}]",
	} {
		got, err := base.Get(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
		if want == "null" {
			continue
		}
		back, err := base.With(Change{Action: ActSet, Path: path, Value: got})
		if err != nil || !reflect.DeepEqual(back, base) {
			t.Errorf("%s: setting what Get read changed the topology (%v)", path, err)
		}
	}
}

// Diff gives changes that With turns old into new, the smallest parts
// that differ.
func TestDiffWithRoundTrip(t *testing.T) {
	base, _ := loadGood(t, "full.yaml")
	closed, _ := loadGood(t, "closed.yaml")
	flash, _ := loadGood(t, "flash_sale.yaml")
	edit := func(cs ...Change) *Topology {
		t.Helper()
		out, err := base.WithAll(cs)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	set := func(p, v string) Change { return Change{Action: ActSet, Path: p, Value: v} }
	for _, tt := range []struct {
		name  string
		a, b  *Topology
		paths []string // the paths Diff must give, when known
	}{
		{"workers", base, edit(set("app.workers", "8")), []string{"app.workers"}},
		{"two fields", base, edit(set("app.workers", "8"), set("cache.keys.ttl", "1m")), []string{"app.workers", "cache.keys.ttl"}},
		{"a step", base, edit(set("workload.requests[1].steps[0].cpu", "20ms")), []string{"workload.requests[1].steps[0].cpu"}},
		{"a class more", base, edit(set("workload.requests", "[{name: a, steps: [{cpu: 1ms}]}, {name: b, steps: [{cpu: 1ms}]}, {name: c, steps: [{cpu: 1ms}]}]")), nil},
		{"pool added", base, edit(set("db.pool.size", "20")), []string{"db.pool"}},
		{"open to closed", base, edit(set("workload.rate", "null"), set("workload.users", "40")), nil},
		{"same", base, base.Clone(), []string{}},
		{"other files", base, closed, nil},
		{"flash sale", flash, base, nil},
		{"back", closed, flash, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cs := Diff(tt.a, tt.b)
			if tt.paths != nil {
				var got []string
				for _, c := range cs {
					got = append(got, c.Path)
				}
				if len(got) != len(tt.paths) || (len(got) > 0 && !reflect.DeepEqual(got, tt.paths)) {
					t.Errorf("Diff paths %v, want %v", got, tt.paths)
				}
			}
			cur := tt.a
			for _, c := range cs {
				next, err := cur.With(c)
				if err != nil {
					t.Fatalf("%s: %v", c, err)
				}
				cur = next
			}
			want := tt.b.Clone()
			want.Events, cur.Events = nil, nil
			if !reflect.DeepEqual(cur, want) {
				t.Errorf("With(Diff) gives\n%s\nwant\n%s", mustMarshal(t, cur), mustMarshal(t, want))
			}
		})
	}
}

func TestChangeString(t *testing.T) {
	for _, tt := range []struct {
		c    Change
		want string
	}{
		{Change{Action: ActSet, Path: "app.workers", Value: "8"}, "app.workers = 8"},
		{Change{Action: ActNodeDown, Node: 2}, "node 2 down"},
		{Change{Action: ActNodeUp, Node: 2}, "node 2 up"},
		{Change{Action: ActCacheFlush}, "cache flush"},
		{Change{Action: ActCacheStop}, "cache stop"},
		{Change{Action: ActPrimaryDown, Failover: 15 * time.Second}, "db primary down, failover in 15s"},
		{Change{Action: ActPrimaryDown, Node: 2}, "db primary of shard 2 down"},
		{Change{Action: ActPrimaryUp}, "db primary back"},
		{Change{Action: ActSlow, Tier: "db", Factor: 3}, "db 3x slower"},
		{Change{Action: ActSlow, Tier: "db", Factor: 1}, "db at normal speed"},
		{Change{Action: ActSay, Text: "the sale opens"}, "say: the sale opens"},
		{Change{Action: ActReconcile}, "stock reconcile"},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

// Changes written with MarshalChanges read back the same.
func TestChangesYAMLRoundTrip(t *testing.T) {
	cs := []Change{
		{Action: ActSet, Path: "app.workers", Value: "8", Source: "key"},
		{Action: ActSet, Path: "db.pool", Value: "{size: 20}", Source: "key"},
		{Action: ActSet, Path: "workload.requests[checkout].steps[0].cpu", Value: "exp(20ms)", Source: "replay"},
		{Action: ActNodeDown, Node: 2, Source: "failure"},
		{Action: ActNodeUp, Node: 2, Source: "failure"},
		{Action: ActCacheFlush}, {Action: ActCacheStop}, {Action: ActCacheStart},
		{Action: ActPrimaryDown, Failover: 15 * time.Second}, {Action: ActPrimaryDown, Node: 3}, {Action: ActPrimaryUp, Node: 3},
		{Action: ActSlow, Tier: "db", Factor: 2.5}, {Action: ActSay, Text: "the sale opens: 50x"},
		{Action: ActSay, Text: "true"}, {Action: ActReconcile, Source: "autoscaler"},
	}
	out, err := MarshalChanges(cs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseChanges("changes.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, cs) {
		t.Errorf("got  %+v\nwant %+v\n%s", back, cs, out)
	}
	if _, err := ParseChanges("c.yaml", []byte("- {slow: {disk: 2}}\n")); err == nil || !strings.Contains(err.Error(), "c.yaml:1:11: [0].slow.disk: unknown key") {
		t.Errorf("bad tier: %v", err)
	}
}

// With reads back only the part of the file a change touches; the result
// is the one reading the whole file gives (WithAll of the change twice
// reads the whole file), refusals included.
func TestWithPartEqualsWhole(t *testing.T) {
	base, _ := loadGood(t, "full.yaml")
	flash, _ := loadGood(t, "flash_sale.yaml")
	for _, top := range []*Topology{base, flash} {
		for _, tt := range []struct{ path, value string }{
			{"app.workers", "8"}, {"app.workers", "0"}, {"workload.rate", "50"}, {"workload.rate", "null"},
			{"workload", "{users: 5, requests: [{steps: [{cpu: 1ms}]}]}"}, {"workload.users", "5"},
			{"workload.requests[0].share", "2"}, {"workload.requests[0].steps[0].cpu", "exp(1ms)"},
			{"workload.requests[0].steps[0]", "{io: 5ms}"}, {"workload.requests[0]", "{name: x, steps: [{cpu: 1ms}]}"},
			{"workload.requests[0]", "null"}, {"workload.requests[0].steps", "[]"}, {"workload.requests[0].name", "api"},
			{"workload.requests[0].steps[0].buy", "1ms"}, {"cache", "null"}, {"stock", "null"}, {"stock.quantity", "5"},
			{"db.pool.size", "0"}, {"name", "renamed"}, {"seed", "7"}, {"lb", "{policy: p2c}"}, {"offload.speed", "2"},
		} {
			c := Change{Action: ActSet, Path: tt.path, Value: tt.value}
			part, perr := top.With(c)
			whole, werr := top.WithAll([]Change{c, c})
			if (perr == nil) != (werr == nil) {
				t.Errorf("%s: part %v, whole %v", c, perr, werr)
				continue
			}
			if perr != nil {
				var pe, we *ChangeError
				errors.As(perr, &pe)
				errors.As(werr, &we)
				if !reflect.DeepEqual(pe.Errs, we.Errs) {
					t.Errorf("%s: part refuses %v, whole %v", c, pe.Errs, we.Errs)
				}
				continue
			}
			if !reflect.DeepEqual(part, whole) {
				t.Errorf("%s:\npart  %s\nwhole %s", c, mustMarshal(t, part), mustMarshal(t, whole))
			}
		}
	}
}
