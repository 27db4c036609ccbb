package metrics

import (
	"database/sql"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one server's set of measurements. The zero value is not
// usable; build it with New. A nil *Metrics records nothing, so code paths
// that run without a server (CLI commands) need no checks.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	tokens        *prometheus.CounterVec
	oauthFailures *prometheus.CounterVec
	signIns       *prometheus.CounterVec
	licenseChecks *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	webhooks      *prometheus.CounterVec
}

// New builds the measurements on a fresh registry, with the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = counter("optare_http_requests_total",
		"HTTP requests answered, by door (portal, admin, api, oauth, static, ops), route template and status class.", "door", "route", "code")
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "optare_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by door and route template.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"door", "route"})
	m.tokens = counter("optare_oauth_tokens_issued_total",
		"Access tokens issued at /oauth/token, by grant type and signing algorithm.", "grant", "alg")
	m.oauthFailures = counter("optare_oauth_failures_total",
		"Failed OAuth and OpenID Connect requests, by endpoint and RFC error code.", "endpoint", "error")
	m.signIns = counter("optare_sign_ins_total",
		"Portal sign-in attempts, by method and result (success, failure, throttled).", "method", "result")
	m.licenseChecks = counter("optare_license_checks_total",
		"Licence checks answered, by code (VALID, NO_SEAT, EXPIRED, ...).", "code")
	m.rateLimited = counter("optare_rate_limited_total",
		"Requests refused by a rate limit, by scope (key, organization, address).", "scope")
	m.webhooks = counter("optare_webhook_deliveries_total",
		"Webhook delivery attempts, by result (success, http_error, network_error, blocked, endpoint_disabled).", "result")
	m.reg.MustRegister(m.requests, m.duration, m.tokens, m.oauthFailures, m.signIns, m.licenseChecks, m.rateLimited, m.webhooks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// counter is a counter vector with its name, help and labels.
func counter(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the underlying registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Pools reports the database's connection pools by name ("writer",
// "reader"); the writer's waits are the write queue.
func (m *Metrics) Pools(stats func() map[string]sql.DBStats) {
	if m == nil {
		return
	}
	m.reg.MustRegister(&poolCollector{stats: stats})
}

// Request records one answered HTTP request.
func (m *Metrics) Request(door, route string, status int, seconds float64) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(door, route, StatusClass(status)).Inc()
	m.duration.WithLabelValues(door, route).Observe(seconds)
}

// TokenIssued records an access token minted for grant, signed with alg.
func (m *Metrics) TokenIssued(grant, alg string) {
	if m != nil {
		m.tokens.WithLabelValues(grant, alg).Inc()
	}
}

// OAuthFailure records a refused OAuth request.
func (m *Metrics) OAuthFailure(endpoint, code string) {
	if m != nil {
		m.oauthFailures.WithLabelValues(endpoint, code).Inc()
	}
}

// SignIn records a sign-in attempt.
func (m *Metrics) SignIn(method, result string) {
	if m != nil {
		m.signIns.WithLabelValues(method, result).Inc()
	}
}

// LicenseCheck records a licence check's answer.
func (m *Metrics) LicenseCheck(code string) {
	if m != nil {
		m.licenseChecks.WithLabelValues(code).Inc()
	}
}

// RateLimited records a request refused by the limit of scope.
func (m *Metrics) RateLimited(scope string) {
	if m != nil {
		m.rateLimited.WithLabelValues(scope).Inc()
	}
}

// WebhookDelivery records one webhook delivery attempt's result.
func (m *Metrics) WebhookDelivery(result string) {
	if m != nil {
		m.webhooks.WithLabelValues(result).Inc()
	}
}

// StatusClass is "2xx", "4xx", ... for an HTTP status.
func StatusClass(status int) string {
	switch {
	case status >= 100 && status < 600:
		return classes[status/100]
	}
	return strconv.Itoa(status)
}

var classes = [...]string{"", "1xx", "2xx", "3xx", "4xx", "5xx"}
