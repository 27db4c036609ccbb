package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"optare/app/apptest"
	"optare/app/cli"
)

// runningServer is `optare serve` in a goroutine, with the addresses its
// log announced.
type runningServer struct {
	base, metrics string
	stop          func()
}

var listenLine = regexp.MustCompile(`msg="?(metrics listening|listening)"? addr=(\S+)`)

func startServe(t *testing.T, ownMetrics bool, args ...string) runningServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, append([]string{"optare", "serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errOut)
	}()
	var rs runningServer
	for i := 0; i < 500; i++ {
		for _, m := range listenLine.FindAllStringSubmatch(errOut.String(), -1) {
			if m[1] == "listening" {
				rs.base = "http://" + m[2]
			} else {
				rs.metrics = "http://" + m[2]
			}
		}
		if rs.base != "" && (rs.metrics != "" || !ownMetrics) {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, errOut.String())
		default:
		}
		sleep()
	}
	stopped := false
	rs.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != cli.ExitOK {
			t.Errorf("serve exit %d: %s", code, errOut.String())
		}
	}
	t.Cleanup(rs.stop)
	return rs
}

func scrape(t *testing.T, url, token string) (map[string]*dto.MetricFamily, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %d %s", res.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse exposition: %v", err)
	}
	return fams, body
}

// value is the sample of family name whose labels include want (counter
// value, or histogram sample count).
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
	total := 0.0
next:
	for _, m := range f.Metric {
		for k, v := range want {
			found := false
			for _, l := range m.Label {
				if l.GetName() == k && l.GetValue() == v {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		}
	}
	return total
}

// TestMetricsMoveWithRequests scrapes a real `optare serve` on its own
// metrics listener: a failing token request and API calls move the
// counters and the histogram, and the exposition is lint clean.
func TestMetricsMoveWithRequests(t *testing.T) {
	env := apptest.New(t)
	env.Operator(t)
	db := "--db=" + env.Path
	mustRun(t, db, "org", "create", "--name", "Acme")
	k := decode(t, mustRun(t, db, "--json", "apikey", "create", "--org", "acme", "--name", "ci"))
	env.DB.Close()
	srv := startServe(t, true, db, "--metrics-addr=127.0.0.2:0")
	if srv.metrics == "" || srv.metrics == srv.base {
		t.Fatalf("metrics listener %q beside %q", srv.metrics, srv.base)
	}
	if res, err := http.Get(srv.base + "/metrics"); err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Fatal("/metrics answered on the public port without being asked")
		}
	}
	before, _ := scrape(t, srv.metrics, "")
	failures := map[string]string{"endpoint": "token", "error": "invalid_client"}
	if v := value(before, "optare_oauth_failures_total", failures); v != 0 {
		t.Fatalf("failures before = %v", v)
	}
	res, err := http.PostForm(srv.base+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, srv.base+"/api/v1/products", nil)
		req.Header.Set("Authorization", "Bearer "+k["key"].(string))
		req.Header.Set("X-API-Secret", k["secret"].(string))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	after, body := scrape(t, srv.metrics, "")
	if v := value(after, "optare_oauth_failures_total", failures); v != 1 {
		t.Errorf("optare_oauth_failures_total{endpoint=token,error=invalid_client} = %v, want 1", v)
	}
	api := map[string]string{"door": "api", "route": "GET /products", "code": "2xx"}
	if v := value(after, "optare_http_requests_total", api); v != 3 {
		t.Errorf("api requests = %v, want 3", v)
	}
	if v := value(after, "optare_http_request_duration_seconds", map[string]string{"door": "api", "route": "GET /products"}); v != 3 {
		t.Errorf("histogram count = %v, want 3", v)
	}
	if v := value(after, "optare_http_requests_total", map[string]string{"door": "oauth", "route": "POST /oauth/token", "code": "4xx"}); v != 1 {
		t.Errorf("token 4xx = %v, want 1", v)
	}
	for _, name := range []string{"optare_db_connections_open", "go_goroutines", "process_cpu_seconds_total"} {
		if after[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	problems, err := promlint.New(bytes.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	for _, secret := range []string{k["key"].(string), k["id"].(string)} {
		if strings.Contains(string(body), secret) {
			t.Errorf("metrics expose %q", secret)
		}
	}

	// The key sees its own organization's usage, not the instance's.
	if got := apiStatus(t, srv.base+"/api/v1/usage?metric=requests", k); got != http.StatusForbidden {
		t.Errorf("org key reading instance requests: %d", got)
	}
	if got := apiStatus(t, srv.base+"/api/v1/usage?metric=key_requests&period=7d", k); got != http.StatusOK {
		t.Errorf("org key reading its usage: %d", got)
	}
	// Stopping flushes what was counted in memory: the counts survive the
	// restart, exactly (3 products calls + 2 usage calls by the key).
	srv.stop()
	u := decode(t, mustRun(t, db, "--json", "usage", "--metric", "key_requests", "--key", k["id"].(string)))
	if u["total"] != 5.0 {
		t.Errorf("key_requests after restart = %v, want 5", u["total"])
	}
	u = decode(t, mustRun(t, db, "--json", "usage", "--metric", "oauth_failures", "--period", "7d"))
	if tot := u["totals"].(map[string]any); tot["invalid_client"] != 1.0 || u["interval"] != "day" {
		t.Errorf("oauth_failures after restart = %v", u)
	}
	if out := mustRun(t, db, "usage"); !strings.Contains(out, "2xx") || !strings.Contains(out, "4xx") {
		t.Errorf("usage table:\n%s", out)
	}
}

func apiStatus(t *testing.T, url string, k map[string]any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+k["key"].(string))
	req.Header.Set("X-API-Secret", k["secret"].(string))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestMetricsOnPublicPortNeedToken: the public address serves /metrics only
// with --metrics-token, and only to its bearer.
func TestMetricsOnPublicPortNeedToken(t *testing.T) {
	env := apptest.New(t)
	env.DB.Close()
	db := "--db=" + env.Path
	code, _, errOut := run(t, "", db, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	if code != cli.ExitUsage || !strings.Contains(errOut, "--metrics-token") {
		t.Fatalf("public metrics without token: %d %s", code, errOut)
	}
	srv := startServe(t, false, db, "--metrics-addr=127.0.0.1:0", "--metrics-token=s3cret-token")
	for _, tok := range []string{"", "wrong"} {
		req, _ := http.NewRequest(http.MethodGet, srv.base+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q: %d", tok, res.StatusCode)
		}
	}
	if fams, _ := scrape(t, srv.base, "s3cret-token"); fams["optare_http_requests_total"] == nil && fams["go_goroutines"] == nil {
		t.Error("no metrics with the token")
	}
}
