package ui

import "strings"

// The presentation layout's numbers are drawn in large glyphs from one
// small font: each glyph is 3×5 pixels (a 1-wide dot). Drawn at scale 1,
// two pixel rows share a text row through the half blocks ▀ ▄ █, so a
// glyph is 3 cells wide and 3 rows high; at scale 2 a pixel is two full
// blocks side by side, so a glyph is 6 cells wide and 5 rows high. A
// cell is about twice as high as it is wide, so both keep the pixels
// square. Without colour the glyphs read the same.

// glyphRows is the height of the font in pixels.
const glyphRows = 5

// font maps a character to its pixel rows ('#' lit). Characters outside
// it are drawn as a space.
var font = map[rune][glyphRows]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", ".##", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'.': {".", ".", ".", ".", "#"},
	',': {".", ".", ".", "#", "#"},
	'%': {"#.#", "..#", ".#.", "#..", "#.#"},
	'k': {"#..", "#.#", "##.", "#.#", "#.#"},
	'M': {"#.#", "###", "###", "#.#", "#.#"},
	'<': {"..#", ".#.", "#..", ".#.", "..#"},
	'>': {"#..", ".#.", "..#", ".#.", "#.."},
	'-': {"...", "...", "###", "...", "..."},
	' ': {"..", "..", "..", "..", ".."},
}

// bigHeight is how many text rows big(s, scale) takes.
func bigHeight(scale int) int {
	if scale >= 2 {
		return glyphRows
	}
	return (glyphRows + 1) / 2
}

// bigWidth is how many cells big(s, scale) takes: the glyphs and a
// blank column between them.
func bigWidth(s string, scale int) int {
	w := 0
	n := 0
	for _, r := range s {
		g, ok := font[r]
		if !ok {
			g = font[' ']
		}
		w += len(g[0]) * max(scale, 1)
		n++
	}
	if n > 1 {
		w += n - 1
	}
	return w
}

// big draws s in the large font at scale 1 or 2: bigHeight(scale) lines,
// each bigWidth(s, scale) cells wide.
func big(s string, scale int) []string {
	scale = max(1, min(scale, 2))
	out := make([]strings.Builder, bigHeight(scale))
	first := true
	for _, r := range s {
		g, ok := font[r]
		if !ok {
			g = font[' ']
		}
		for y := range out {
			if !first {
				out[y].WriteByte(' ')
			}
			if scale == 2 {
				for _, p := range g[y] {
					if p == '#' {
						out[y].WriteString("██")
					} else {
						out[y].WriteString("  ")
					}
				}
				continue
			}
			top, bot := g[2*y], ""
			if 2*y+1 < glyphRows {
				bot = g[2*y+1]
			}
			for i := range len(top) {
				switch t, d := top[i] == '#', bot != "" && bot[i] == '#'; {
				case t && d:
					out[y].WriteString("█")
				case t:
					out[y].WriteString("▀")
				case d:
					out[y].WriteString("▄")
				default:
					out[y].WriteString(" ")
				}
			}
		}
		first = false
	}
	lines := make([]string, len(out))
	for y := range out {
		lines[y] = out[y].String()
	}
	return lines
}
