package presets

import (
	"testing"
	"time"

	"scalesim/sim"
)

// BenchmarkPreset simulates each preset in one-second slices after a
// 10 s warm-up and reports simulated requests per wall-clock second.
func BenchmarkPreset(b *testing.B) {
	for _, p := range List() {
		b.Run(p.Name, func(b *testing.B) {
			top, err := p.Load()
			if err != nil {
				b.Fatal(err)
			}
			s, err := sim.New(top, sim.Options{})
			if err != nil {
				b.Fatal(err)
			}
			s.Advance(10 * time.Second)
			b.ReportAllocs()
			b.ResetTimer()
			req, ev := s.Totals().Arrived, s.Events()
			for i := 0; i < b.N; i++ {
				s.Advance(s.Now() + time.Second)
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(s.Totals().Arrived-req)/sec, "requests/s")
			b.ReportMetric(float64(s.Events()-ev)/sec, "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
