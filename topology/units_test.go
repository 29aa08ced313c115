package topology

import (
	"math"
	"strconv"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"0", 0}, {"0.0", 0}, {"-0", 0}, {"0s", 0},
		{"250us", 250 * time.Microsecond}, {"250µs", 250 * time.Microsecond},
		{"15ms", 15 * time.Millisecond}, {"2s", 2 * time.Second},
		{"1m30s", 90 * time.Second}, {"1.5h", 90 * time.Minute},
		{"7ns", 7}, {" 3ms ", 3 * time.Millisecond}, {"-5ms", -5 * time.Millisecond},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	bad := map[string]string{
		"":            "missing duration; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)",
		"15":          `missing unit in duration "15"; add a unit, e.g. 15ms`,
		"1.5":         `missing unit in duration "1.5"; add a unit, e.g. 15ms`,
		"1e3":         `missing unit in duration "1e3"; add a unit, e.g. 15ms`,
		"15 ms":       `invalid duration "15 ms"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
		"1d":          `invalid duration "1d"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
		"inf":         `invalid duration "inf"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
		"9999999999h": `duration "9999999999h" is too long; durations go up to 2562047h (about 292 years)`,
		"2562048h":    `duration "2562048h" is too long; durations go up to 2562047h (about 292 years)`,
		"0.1ns":       `duration "0.1ns" is shorter than 1ns; write 0 for none, or at least 1ns`,
		"-0.5ns":      `duration "-0.5ns" is shorter than 1ns; write 0 for none, or at least 1ns`,
		"1.5ns":       `duration "1.5ns" is not a whole number of nanoseconds; scalesim's clock counts whole nanoseconds`,
		"0.0000001ms": `duration "0.0000001ms" is shorter than 1ns; write 0 for none, or at least 1ns`,
		"1ms.5":       `invalid duration "1ms.5"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
		"-":           `invalid duration "-"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
	}
	// Every whole-nanosecond duration Go reads, ParseDuration reads the same.
	for _, in := range []string{"1.s", ".5s", "1h2m3s4ms5us6ns", "1.000000001s", "2562047h47m16.854775807s",
		"-2562047h47m16.854775808s", "+3m", "0.5us", "1μs", "3m0.5s", "0.000000001s"} {
		want, err := time.ParseDuration(in)
		if err != nil {
			t.Fatalf("time.ParseDuration(%q): %v", in, err)
		}
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; time.ParseDuration gives %v", in, got, err, want)
		}
	}
	for in, want := range bad {
		_, err := ParseDuration(in)
		if err == nil || err.Error() != want {
			t.Errorf("ParseDuration(%q): got %v, want %s", in, err, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {1, "1ns"}, {250 * time.Microsecond, "250us"}, {1500 * time.Nanosecond, "1.5us"},
		{15 * time.Millisecond, "15ms"}, {5 * time.Minute, "5m"}, {90 * time.Second, "1m30s"},
		{time.Hour, "1h"}, {time.Hour + time.Minute, "1h1m"}, {time.Hour + time.Second, "1h0m1s"},
		{10 * time.Minute, "10m"}, {2*time.Minute + 10*time.Second, "2m10s"},
		{-5 * time.Minute, "-5m"}, {math.MaxInt64, "2562047h47m16.854775807s"},
		{math.MinInt64, "-2562047h47m16.854775808s"},
	}
	for _, tt := range tests {
		got := FormatDuration(tt.d)
		if got != tt.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", int64(tt.d), got, tt.want)
		}
		if back, err := ParseDuration(got); err != nil || back != tt.d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %d", got, back, err, int64(tt.d))
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"0B", 0}, {"1048576", 1 << 20}, {"512B", 512},
		{"512KiB", 512 << 10}, {"120MiB", 120 << 20}, {"4GiB", 4 << 30}, {"2TiB", 2 << 40},
		{"1GB", 1e9}, {"1 MB", 1e6}, {"3kb", 3000}, {"4gib", 4 << 30}, {"1.5GiB", 3 << 29},
		{".5KiB", 512}, {"7EiB", 7 << 60}, {"-1MiB", -1 << 20}, {"9223372036854775807", math.MaxInt64},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	const hint = "write bytes as a whole number, or a number with a unit: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB (e.g. 512MiB, 4GiB)"
	bad := map[string]string{
		"":       "missing size; " + hint,
		"lots":   `invalid size "lots"; ` + hint,
		"4G":     `ambiguous size unit "G" in "4G"; write GiB for binary or GB for decimal units`,
		"1.5":    `size "1.5" is not a whole number of bytes; ` + hint,
		"0.1KiB": `size "0.1KiB" is not a whole number of bytes; ` + hint,
		"8EiB":   `size "8EiB" is too large; sizes go up to 7EiB`,
		"1e3":    `invalid size "1e3"; ` + hint,
	}
	for in, want := range bad {
		_, err := ParseSize(in)
		if err == nil || err.Error() != want {
			t.Errorf("ParseSize(%q): got %v, want %s", in, err, want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0B"}, {1, "1B"}, {1000, "1KB"}, {1023, "1023B"}, {1024, "1KiB"},
		{512 << 10, "512KiB"}, {120 << 20, "120MiB"}, {123404288, "120512KiB"},
		{4 << 30, "4GiB"}, {1e9, "1GB"}, {2048000, "2000KiB"}, {1536 << 20, "1536MiB"},
		{7 << 60, "7EiB"}, {-1 << 20, "-1MiB"}, {math.MaxInt64, "9223372036854775807B"},
		{math.MinInt64, "-8EiB"},
	}
	for _, tt := range tests {
		got := FormatSize(tt.n)
		if got != tt.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
		if back, err := ParseSize(got); err != nil || back != tt.n {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", got, back, err, tt.n)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	for _, f := range []float64{0, 1, 0.1, 33.333, 1.0 / 3, 1e-7, 1e-6, 123456789.123, 1e15, 1e21, 5e-324, math.MaxFloat64, -2.5} {
		s := formatFloat(f)
		if back, err := strconv.ParseFloat(s, 64); err != nil || back != f {
			t.Errorf("formatFloat(%g) = %q, reads back as %g (%v)", f, s, back, err)
		}
	}
	for f, want := range map[float64]string{0.1: "0.1", 120: "120", 1e8: "100000000", 1e-9: "1e-09", 1e21: "1e+21"} {
		if got := formatFloat(f); got != want {
			t.Errorf("formatFloat(%g) = %q, want %q", f, got, want)
		}
	}
}

// TestParseNumberIsDecimal: the numbers of flags, ranges, SLOs and
// distributions follow the file's rule, decimal only; Go's ParseFloat
// alone would take hexadecimal, inf and nan.
func TestParseNumberIsDecimal(t *testing.T) {
	for s, want := range map[string]float64{"20": 20, " 0.5 ": 0.5, "-3": -3, "1e3": 1000, ".5": 0.5, "+2.": 2, "024": 24} {
		if got, err := ParseNumber(s); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"0x10", "0x1p-2", "1_000", "0o17", "inf", "+Inf", "NaN", "1e400", "", "1e", "ten"} {
		if got, err := ParseNumber(s); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", s, got)
		} else if e, ok := err.(*Error); !ok || e.Hint == "" {
			t.Errorf("ParseNumber(%q): %v has no hint", s, err)
		}
	}
}
