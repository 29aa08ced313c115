package record

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"scalesim/topology"
)

// A recording is YAML, written so that the file is a valid recording
// after every write, even when the program is killed: the header and
// the starting topology first, then one line per change or checksum
// appended to the log: list that ends the file, each with one write
// (no buffer in the program: a killed program loses nothing it wrote).
//
//	# A scalesim recording: scalesim replay FILE plays it back.
//	scalesim: v1.2.0 0123456789ab
//	seed: 42
//	topology:
//	  name: ...
//	log:
//	  - {at: 12.5s, set: {app.workers: 5}, source: key}
//	  - {at: 10s, checksum: 5f0c..., arrived: 1000, completed: 990, dropped: 0, failed: 0}

// Writer appends to a recording.
type Writer struct {
	f    *os.File
	path string
	err  error
}

// Create starts a recording at path of a session of t with seed, at
// simulated time 0; an existing file is replaced.
func Create(path string, t *topology.Topology, seed uint64) (*Writer, error) {
	t = t.Clone()
	t.Seed = seed
	data, err := topology.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	var b bytes.Buffer
	b.WriteString("# A scalesim recording: scalesim replay FILE plays it back.\n")
	fmt.Fprintf(&b, "scalesim: %q\nseed: %d\ntopology:\n", Version(), seed)
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			b.WriteString("  " + line)
		}
	}
	b.WriteString("log:\n")
	f, err := topology.CreateFile(path)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	w := &Writer{f: f, path: path}
	w.write(b.Bytes())
	if w.err != nil {
		f.Close()
		return nil, w.err
	}
	return w, nil
}

// Path is the file written.
func (w *Writer) Path() string { return w.path }

// Err is the first write that failed, if any; later writes are not
// tried.
func (w *Writer) Err() error { return w.err }

// Change appends c, applied at simulated time at.
func (w *Writer) Change(at time.Duration, c topology.Change) {
	data, err := topology.MarshalChanges([]topology.Change{c})
	if err != nil {
		w.fail(err)
		return
	}
	entry, ok := strings.CutPrefix(string(data), "- {")
	if !ok {
		w.fail(fmt.Errorf("recording: unexpected encoding of %s", c))
		return
	}
	var b strings.Builder
	for i, line := range strings.SplitAfter("- {at: "+topology.FormatDuration(at)+", "+entry, "\n") {
		if line == "" {
			continue
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString("  " + line)
	}
	w.write([]byte(b.String()))
}

// Checksum appends c.
func (w *Writer) Checksum(c Checksum) {
	w.write(fmt.Appendf(nil, "  - {at: %s, checksum: %q, arrived: %d, completed: %d, dropped: %d, failed: %d}\n",
		topology.FormatDuration(c.At), c.Sum, c.Arrived, c.Completed, c.Dropped, c.Failed))
}

func (w *Writer) write(p []byte) {
	if w.err != nil {
		return
	}
	if _, err := w.f.Write(p); err != nil {
		w.fail(err)
	}
}

func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = fmt.Errorf("recording %s: %w", w.path, err)
	}
}

// Close ends the recording; the file stays a valid recording.
func (w *Writer) Close() error {
	err := w.f.Close()
	if w.err != nil {
		return w.err
	}
	if err != nil {
		return fmt.Errorf("recording %s: %w", w.path, err)
	}
	return nil
}
