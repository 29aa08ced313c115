package sim

import "math"

// zigExp is the ziggurat of Marsaglia and Tsang ("The ziggurat method
// for generating random variables", 2000) for the exponential
// distribution with 256 layers, the one math/rand/v2's ExpFloat64 draws
// from: each layer's acceptance bound k (a draw j below it is accepted)
// beside its width w (the draw is j*w), so that one load finds both.
// It is built from the paper's two constants as the paper builds it;
// TestExpAt checks expAt against ExpFloat64 itself over 600,000 draws,
// so a table that differed from the generator's would fail.
var zigExp = buildZigExp()

func buildZigExp() (t [256]struct {
	k uint32
	w float32
}) {
	const (
		m  = 1 << 32
		ve = 3.949659822581572e-3 // each layer's area
	)
	de := 7.69711747013104972 // the rightmost layer's edge
	q := ve / math.Exp(-de)
	t[0].k = uint32(de / q * m)
	t[0].w = float32(q / m)
	t[255].w = float32(de / m)
	for i, prev := 254, de; i >= 1; i-- {
		de = -math.Log(ve/de + math.Exp(-de))
		t[i+1].k = uint32(de / prev * m)
		t[i].w = float32(de / m)
		prev = de
	}
	return t
}
