package topology

import (
	"strings"
	"testing"
	"time"
)

const dbschedBase = `
workload: {rate: 10, requests: [{steps: [{db: 1ms}, {offload: 1ms}]}]}
app: {}
`

func TestParseDBSchedulerAndOffloadPolicy(t *testing.T) {
	top, err := Parse("f.yaml", []byte(dbschedBase+`
db: {cores: 2, scheduler: run_to_completion, slice: 3ms, tick: 1ms, switch_cost: 20us}
offload: {nodes: 2, cores: 2, policy: least_conn}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := CPUSched{Scheduler: RunToCompletion, Slice: 3 * time.Millisecond, Tick: time.Millisecond, SwitchCost: 20 * time.Microsecond}
	if top.DB.CPU != want {
		t.Errorf("db scheduler %+v, want %+v", top.DB.CPU, want)
	}
	if top.Offload.Policy != LeastConn {
		t.Errorf("offload policy %s, want least_conn", top.Offload.Policy)
	}
	// written and read back the same
	b, err := Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("back.yaml", b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if back.DB.CPU != want || back.Offload.Policy != LeastConn {
		t.Errorf("read back: %+v, %s", back.DB.CPU, back.Offload.Policy)
	}

	// the defaults: Linux's scheduler, as the app's; round robin
	def, err := Parse("d.yaml", []byte(dbschedBase+"offload: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if def.DB.CPU != DefaultCPUSched() || def.Offload.Policy != RoundRobin {
		t.Errorf("defaults: db %+v, offload policy %s", def.DB.CPU, def.Offload.Policy)
	}
	if got := def.DB.CPU.SliceFor(def.DB.Cores); got != LinuxSlice(4) {
		t.Errorf("db slice on 4 cores %s, want Linux's %s", got, LinuxSlice(4))
	}
}

func TestBadDBSchedulerAndOffloadPolicy(t *testing.T) {
	for text, want := range map[string]string{
		"db: {scheduler: fcfs}":      `f.yaml:4:17: db.scheduler: unknown scheduler "fcfs"`,
		"db: {slice: 1us}":           "db.slice: must be at least 10us, got 1us; write auto for Linux's default",
		"db: {switch_cost: -1ms}":    "db.switch_cost",
		"offload: {policy: fastest}": `f.yaml:4:19: offload.policy: unknown policy "fastest"`,
	} {
		_, err := Parse("f.yaml", []byte(dbschedBase+text+"\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to say %q", text, err, want)
		}
	}
}
