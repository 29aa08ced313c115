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

func TestNoGILStep(t *testing.T) {
	// CPU outside the GIL reads as its own step, is checked as a cpu
	// step's duration, and is written back as it was read
	text := "workload: {rate: 1, requests: [{steps: [{cpu: 10ms}, {nogil: 20us}]}]}\napp: {model: threads, concurrency: 4}\n"
	top, err := Parse("t.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	st := top.Workload.Requests[0].Steps[1]
	if st.Kind != StepNoGIL || st.Dist.MeanSeconds() != 20e-6 {
		t.Fatalf("nogil step read as %v of %v s", st.Kind, st.Dist.MeanSeconds())
	}
	out, err := Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("again.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if st := again.Workload.Requests[0].Steps[1]; st.Kind != StepNoGIL || st.Dist.MeanSeconds() != 20e-6 {
		t.Errorf("written back as %v of %v s:\n%s", st.Kind, st.Dist.MeanSeconds(), out)
	}
	// refused as any step is, at its line and column, with its field
	for _, c := range []struct{ text, want string }{
		{"workload: {rate: 1, requests: [{steps: [{nogil: -1ms}]}]}\napp: {}\n", "neg.yaml:1:49: workload.requests[0].steps[0].nogil: must not be negative, got -1ms"},
		{"workload: {rate: 1, requests: [{steps: [{nogil: [1ms]}]}]}\napp: {}\n", "neg.yaml:1:49: workload.requests[0].steps[0].nogil: expected a duration like 15ms or a distribution like exp(15ms), got a list"},
		{"workload: {rate: 1, requests: [{steps: [{nogl: 1ms}]}]}\napp: {}\n", `neg.yaml:1:42: workload.requests[0].steps[0].nogl: unknown step "nogl"; did you mean "nogil"? (allowed: cpu, io, db, read, write, buy, cache, offload, nogil)`},
	} {
		if _, err := Parse("neg.yaml", []byte(c.text)); err == nil || err.Error() != c.want {
			t.Errorf("%q: got %v\nwant %s", c.text, err, c.want)
		}
	}
}
