package metrics_test

import (
	"database/sql"
	"os"
	"regexp"
	"strings"
	"testing"

	"optare/app/metrics"
)

// TestDocsNameEveryMetric: docs/monitoring.md describes every optare_
// metric, and the Grafana dashboard and alert rules use only metrics that
// exist.
func TestDocsNameEveryMetric(t *testing.T) {
	m := metrics.New()
	m.Pools(func() map[string]sql.DBStats { return map[string]sql.DBStats{"writer": {}} })
	// Vectors appear once they have a child.
	m.Request("api", "GET /x", 200, 0.001)
	m.TokenIssued("client_credentials", "RS256")
	m.OAuthFailure("token", "invalid_client")
	m.SignIn("password", "success")
	m.LicenseCheck("VALID")
	m.RateLimited("key")
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/monitoring.md")
	if err != nil {
		t.Fatal(err)
	}
	dash, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, f := range fams {
		name := f.GetName()
		if !strings.HasPrefix(name, "optare_") {
			continue
		}
		known[name] = true
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/monitoring.md does not describe %s", name)
		}
	}
	if len(known) < 11 {
		t.Fatalf("only %d optare_ metrics gathered", len(known))
	}
	used := regexp.MustCompile(`optare_[a-z_]+`)
	for _, src := range []string{string(dash), string(doc)} {
		for _, n := range used.FindAllString(src, -1) {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
			if !known[base] && n != "optare_" {
				t.Errorf("%s is used in the docs or dashboard but not exported", n)
			}
		}
	}
}

func TestStatusClass(t *testing.T) {
	for status, want := range map[int]string{200: "2xx", 204: "2xx", 303: "3xx", 404: "4xx", 499: "4xx", 503: "5xx", 99: "99", 600: "600"} {
		if got := metrics.StatusClass(status); got != want {
			t.Errorf("StatusClass(%d) = %q, want %q", status, got, want)
		}
	}
}
