package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// compareArgs keep a comparison quick: two seeds of a few seconds.
var compareArgs = []string{"--seeds", "2", "--duration", "3s", "--warmup", "1s"}

// Cache on against cache off, B made from A with --b: the table says B
// is worse; the same design twice is the same everywhere.
func TestCompareCommand(t *testing.T) {
	r := runWithin(t, append([]string{"compare", "redis-cache", "--b", "cache.enabled=false"}, compareArgs...)...)
	r.check(t, 0, "B  A with cache.enabled=false\n", "")
	for _, want := range []string{"A  redis-cache: Redis cache in front of Postgres", "2 seeds, 1 to 2", "throughput", "p99", "B worse"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	same := runWithin(t, append([]string{"compare", "redis-cache", "preset:redis-cache"}, compareArgs...)...)
	same.check(t, 0, "B  preset:redis-cache", "")
	rows := 0
	for _, l := range strings.Split(same.out, "\n") {
		if strings.HasPrefix(l, "throughput") || strings.HasPrefix(l, "p99") || strings.HasPrefix(l, "dropped") {
			rows++
			if !strings.HasSuffix(l, "same") {
				t.Errorf("A = B: %q is not the same", l)
			}
		}
	}
	if rows != 3 {
		t.Errorf("%d rows found:\n%s", rows, same.out)
	}

	js := runWithin(t, append([]string{"compare", "redis-cache", "--b", "app.workers=8", "--b", "cache.enabled=false", "--json"}, compareArgs...)...)
	js.check(t, 0, "", "")
	var got struct {
		B       struct{ Changes []string }
		Seeds   []uint64
		Figures []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(js.out), &got); err != nil {
		t.Fatalf("%v\n%s", err, js.out)
	}
	if strings.Join(got.B.Changes, " ") != "app.workers=8 cache.enabled=false" || len(got.Seeds) != 2 || len(got.Figures) < 6 {
		t.Errorf("JSON %+v", got)
	}
}

// Every bad argument is refused with exit 2 and a message that says
// where and what.
func TestCompareArgumentErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("workload:\n  rate: 10\napp:\n  wrkers: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"compare"}, "compare takes A and B"},
		{[]string{"compare", "a", "b", "c"}, "got 3 arguments"},
		{[]string{"compare", "redis-cache"}, "compare needs a B"},
		{[]string{"compare", "redis-cahce", "--b", "app.workers=2"}, `did you mean "redis-cache"`},
		{[]string{"compare", "redis-cache", bad}, "bad.yaml:4:3: app.wrkers"},
		{[]string{"compare", "redis-cache", "--b", "app.workers"}, `--b "app.workers": expected PATH=VALUE; for example app.workers=8`},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2,4"}, "2 values; B takes one; to try several, use scalesim sweep --set app.workers=2,4"},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2", "--b", "app.workers=3"}, `--b "app.workers=3": app.workers: set twice, first by --b "app.workers=2"; give B one value for each field`},
		{[]string{"compare", "redis-cache", "--b", "app.wrkers=3"}, `--b: app.wrkers = 3: unknown key; did you mean "workers"?`},
		{[]string{"compare", "redis-cache", "--b", "app.workers=0"}, "--b: app.workers"},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2", "--seeds", "0"}, "--seeds"},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2", "--seeds", "1000000000"}, `--seeds "1000000000": expected a whole number from 1 to 1000`},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2", "--duration", "0s"}, "--duration"},
		{[]string{"compare", "redis-cache", "--b", "app.workers=2", "--warmup", "-1s"}, "--warmup"},
	} {
		r := runWithin(t, c.args...)
		r.check(t, 2, "", c.err)
	}
}

// The README's comparisons are what the command prints today.
func TestReadmeCompare(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	// ten runs of 70 s: seconds on a busy machine, more under the race detector
	r := runFor(t, 2*time.Minute, "compare", "redis-cache", "--b", "cache.enabled=false")
	r.check(t, 0, "", "")
	if !strings.Contains(readme, "$ scalesim compare redis-cache --b cache.enabled=false\n"+r.out+"```") {
		t.Errorf("the README's cache on/off comparison is not what scalesim prints:\n%s", r.out)
	}
	r = runFor(t, 2*time.Minute, "compare", "redis-cache", "--b", "cache.keys.capacity=2200")
	for _, l := range strings.Split(r.out, "\n") {
		if strings.HasPrefix(l, "mean") {
			quoted := strings.Join(strings.Fields(l), " ")
			if !strings.Contains(strings.Join(strings.Fields(readme), " "), "`"+quoted+"`") {
				t.Errorf("the README does not quote the larger cache's %q", quoted)
			}
		}
	}
}
