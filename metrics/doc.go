// Package metrics exposes a running simulation to Prometheus: a
// /metrics endpoint for the dashboard and headless runs, and the
// builders of metric families that the run summary's Prometheus format
// (report.Prom) shares.
//
// It exists so that neither sim nor ui knows about HTTP or exposition
// formats. The loop that owns a simulation (the dashboard's runner, the
// headless run) publishes each snapshot it takes anyway to a Publisher,
// an atomic pointer; a scrape reads the latest one and builds the
// families from it. A scrape never reads the simulation itself, never
// takes a frame from the dashboard, and holds no lock while the
// simulation runs.
//
// The exposition uses prometheus/common's expfmt directly, with content
// negotiation (OpenMetrics, the text format, protobuf), rather than
// client_golang's registry: the families are rebuilt whole from one
// immutable snapshot per scrape, which is what a registry of long-lived
// collectors would have to emulate, and the summary writer already
// builds the same dto families.
package metrics
