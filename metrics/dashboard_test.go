package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dashboardFile is the Grafana dashboard in the repository.
const dashboardFile = "../deploy/grafana/dashboards/scalesim.json"

// dashboardQueries are the PromQL expressions of every panel of the
// dashboard, by panel title.
func dashboardQueries(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Annotations struct {
			List []struct {
				Name       string `json:"name"`
				Expr       string `json:"expr"`
				Datasource struct {
					UID string `json:"uid"`
				} `json:"datasource"`
			} `json:"list"`
		} `json:"annotations"`
		Panels []struct {
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	prov, err := os.ReadFile("../deploy/grafana/provisioning/datasources/scalesim.yml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range d.Panels {
		if !strings.Contains(string(prov), "uid: "+p.Datasource.UID+"\n") {
			t.Errorf("panel %q uses the data source %q, which is not provisioned", p.Title, p.Datasource.UID)
		}
		for _, tg := range p.Targets {
			out[p.Title] = append(out[p.Title], tg.Expr)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
	}
	for _, a := range d.Annotations.List {
		if !strings.Contains(string(prov), "uid: "+a.Datasource.UID+"\n") || a.Expr == "" {
			t.Errorf("annotation %q: data source %q, query %q", a.Name, a.Datasource.UID, a.Expr)
		}
		out[annotationPrefix+a.Name] = append(out[annotationPrefix+a.Name], a.Expr)
	}
	return out
}

// annotationPrefix marks the annotations among the dashboard's queries.
const annotationPrefix = "annotation "

// TestDashboardNamesServedMetrics: every metric a panel's query names
// is one the endpoint serves, and the dashboard has the main panels.
func TestDashboardNamesServedMetrics(t *testing.T) {
	served := map[string]bool{}
	for _, name := range []string{"redis-cache", "read-replicas", "nginx-nodes", "flash-sale-redis", "failure-drill", "surge"} {
		snap := surgeAt(t, 40*time.Second)
		if name != "surge" {
			snap = snapshotAt(t, name, 30*time.Second) // the drill's timeline has begun
		}
		for _, f := range Live("1-0", &snap).List {
			served[f.GetName()] = true
			if f.GetType() == HistogramType {
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					served[f.GetName()+suffix] = true
				}
			}
		}
	}
	name := regexp.MustCompile(`\bscalesim_[a-z0-9_]+`)
	queries := dashboardQueries(t)
	n := 0
	for title, exprs := range queries {
		for _, e := range exprs {
			for _, m := range name.FindAllString(e, -1) {
				n++
				if !served[m] {
					t.Errorf("panel %q queries %s, which the endpoint does not serve", title, m)
				}
			}
		}
	}
	for _, want := range []string{"Throughput per simulated second", "Latency percentiles", "Queue depth per station",
		"Drops and failures per simulated second", "App nodes", annotationPrefix + "Changes"} {
		if queries[want] == nil {
			t.Errorf("the dashboard has no panel %q", want)
		}
	}
	if n < 10 {
		t.Errorf("only %d metric names in the dashboard's queries", n)
	}
}
