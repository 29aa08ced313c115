package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"scalesim/sim"
)

// SeriesFormat is the format of a per-second series file, by its
// extension: "csv" for .csv, "jsonl" (one JSON object a line) for .json,
// .jsonl and .ndjson. Any other extension is an error whose text says
// which are known.
func SeriesFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv", nil
	case ".json", ".jsonl", ".ndjson":
		return "jsonl", nil
	}
	ext := filepath.Ext(path)
	if ext == "" {
		return "", fmt.Errorf("no extension to say the format: name it .csv for CSV, or .json or .jsonl for JSON lines")
	}
	return "", fmt.Errorf("%s is no series format: name the file .csv for CSV, or .json or .jsonl for JSON lines", ext)
}

// SeriesWriter writes sim.Second rows as they close, one per line: CSV
// with a header line naming the columns, or JSON lines. It keeps no rows,
// so a run of any length writes in fixed memory. The first error is kept
// and returned by Write and Flush; later rows are not written.
type SeriesWriter struct {
	w      *bufio.Writer
	format string
	enc    *json.Encoder
	cols   []column
	line   []byte
	err    error
}

// NewSeriesWriter starts a series in format ("csv" or "jsonl") on w; a
// CSV's header is written at once, so that a run with no whole second
// still leaves a file that names its columns.
func NewSeriesWriter(w io.Writer, format string) *SeriesWriter {
	sw := &SeriesWriter{w: bufio.NewWriter(w), format: format}
	if format == "jsonl" {
		sw.enc = json.NewEncoder(sw.w)
		return sw
	}
	sw.cols = columns(reflect.TypeOf(sim.Second{}), nil, "")
	names := make([]string, len(sw.cols))
	for i, c := range sw.cols {
		names[i] = c.name
	}
	_, sw.err = sw.w.WriteString(strings.Join(names, ",") + "\n")
	return sw
}

// Write adds one row.
func (sw *SeriesWriter) Write(r sim.Second) error {
	if sw.err != nil {
		return sw.err
	}
	if sw.enc != nil {
		sw.err = sw.enc.Encode(r)
		return sw.err
	}
	v := reflect.ValueOf(r)
	sw.line = sw.line[:0]
	for i, c := range sw.cols {
		if i > 0 {
			sw.line = append(sw.line, ',')
		}
		sw.line = appendCell(sw.line, v.FieldByIndex(c.index))
	}
	sw.line = append(sw.line, '\n')
	_, sw.err = sw.w.Write(sw.line)
	return sw.err
}

// Flush writes out what is buffered; call it once the run ends.
func (sw *SeriesWriter) Flush() error {
	if sw.err != nil {
		return sw.err
	}
	sw.err = sw.w.Flush()
	return sw.err
}

// column is one CSV column: a number of the row, named by its JSON
// name, prefixed with those of the structs holding it (dropped_by_
// backlog_full); the fields of an embedded struct (sim.Counts) are the
// row's own.
type column struct {
	name  string
	index []int
}

func columns(t reflect.Type, index []int, prefix string) []column {
	var out []column
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		idx := append(append([]int{}, index...), i)
		if f.Type.Kind() == reflect.Struct {
			p := prefix
			if !f.Anonymous {
				p += name + "_"
			}
			out = append(out, columns(f.Type, idx, p)...)
			continue
		}
		out = append(out, column{name: prefix + name, index: idx})
	}
	return out
}

// appendCell writes one value: numbers as Go and JSON write them, the
// shortest text that reads back the same; strings quoted as CSV quotes
// them; a list (the marks' texts) joined by "; " in one cell.
func appendCell(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'f', -1, 64)
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.String:
		return appendQuoted(b, v.String())
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			e := v.Index(i).Interface()
			if m, ok := e.(sim.Mark); ok {
				e = m.Text // the second says when
			}
			parts[i] = fmt.Sprint(e)
		}
		return appendQuoted(b, strings.Join(parts, "; "))
	}
	return appendQuoted(b, fmt.Sprint(v.Interface()))
}

// appendQuoted writes s as a CSV cell: quoted when it holds a comma, a
// quote or a line break, with its quotes doubled.
func appendQuoted(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
