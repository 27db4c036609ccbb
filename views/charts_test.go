package views

import (
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func TestChartComponentsRender(t *testing.T) {
	chart := Chart{ID: "c", Title: "Requests", Desc: "Per hour.", Series: []string{"2xx", "5xx"},
		Bars: []ChartBar{{Label: "09:00", Values: []int64{3, 1}}, {Label: "10:00", Values: []int64{0, 0}}}}
	tests := map[string]templ.Component{
		"BarChart zero":          BarChart(Chart{}),
		"BarChart data":          BarChart(chart),
		"MonitoringPage zero":    MonitoringPage(MonitoringView{}),
		"MonitoringPage full":    MonitoringPage(MonitoringView{Charts: []Chart{chart}, TopKeys: []TopKeyRow{{Name: "ci", ID: "key_1", Org: "Acme", Requests: "4"}}}),
		"APIKeyDetailPage zero":  APIKeyDetailPage(APIKeyDetail{}),
		"PortalProductsView use": PortalProductsView(PortalProductsPage{OrgName: "Acme", Usage: []ProductUsage{{Name: "A", Charts: []Chart{chart}}}}),
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			checkDocument(t, render(t, c))
		})
	}
	// The tallest bar fills the plot; a zero value draws nothing.
	rects := chartRects(chart)
	if len(rects) != 2 || rects[0].H != "144.0" || rects[1].Y != "8.0" {
		t.Errorf("rects = %+v", rects)
	}
	if got := strings.Join(chartTicks(Chart{Bars: make([]ChartBar, 24)}), ","); strings.Count(got, ",") != 23 {
		t.Errorf("ticks = %q", got)
	}
}
