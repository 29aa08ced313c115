package plan

import (
	"math"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/topology"
)

// At low load the plan of several populations is the utilisation law
// summed over them: each population's throughput is N/(R0+Z), and each
// station's utilisation the sum of X·D over the populations. The
// shoppers-and-api preset with 60 shoppers and 2 API clients that think
// 20 ms: the cores are 23% busy, so responses are within a few percent
// of R0 and, with think times much longer, throughputs within 1% of
// N/(R0+Z). Over 600 s a population's throughput has a standard error
// under 1%.
func TestPopulationsPlanMatchesTheSimulationAtLowLoad(t *testing.T) {
	p, _ := presets.Get("shoppers-and-api")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	top = set(t, set(t, set(t, top, "workload.populations[0].users", "60"), "workload.populations[1].users", "2"), "workload.populations[1].think", "exp(20ms)")
	pl, err := Analyse(top)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Populations) != 2 || pl.Users != 62 || !pl.Closed {
		t.Fatalf("plan %+v", pl)
	}
	// the bounds: shoppers' requests are 90% browse (10 ms of CPU, a
	// 3 ms query and its 50us switch) and 10% reports (150 ms)
	shop, api := pl.Populations[0], pl.Populations[1]
	if r0 := 0.9*(10+3.05) + 0.1*150; math.Abs(shop.ResponseMs-r0) > 1e-9 || math.Abs(shop.BoundRPS-60/(r0/1e3+5)) > 1e-9 {
		t.Errorf("shoppers %+v; want R0 %.3f ms and at most %.3f/s", shop, r0, 60/(r0/1e3+5))
	}
	if math.Abs(api.BoundRPS-2/0.022) > 1e-9 || api.AloneBottleneck != "cpu" || math.Abs(api.AloneRPS-1000) > 1e-9 {
		t.Errorf("api %+v; want at most 2/22ms, and 1,000/s alone on 2 cores", api)
	}
	if testing.Short() {
		t.Skip("the simulation: skipped with -short")
	}
	sum := simulate(t, top, 30*time.Second, 600*time.Second)
	for i, q := range pl.Populations {
		got := sum.Populations[i]
		if got.Name != q.Name || math.Abs(got.ThroughputRPS-q.BoundRPS) > 0.02*q.BoundRPS {
			t.Errorf("%s: the simulation does %.2f/s, the plan's bound is %.2f/s", q.Name, got.ThroughputRPS, q.BoundRPS)
		}
	}
	busiest := checkUtilisations(t, pl, sum, 0.03)
	if busiest != pl.Bottleneck {
		t.Errorf("the plan's bottleneck is %s, the simulation's busiest station %s", pl.Bottleneck, busiest)
	}
	for _, c := range pl.Caveats {
		if strings.Contains(c, "multi-class simulation") {
			t.Errorf("at low load the plan says a station saturates: %q", c)
		}
	}
}

// The preset itself saturates its cores at the populations' bounds: the
// plan keeps each population's bound and says that how they share the
// cores needs a multi-class simulation.
func TestPopulationsThatSaturateAStationSaySo(t *testing.T) {
	p, _ := presets.Get("shoppers-and-api")
	top, _ := p.Load()
	pl, err := Analyse(top)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Bottleneck != "cpu" || pl.Populations[1].BoundRPS != 1000 {
		t.Fatalf("plan %+v", pl)
	}
	said := false
	for _, c := range pl.Caveats {
		said = said || strings.Contains(c, "at every population's bound cpu would be 148% busy") && strings.Contains(c, "multi-class simulation")
	}
	if !said {
		t.Errorf("caveats %q do not say the populations share a saturated cpu", pl.Caveats)
	}
}

// Requests that take no time leave the plan unbounded, and it says so in
// text and in JSON (which has no +Inf), with no NaN.
func TestRequestsOfNoTimeAreUnbounded(t *testing.T) {
	for _, text := range []string{
		"workload: {users: 5, think: 0, requests: [{steps: [{io: 0s}]}]}\napp: {workers: 4, cores: 1}\n",
		"workload:\n  populations:\n    - {name: a, users: 5, think: 0, requests: [{steps: [{io: 0s}]}]}\n    - {name: b, users: 5, think: 1s, requests: [{steps: [{cpu: 1ms}]}]}\napp: {workers: 4, cores: 1}\n",
	} {
		top, err := topology.Parse("f.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		pl, err := Analyse(top)
		if err != nil {
			t.Fatal(err)
		}
		var out, js strings.Builder
		if err := pl.Write(&out); err != nil {
			t.Fatal(err)
		}
		if err := pl.WriteJSON(&js); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		if !strings.Contains(out.String(), "ceiling     unbounded: the requests take no time") || strings.Contains(out.String()+js.String(), "NaN") {
			t.Errorf("%s\n%s", out.String(), js.String())
		}
	}
}
