package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Palette is the fixed, colour-blind-safe palette (Okabe & Ito 2008): the
// standard variants keep their colour, and a dash pattern of their own so
// the charts read in grey print too.
var Palette = []color.Color{
	color.RGBA{0x00, 0x00, 0x00, 0xff}, // black: baseline
	color.RGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.RGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.RGBA{0x99, 0x99, 0x99, 0xff}, // grey
}

var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(2)}, {vg.Points(2), vg.Points(2)}, {vg.Points(6), vg.Points(2), vg.Points(2), vg.Points(2)},
	{vg.Points(10), vg.Points(3)}, {vg.Points(1), vg.Points(3)}, {vg.Points(4), vg.Points(4)}, {vg.Points(8), vg.Points(2), vg.Points(1), vg.Points(2)}}

// StandardVariants fixes the style index of the standard variants; other
// names follow in the order first seen.
var StandardVariants = []string{"baseline", "wijktafels", "social-reflection", "clear-end-goal", "intermediaries", "all-three", "push-only", "clear-roles"}

// Style returns the colour and dashes of a named series: a standard variant
// keeps its own, others take the next free style by their index among names.
func Style(name string, names []string) (color.Color, []vg.Length) {
	i := indexOf(StandardVariants, name)
	if i < 0 {
		k := 0
		for _, n := range names {
			if indexOf(StandardVariants, n) < 0 {
				if n == name {
					break
				}
				k++
			}
		}
		i = len(StandardVariants) + k
	}
	return Palette[i%len(Palette)], dashes[i%len(dashes)]
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// num writes an axis number: a real minus sign, and a decimal comma when
// the size asks for one.
func (s Size) num(x string) string {
	x = strings.ReplaceAll(x, "-", "−")
	if s.DecimalComma {
		x = strings.ReplaceAll(x, ".", ",")
	}
	return x
}

// labelsFor is how many tick labels fit along an axis of length w: about
// one per 42 points (a label such as −0.35 is some 25 points wide at the
// default size), at least 2 and at most 7.
func labelsFor(w vg.Length) int { return max(2, min(7, int(w/vg.Points(42)))) }

// labelsForHeight is how many tick labels fit up an axis of length h: one
// per 24 points (a line of 8-point text and room between), 2 to 6.
func labelsForHeight(h vg.Length) int { return max(2, min(6, int(h/vg.Points(24)))) }

// wrap breaks a title or axis label into lines of at most about n
// characters (at spaces), so that it is not clipped on a small panel and a
// y label never grows longer than its axis (gonum would then shrink the
// plot to make room for it).
func wrap(s string, n int) string {
	if len([]rune(s)) <= n || strings.Contains(s, "\n") {
		return s
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= n:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func textStyle(size vg.Length, c color.Color) text.Style {
	fnt := plot.DefaultFont
	fnt.Size = size
	return text.Style{Color: c, Font: font.From(fnt, size), Handler: plot.DefaultTextHandler}
}

// charsFor is about how many characters of a font of size fs fit in
// length w (half the font size per character, a little room kept).
func charsFor(w, fs vg.Length) int { return max(12, int((w-vg.Points(8))/(fs*0.52))) }

// niceTicks labels an axis at the smallest round step (1, 2 or 5 × 10^k)
// that gives at most labels labels (7 if 0), written with as many decimals
// as the step needs, with minor ticks between; gonum's default could label
// only 0 and 250.00 on an axis up to 265, or −0.6 and −0.9 on another.
// whole keeps the step at 1 or more (counts).
type niceTicks struct {
	whole  bool
	labels int
	size   Size // for the decimal mark
}

func (n niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: n.size.num(strconv.FormatFloat(lo, 'g', 4, 64))}}
	}
	e := math.Floor(math.Log10(hi-lo)) - 2
	if n.whole {
		e = max(e, 0)
	}
	most := float64(n.labels)
	if most == 0 {
		most = 7
	}
	step := 0.0
	for ; step == 0; e++ {
		for _, m := range []float64{1, 2, 5} {
			if st := m * math.Pow(10, e); math.Floor(hi/st)-math.Ceil(lo/st)+1 <= most {
				step = st
				break
			}
		}
	}
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	minor := 5
	if math.Round(step/math.Pow(10, math.Floor(math.Log10(step)+1e-9))) == 2 {
		minor = 4
	}
	var ts []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // not −0
		}
		ts = append(ts, plot.Tick{Value: v, Label: n.size.num(strconv.FormatFloat(v, 'f', decimals, 64))})
	}
	for k := first - 1; k*step <= hi; k++ {
		for j := 1; j < minor; j++ {
			if w := (k + float64(j)/float64(minor)) * step; w >= lo && w <= hi {
				ts = append(ts, plot.Tick{Value: w})
			}
		}
	}
	return ts
}

// valueTicks marks the values of a grid axis; with many values, only
// about eight of them are labelled.
func valueTicks(vs []float64, size Size) plot.ConstantTicks {
	every := max(1, (len(vs)+7)/8)
	ts := make(plot.ConstantTicks, len(vs))
	for i, v := range vs {
		ts[i] = plot.Tick{Value: v}
		if i%every == 0 {
			ts[i].Label = size.num(strconv.FormatFloat(v, 'g', 4, 64))
		}
	}
	return ts
}
