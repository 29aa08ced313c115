package ui

import (
	"math"
	"testing"
)

// ms reads the same on either side of a boundary: a value that rounds up
// to the next band is written as that band is, never with an extra digit
// or an extra cell.
func TestMsAtBoundaries(t *testing.T) {
	for v, want := range map[float64]string{
		0:          "0",
		-1:         "0",
		math.NaN(): "0",
		0.0004:     "<1µs",
		0.0005:     "1µs",
		0.25:       "250µs",
		0.9994:     "999µs",
		0.9996:     "1.0ms", // not 1000µs
		1:          "1.0ms",
		4.54:       "4.5ms",
		9.94:       "9.9ms",
		9.96:       "10ms", // not 10.0ms
		10:         "10ms",
		45.4:       "45ms",
		99.6:       "100ms",
		999.4:      "999ms",
		999.6:      "1.0s", // not 1000ms
		1234:       "1.2s",
		9949:       "9.9s",
		9951:       "10s", // not 10.0s
		12345:      "12s",
	} {
		if got := ms(v); got != want {
			t.Errorf("ms(%v) = %q, want %q", v, got, want)
		}
	}
	// the width never exceeds five cells below 100 s, whatever the value
	for v := 0.0001; v < 99_000; v *= 1.001 {
		if s := ms(v); width(s) > 5 {
			t.Fatalf("ms(%v) = %q: %d cells", v, s, width(s))
		}
	}
}

// TestFitIsExactlyItsWidth: fit gives exactly w cells, also when the cut
// falls inside a wide (CJK) character, which then goes whole: a class
// named in Chinese pushed the classes table's columns a cell left.
func TestFitIsExactlyItsWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{"瀏覽商品頁面", 6, "瀏覽… "},
		{"瀏覽商品頁面", 7, "瀏覽商…"},
		{"瀏覽", 6, "瀏覽  "},
		{"browse", 4, "bro…"},
		{"ab", 2, "ab"},
	} {
		got := fit(c.s, c.w)
		if got != c.want || width(got) != c.w {
			t.Errorf("fit(%q, %d) = %q (%d cells), want %q", c.s, c.w, got, width(got), c.want)
		}
		if r := fitRight(c.s, c.w); width(r) != c.w {
			t.Errorf("fitRight(%q, %d) = %q, %d cells", c.s, c.w, r, width(r))
		}
	}
}
