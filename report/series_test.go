package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/sim"
)

// seriesOf runs nginx-nodes for 8 simulated seconds, taking node 2 down
// at 3s and bringing it back at 6s, and writes its seconds in format. A
// slice of 0 advances in one call; else in slices of that much simulated
// time, with a snapshot read after each.
func seriesOf(t *testing.T, format string, slice time.Duration) []byte {
	t.Helper()
	p, _ := presets.Get("nginx-nodes")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := NewSeriesWriter(&b, format)
	s, err := sim.New(top, sim.Options{OnSecond: func(r sim.Second) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	advance := func(to time.Duration) {
		if slice == 0 {
			s.Advance(to)
			return
		}
		for s.Now() < to {
			s.Advance(min(to, s.Now()+slice))
			_ = s.Snapshot()
		}
	}
	advance(3 * time.Second)
	s.SetNodeUp(1, false)
	advance(6 * time.Second)
	s.SetNodeUp(1, true)
	advance(8 * time.Second)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSeriesCSVGolden: a short run's CSV, a header and one row per
// second, in which the node taken down shows as failures and a node
// fewer up.
func TestSeriesCSVGolden(t *testing.T) {
	got := seriesOf(t, "csv", 0)
	golden(t, "nginx-nodes.series.csv.golden", got)
	rows, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 {
		t.Fatalf("%d lines, want a header and 8 rows", len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"t", "arrived", "completed", "dropped", "failed_by_node_down", "in_flight", "p50_ms", "p99_ms", "app_queue", "cpu_util", "nodes_up", "nodes_booting"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("no column %s in %v", name, rows[0])
		}
	}
	for i, r := range rows[1:] {
		if r[col["t"]] != strconv.Itoa(i+1) {
			t.Fatalf("row %d is second %s", i, r[col["t"]])
		}
		up := "2"
		if i+1 > 3 && i+1 <= 6 {
			up = "1"
		}
		if r[col["nodes_up"]] != up {
			t.Fatalf("second %d: %s nodes up, want %s", i+1, r[col["nodes_up"]], up)
		}
	}
	if rows[4][col["failed_by_node_down"]] == "0" {
		t.Fatal("no request failed in the second node 2 went down")
	}
}

// TestSeriesIsTheSameHoweverSliced: the CSV and the JSON lines are
// byte-identical whether the run advances in one call or in slices of a
// millisecond with a snapshot after each; the JSON lines read back as
// rows whose numbers are the CSV's.
func TestSeriesIsTheSameHoweverSliced(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		want := seriesOf(t, format, 0)
		if got := seriesOf(t, format, time.Millisecond); !bytes.Equal(got, want) {
			t.Fatalf("%s sliced:\n%s\none call:\n%s", format, got, want)
		}
	}
	lines := bufio.NewScanner(bytes.NewReader(seriesOf(t, "jsonl", 0)))
	csvRows, _ := csv.NewReader(bytes.NewReader(seriesOf(t, "csv", 0))).ReadAll()
	n := 0
	for lines.Scan() {
		var r sim.Second
		if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		n++
		row := csvRows[n]
		if row[0] != strconv.FormatFloat(r.T, 'f', -1, 64) || row[1] != strconv.FormatUint(r.Arrived, 10) ||
			!strings.Contains(strings.Join(row, ","), strconv.FormatFloat(r.P99Ms, 'f', -1, 64)) {
			t.Fatalf("line %d: JSON %+v, CSV %v", n, r, row)
		}
	}
	if n != 8 {
		t.Fatalf("%d JSON lines", n)
	}
}

func TestSeriesFormatByExtension(t *testing.T) {
	for path, want := range map[string]string{"a.csv": "csv", "A.CSV": "csv", "run.json": "jsonl", "x/run.jsonl": "jsonl", "r.ndjson": "jsonl", "a.txt": "", "csv": "", "a.csv.gz": ""} {
		got, err := SeriesFormat(path)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("%s: %q, %v; want %q", path, got, err, want)
		}
	}
}

// cellQuoting: a cell holding a comma, a quote or a line break is quoted
// as encoding/csv reads it back.
func TestSeriesCellQuoting(t *testing.T) {
	in := []string{"plain", `say "hi"`, "a, b", "two\nlines"}
	var line []byte
	for i, s := range in {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendQuoted(line, s)
	}
	got, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil || strings.Join(got, "|") != strings.Join(in, "|") {
		t.Fatalf("read back %q, %v; want %q", got, err, in)
	}
}
