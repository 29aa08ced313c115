package topology

import "testing"

func TestUses(t *testing.T) {
	top, err := Parse("t.yaml", []byte(`
workload:
  rate: 1
  requests:
    - {name: a, steps: [{cpu: 1ms}]}
    - {name: b, steps: [{cache: {miss: [{read: 1ms}]}}]}
app: {}
cache: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		kinds []StepKind
		want  bool
	}{
		{[]StepKind{StepCPU}, true},
		{[]StepKind{StepRead}, true}, // in a cache miss
		{[]StepKind{StepWrite, StepBuy}, false},
		{[]StepKind{StepDB, StepCache}, true},
	}
	for _, tc := range cases {
		if got := top.Uses(tc.kinds...); got != tc.want {
			t.Errorf("Uses(%v) = %v, want %v", tc.kinds, got, tc.want)
		}
	}
	if top.Workload.Requests[0].Uses(StepRead) {
		t.Error("class a has no read step")
	}
}
