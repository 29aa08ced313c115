package topology

import (
	"strings"
	"testing"
)

const twoPopulations = `workload:
  populations:
    - name: shoppers
      users: 200
      think: exp(5s)
      requests:
        - name: browse
          share: 4
          steps: [{cpu: 10ms}]
        - name: checkout
          steps: [{cpu: 20ms}, {db: 5ms}]
    - name: api
      users: 20
      think: 0
      requests:
        - name: list
          steps: [{cpu: 2ms}]
app: {workers: 4}
`

func TestPopulationsParse(t *testing.T) {
	top, err := Parse("shop.yaml", []byte(twoPopulations))
	if err != nil {
		t.Fatal(err)
	}
	w := top.Workload
	if w.Users != 220 || len(w.Requests) != 3 || len(w.Populations) != 2 || w.Rate != 0 {
		t.Fatalf("workload %+v", w)
	}
	if p := w.Populations[0]; p.Name != "shoppers" || p.Users != 200 || p.Think.String() != "exp(5s)" || p.Classes != 2 {
		t.Errorf("population 0: %+v", p)
	}
	if p := w.Populations[1]; p.Name != "api" || p.Users != 20 || !p.Think.IsZero() || p.Classes != 1 {
		t.Errorf("population 1: %+v", p)
	}
	if w.Requests[2].Name != "list" || w.PopulationOf(2) != 1 || w.PopulationOf(1) != 0 {
		t.Errorf("classes %+v", w.Requests)
	}
	if got := w.ClassPath(2); got != "workload.populations[1].requests[0]" {
		t.Errorf("ClassPath(2) = %s", got)
	}
	assertRoundTrip(t, top)
}

// TestPopulationsErrors: a wrong file gets the position of what it
// wrote, the field and a hint.
func TestPopulationsErrors(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"bad step in the second", "cpu: 2ms", "cpu: -2ms", "shop.yaml:17:25: workload.populations[1].requests[0].steps[0].cpu: must not be negative"},
		{"users beside", "  populations:", "  users: 5\n  populations:", "shop.yaml:2:3: workload.users: users cannot be set beside populations"},
		{"no classes", "      requests:\n        - name: list\n          steps: [{cpu: 2ms}]\n", "", "workload.populations[1].requests: a population needs at least one request class"},
		{"same class name", "name: list", "name: browse", `shop.yaml:16:17: workload.populations[1].requests[0].name: "browse" is already the name of workload.populations[0].requests[0]`},
		{"same name", "name: api", "name: shoppers", `shop.yaml:12:13: workload.populations[1].name: "shoppers" is already the name of workload.populations[0]`},
		{"negative users", "users: 20\n", "users: -1\n", "shop.yaml:13:14: workload.populations[1].users: must be between 0 and 1000000, got -1"},
		{"no users", "users: 200", "users: 0", ""},
		{"none at all", "users: 200", "users: 0\n      xx: 1", "shop.yaml:5:7: workload.populations[0].xx: unknown key"},
		{"bad think", "think: 0", "think: exp(0s)", "workload.populations[1].think: exp mean must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(twoPopulations, tc.from, tc.to, 1)
			if tc.name == "no users" {
				text = strings.Replace(text, "users: 20\n", "users: 0\n", 1)
				tc.want = "workload.populations: the populations have no users"
			}
			_, err := Parse("shop.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestPopulationsWith: a population's size is settable by path, and the
// workload's total follows; Diff gives that path back.
func TestPopulationsWith(t *testing.T) {
	top, err := Parse("shop.yaml", []byte(twoPopulations))
	if err != nil {
		t.Fatal(err)
	}
	next, err := top.With(Change{Action: ActSet, Path: "workload.populations[1].users", Value: "50"})
	if err != nil {
		t.Fatal(err)
	}
	if next.Workload.Users != 250 || next.Workload.Populations[1].Users != 50 {
		t.Errorf("after the set: %+v", next.Workload)
	}
	next, err = next.With(Change{Action: ActSet, Path: "workload.populations[0].requests[1].steps[0].cpu", Value: "30ms"})
	if err != nil {
		t.Fatal(err)
	}
	if d := next.Workload.Requests[1].Steps[0].Dist.String(); d != "30ms" {
		t.Errorf("checkout's cpu is %s", d)
	}
	cs := Diff(top, next)
	var paths []string
	for _, c := range cs {
		paths = append(paths, c.Path)
	}
	if strings.Join(paths, " ") != "workload.populations[0].requests[1].steps[0].cpu workload.populations[1].users" {
		t.Errorf("Diff gives %v", cs)
	}
	// the whole workload read and written back, as the dashboard does
	// with several changes in one section
	v, err := next.Get("workload")
	if err != nil {
		t.Fatal(err)
	}
	again, err := top.With(Change{Action: ActSet, Path: "workload", Value: v})
	if err != nil || again.Workload.Users != 250 || len(again.Workload.Requests) != 3 {
		t.Errorf("workload set whole from Get: %v, %+v", err, again)
	}
	if _, err := top.With(Change{Action: ActSet, Path: "workload.users", Value: "10"}); err == nil || !strings.Contains(err.Error(), "beside populations") {
		t.Errorf("setting workload.users beside populations: %v", err)
	}
	if _, err := top.With(Change{Action: ActSet, Path: "workload.populations[0].users", Value: "-3"}); err == nil || !strings.Contains(err.Error(), "workload.populations[0].users") {
		t.Errorf("a negative population: %v", err)
	}
	edited := top.Clone()
	edited.Workload.Populations[0].Users = 7
	if err := edited.Validate(); err == nil || !strings.Contains(err.Error(), "SyncPopulations") {
		t.Errorf("a total out of step: %v", err)
	}
	edited.Workload.SyncPopulations()
	if err := edited.Validate(); err != nil || edited.Workload.Users != 27 {
		t.Errorf("after SyncPopulations: %v, %d users", err, edited.Workload.Users)
	}
}

func TestPopulationsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("workload:\n  populations:\n")
	for i := 0; i <= MaxPopulations; i++ {
		b.WriteString("    - {users: 1, requests: [{steps: [{cpu: 1ms}]}]}\n")
	}
	b.WriteString("app: {}\n")
	_, err := Parse("many.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "65 populations; at most 64") {
		t.Errorf("got %v", err)
	}
}
