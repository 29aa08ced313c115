// Package numfmt writes numbers for people, the same way wherever
// scalesim shows them: the headless report and the dashboard both count
// requests, units and caps with thousands separators. It is a package of
// its own because neither of those should depend on the other.
package numfmt

import "strconv"

// Thousands writes n with thousands separators: 500,000.
func Thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
