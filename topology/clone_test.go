package topology

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestCloneIsDeep(t *testing.T) {
	orig, err := Load("testdata/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := orig.Clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatal("clone differs from the original")
	}
	c.Workload.Requests[0].Name = "changed"
	c.Workload.Requests[0].Steps[0].Dist.Mean++
	c.Workload.Requests[0].Steps[3].Miss[0].Dist.Mean++
	c.Workload.Requests = append(c.Workload.Requests, RequestClass{Name: "new"})
	c.Cache.HitRatio = 0.5
	c.Cache.Keys.Count++
	c.Offload.Speed++
	c.App.Workers++

	fresh, _ := Load("testdata/good/full.yaml")
	if !reflect.DeepEqual(orig, fresh) {
		t.Error("editing the clone changed the original")
	}

	orig, err = Load("testdata/good/flash_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c = orig.Clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatal("clone differs from the original")
	}
	c.DB.Pool.Size++
	c.DB.Replicas++
	c.Stock.Quantity++
	c.Stock.Query.Mean++
	c.Workload.Requests[1].Steps[1].Miss[0].Kind = StepWrite
	fresh, _ = Load("testdata/good/flash_sale.yaml")
	if !reflect.DeepEqual(orig, fresh) {
		t.Error("editing the clone changed the original")
	}
}

func TestCloneKeepsNils(t *testing.T) {
	if (*Topology)(nil).Clone() != nil {
		t.Error("nil.Clone() is not nil")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		top := randomTopology(r)
		if c := top.Clone(); !reflect.DeepEqual(c, top) {
			t.Fatalf("clone differs:\n%+v\n%+v", c, top)
		}
	}
	top := &Topology{}
	if c := top.Clone(); !reflect.DeepEqual(c, top) || c.Cache != nil || c.Offload != nil || c.Stock != nil || c.DB.Pool != nil || c.Workload.Requests != nil {
		t.Errorf("clone of the zero topology: %+v", c)
	}
}
