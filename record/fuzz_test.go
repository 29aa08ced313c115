package record

import (
	"os"
	"testing"
)

// FuzzParse checks that Parse never panics on any bytes, and that what
// it accepts has a topology and its changes in order of time. The seed
// corpus runs in every plain go test.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"scalesim: dev\nseed: 1\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n",
		"scalesim: dev\nseed: 1\ntopology: {workload: {rate: 5, requests: [{steps: [{cpu: 1ms}]}]}, app: {}}\nlog:\n  - {at: 1s, set: {app.workers: 2}, source: key}\n  - {at: 10s, checksum: \"00\", arrived: 1, completed: 1, dropped: 0, failed: 0}\n",
		"scalesim: [1]\nseed: -1\ntopology: 5\nlog: {a: 1}\n",
		"log:\n  - {at: 1s}\n  - {at: -1s, set: {}}\n  - [1]\n",
		"a: &a [*a]",
	} {
		f.Add([]byte(seed))
	}
	if data, err := os.ReadFile("testdata/demo.rec.yaml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Parse("fuzz.rec.yaml", data)
		if err != nil {
			return
		}
		if rec.Topology == nil {
			t.Fatal("a recording accepted without a topology")
		}
		for i := 1; i < len(rec.Changes); i++ {
			if rec.Changes[i].At < rec.Changes[i-1].At {
				t.Fatalf("changes out of order: %v after %v", rec.Changes[i].At, rec.Changes[i-1].At)
			}
		}
	})
}
