package story

import "scalesim/sim"

func simOptions() sim.Options { return sim.Options{} }
