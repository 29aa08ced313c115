package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// theorySummary runs a small topology with a fixed seed.
func theorySummary(t *testing.T, text string) sim.Summary {
	t.Helper()
	top, err := topology.Parse("theory.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(32 * time.Second)
	return s.Summary()
}

// theoryFiles are an M/M/c app tier with a database behind greenlets,
// and a topology where no station is an M/M/c.
var theoryFiles = map[string]string{
	"theory-mmc": `
name: M/M/c stations
workload: {rate: 3000, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 4, cores: 4, backlog: 50}
`,
	"theory-db": `
name: a database behind greenlets
workload: {rate: 600, requests: [{steps: [{db: exp(2ms)}, {cache: {miss: [{db: exp(5ms)}]}}]}]}
app: {workers: 1, model: gevent, concurrency: 10000, cores: 1, backlog: unlimited}
db: {cores: 4, pool: {size: 40}}
cache: {latency: 100us, keys: {count: 10000, capacity: 2000}}
`,
	"theory-none": `
name: no M/M/c
workload: {users: 40, think: exp(50ms), requests: [{steps: [{cpu: 2ms}, {db: exp(3ms)}]}]}
app: {workers: 2, model: threads, concurrency: 4, cores: 2}
db: {cores: 2}
`,
}

func TestTheoryGolden(t *testing.T) {
	for name, text := range theoryFiles {
		sum := theorySummary(t, text)
		var b bytes.Buffer
		if err := TheoryText(&b, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, name+".text.golden", b.Bytes())
		b.Reset()
		if err := TheoryJSON(&b, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, name+".json.golden", b.Bytes())
	}
}

// The JSON has every station under "theory", with a prediction where a
// model applies and none where it does not, and the summary's figures
// as without it; without --theory the summary's JSON has no queues.
func TestTheoryJSON(t *testing.T) {
	sum := theorySummary(t, theoryFiles["theory-mmc"])
	var b bytes.Buffer
	if err := TheoryJSON(&b, sum); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ThroughputRPS float64     `json:"throughput_rps"`
		Theory        []TheoryRow `json:"theory"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.ThroughputRPS != sum.ThroughputRPS || len(got.Theory) != 1 || got.Theory[0].Predicted == nil || got.Theory[0].Model != "M/M/c/K" {
		t.Errorf("theory JSON: %+v", got)
	}
	b.Reset()
	if err := JSON(&b, sum); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "theory") || strings.Contains(b.String(), "queues") {
		t.Errorf("the plain JSON speaks of theory:\n%s", b.String())
	}
	none := theorySummary(t, theoryFiles["theory-none"])
	for _, r := range Theory(none) {
		if r.Predicted != nil || r.Why == "" {
			t.Errorf("%s: a closed workload has no M/M/c: %+v", r.Name, r)
		}
	}
}
