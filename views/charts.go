package views

import (
	"strconv"
)

// Chart is a stacked bar chart: one bar per interval, one stack segment per
// series. Charts are server-rendered SVG with a title and description for
// assistive technology and a table with the same numbers.
type Chart struct {
	ID, Title string
	// Desc summarises the chart in words (the SVG's desc).
	Desc   string
	Series []string
	Bars   []ChartBar
}

// ChartBar is one interval: its axis label and a value per series.
type ChartBar struct {
	Label  string
	Values []int64
}

// Chart geometry, in SVG user units (the SVG stretches to its container;
// labels are HTML around it).
const (
	chartW, chartH = 720, 200
	chartPad       = 8
)

// seriesColors are the stack colours, chosen for contrast on light and dark.
var seriesColors = []string{"#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6a1b9a", "#00838f", "#5d4037", "#546e7a"}

// SeriesColor is series i's fill.
func SeriesColor(i int) string { return seriesColors[i%len(seriesColors)] }

// chartRect is one segment to draw.
type chartRect struct {
	X, Y, W, H string
	Fill       string
	Title      string
}

// chartMax is the tallest bar's total (at least 1, so empty charts draw).
func chartMax(c Chart) int64 {
	var top int64 = 1
	for _, b := range c.Bars {
		var t int64
		for _, v := range b.Values {
			t += v
		}
		top = max(top, t)
	}
	return top
}

// chartRects lays out the stacked segments.
func chartRects(c Chart) []chartRect {
	if len(c.Bars) == 0 {
		return nil
	}
	top := float64(chartMax(c))
	slot := float64(chartW) / float64(len(c.Bars))
	w := slot * 0.8
	var out []chartRect
	for i, b := range c.Bars {
		y := float64(chartH)
		for s, v := range b.Values {
			if v <= 0 {
				continue
			}
			h := float64(v) / top * float64(chartH-chartPad)
			y -= h
			name := ""
			if s < len(c.Series) {
				name = c.Series[s]
			}
			out = append(out, chartRect{X: num(float64(i)*slot + (slot-w)/2), Y: num(y), W: num(w), H: num(h),
				Fill: SeriesColor(s), Title: b.Label + " " + name + ": " + strconv.FormatInt(v, 10)})
		}
	}
	return out
}

// chartTicks are the axis labels, one grid cell per bar under it: every
// fourth or so is shown ("" for the others) so that 24 hours or 30 days
// stay legible on a phone.
func chartTicks(c Chart) []string {
	n := len(c.Bars)
	every := max(1, (n+3)/4)
	out := make([]string, n)
	for i := 0; i < n; i += every {
		out[i] = c.Bars[i].Label
	}
	return out
}

// ChartTotal is the sum of a series over the bars.
func ChartTotal(c Chart, series int) int64 {
	var t int64
	for _, b := range c.Bars {
		if series < len(b.Values) {
			t += b.Values[series]
		}
	}
	return t
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func chartViewBox() string { return "0 0 " + strconv.Itoa(chartW) + " " + strconv.Itoa(chartH) }

func chartBase() string  { return strconv.Itoa(chartH) }
func chartWidth() string { return strconv.Itoa(chartW) }
