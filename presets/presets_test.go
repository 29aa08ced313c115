package presets

import (
	"testing"
	"time"

	"scalesim/sim"
)

func TestEveryPresetLoadsAndRuns(t *testing.T) {
	list := List()
	if len(list) < 10 {
		t.Fatalf("only %d presets", len(list))
	}
	for _, p := range list {
		t.Run(p.Name, func(t *testing.T) {
			top, err := p.Load()
			if err != nil {
				t.Fatal(err)
			}
			if top.Name == "" || top.Description == "" {
				t.Errorf("a preset needs a name and a description of what to watch")
			}
			s, err := sim.New(top, sim.Options{Warmup: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			s.Advance(35 * time.Second)
			c := s.Totals()
			if c.Completed == 0 {
				t.Fatalf("nothing completed: %+v", c)
			}
			if c.Arrived != c.Completed+c.Dropped+c.Failed+c.InFlight {
				t.Fatalf("conservation broken: %+v", c)
			}
		})
	}
}

func TestDefaultExists(t *testing.T) {
	if _, ok := Get(Default); !ok {
		t.Fatalf("default preset %q is missing", Default)
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"02-uwsgi-workers.yaml": "uwsgi-workers", "x.yaml": "x", "a-b.yaml": "a-b"} {
		if got := nameOf(in); got != want {
			t.Errorf("nameOf(%q) = %q, want %q", in, got, want)
		}
	}
}
