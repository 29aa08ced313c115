package sim

// NodeStatus is what an app node is doing for the load balancer.
type NodeStatus uint8

const (
	// NodeUp is in the pool and takes requests.
	NodeUp NodeStatus = iota
	// NodeBooting has started and takes no requests until it has booted.
	NodeBooting
	// NodeDraining was removed: it takes no new requests and finishes
	// those it holds.
	NodeDraining
	// NodeDown was taken down or crashed: it holds nothing and takes
	// nothing.
	NodeDown
)

var nodeStatusNames = [...]string{NodeUp: "up", NodeBooting: "booting", NodeDraining: "draining", NodeDown: "down"}

func (st NodeStatus) String() string {
	if int(st) < len(nodeStatusNames) {
		return nodeStatusNames[st]
	}
	return "unknown"
}

// MarshalText writes the status as its word: "up", "booting", ...
func (st NodeStatus) MarshalText() ([]byte, error) { return []byte(st.String()), nil }

// status is what node n is doing now.
func (n *node) status() NodeStatus {
	switch {
	case n.isBooting():
		return NodeBooting
	case !n.up:
		return NodeDown
	case n.draining:
		return NodeDraining
	}
	return NodeUp
}
