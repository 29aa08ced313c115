package ui

import (
	"errors"
	"fmt"
	"math"
	"time"

	"scalesim/topology"
)

// Edits of the database tier and the stock. Like every edit they change
// a clone; the model validates and applies the result.

var (
	errNoStock     = errors.New("this topology sells no stock: it has no stock section")
	errNoConnLimit = errors.New("max_connections is not set (no limit): set it in the file to edit it here")
)

// defaultLag is the replication lag the first replica gets when the
// topology has none to go back to: asynchronous replication is rarely
// faster.
const defaultLag = 100 * time.Millisecond

// strategies is the order g cycles through.
var strategies = []topology.Strategy{topology.Naive, topology.RowLock, topology.Optimistic, topology.Atomic, topology.Redis}

// editStrategy moves the stock to the next strategy: naive → row_lock →
// optimistic → atomic → redis → naive. The redis strategy needs the
// cache section (the Redis server): without one it is skipped, and the
// note says so. The simulation keeps the stock and what was sold.
func editStrategy(t *topology.Topology) (string, error) {
	s := t.Stock
	if s == nil {
		return "", errNoStock
	}
	old := s.Strategy
	i := 0
	for k, v := range strategies {
		if v == old {
			i = k
		}
	}
	next := strategies[(i+1)%len(strategies)]
	skipped := ""
	if next == topology.Redis && t.Cache == nil {
		next = strategies[0]
		skipped = " (redis skipped: it needs a cache section for the Redis server)"
	}
	s.Strategy = next
	return fmt.Sprintf("strategy %s → %s%s", old, next, skipped), nil
}

// editReplicas adds or removes a read replica of every primary. The
// first replica gets lag as its replication lag (when the topology has
// none); the last one takes the lag with it, as a file without replicas
// may not set one.
func editReplicas(d dir, lag time.Duration) edit {
	return func(t *topology.Topology) (string, error) {
		if !usesDB(t) {
			return "", errNoDB
		}
		db := &t.DB
		old := db.Replicas
		db.Replicas += int(d)
		note := fmt.Sprintf("read replicas per primary %d → %d", old, db.Replicas)
		switch {
		case db.Replicas <= 0:
			db.ReplicationLag = 0
		case old == 0 && db.ReplicationLag == 0:
			db.ReplicationLag = lag
			note += fmt.Sprintf(" (replication lag %v)", lag)
		}
		if db.Replicas > 0 && !t.Uses(topology.StepRead) {
			note += ": no request has a read step, so they stay idle"
		}
		return note, nil
	}
}

// editShards adds or removes a shard: one primary more or fewer, each
// with its replicas.
func editShards(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		if !usesDB(t) {
			return "", errNoDB
		}
		db := &t.DB
		old := db.Shards
		db.Shards += int(d)
		note := fmt.Sprintf("shards %d → %d", old, db.Shards)
		if st := t.Stock; st != nil && st.Items < db.Shards && db.Shards > old {
			note += fmt.Sprintf(": only %d %s of stock, so some shards hold none", st.Items, plural(st.Items, "row", "rows"))
		}
		return note, nil
	}
}

// editPool switches PgBouncer on with size server connections per
// database server (at most max_connections), or off.
func editPool(size int) edit {
	return func(t *topology.Topology) (string, error) {
		if !usesDB(t) {
			return "", errNoDB
		}
		db := &t.DB
		if db.Pool != nil {
			db.Pool = nil
			return "PgBouncer off: the app connects to the database directly", nil
		}
		if size <= 0 {
			size = topology.DefaultPool().Size
		}
		if db.MaxConnections > 0 {
			size = min(size, db.MaxConnections)
		}
		db.Pool = &topology.Pool{Size: size}
		return fmt.Sprintf("PgBouncer on: %d server connections per database server", size), nil
	}
}

// editMaxConns moves each database server's connection limit along the
// ladder of round numbers, never below 1 (0 would mean no limit). A
// pooler larger than the new limit shrinks with it.
func editMaxConns(d dir) edit {
	return func(t *topology.Topology) (string, error) {
		db := &t.DB
		old := db.MaxConnections
		if old <= 0 {
			return "", errNoConnLimit
		}
		next := int(math.Round(ladder(float64(old), d)))
		if next == old {
			next = old + int(d)
		}
		if next < 1 {
			return "", errors.New("max_connections is at its lowest: 1")
		}
		db.MaxConnections = next
		note := fmt.Sprintf("max_connections %d → %d", old, next)
		if p := db.Pool; p != nil && p.Size > next {
			note += fmt.Sprintf(" (PgBouncer %d → %d server connections)", p.Size, next)
			p.Size = next
		}
		return note, nil
	}
}

// plural picks the singular for one.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
