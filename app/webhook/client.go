package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

// Timeout bounds one delivery attempt, connection to last byte.
const Timeout = 10 * time.Second

// maxBody is how much of a response the delivery log keeps.
const maxBody = 1 << 10

// ErrPrivateTarget refuses a target that resolves to a private address.
var ErrPrivateTarget = errors.New("the webhook URL resolves to a private, loopback or link-local address")

// Sender posts signed webhook messages.
type Sender struct {
	client       *http.Client
	allowPrivate bool
}

// NewSender returns a sender; allowPrivate lets it reach private, loopback
// and link-local addresses (serve --webhooks-allow-private; tests).
func NewSender(allowPrivate bool) *Sender {
	d := &net.Dialer{Timeout: Timeout}
	if !allowPrivate {
		// Checked on the address actually dialled, after DNS: a name that
		// resolves (or re-resolves) to an internal address is refused too.
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !Public(ap.Addr()) {
				return ErrPrivateTarget
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: Timeout, ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute, Proxy: nil}
	return &Sender{allowPrivate: allowPrivate, client: &http.Client{Transport: tr, Timeout: Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// AllowsPrivate reports whether the sender reaches private addresses.
func (s *Sender) AllowsPrivate() bool { return s.allowPrivate }

// Public reports whether addr is a public unicast address.
func Public(addr netip.Addr) bool {
	addr = addr.Unmap()
	return addr.IsValid() && addr.IsGlobalUnicast() && !addr.IsPrivate() && !addr.IsLoopback() && !addr.IsLinkLocalUnicast() &&
		!addr.IsUnspecified() && !netip.MustParsePrefix("100.64.0.0/10").Contains(addr) && !netip.MustParsePrefix("fc00::/7").Contains(addr)
}

// CheckURL refuses URLs that are not absolute http(s) or whose host is a
// literal private address (names are checked again when dialled).
func (s *Sender) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return errors.New("enter an absolute http(s) URL without credentials")
	}
	if a, err := netip.ParseAddr(u.Hostname()); err == nil && !s.allowPrivate && !Public(a) {
		return ErrPrivateTarget
	}
	if u.Hostname() == "localhost" && !s.allowPrivate {
		return ErrPrivateTarget
	}
	return nil
}

// Result is the outcome of one attempt, as the delivery log keeps it.
type Result struct {
	Status  int           // 0 when no answer came
	Body    string        // the first 1 KiB of the answer
	Latency time.Duration // request to answer
	Err     error         // transport failure
}

// OK reports a 2xx answer.
func (r Result) OK() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }

// Send posts body to target with the Standard Webhooks headers.
func (s *Sender) Send(ctx context.Context, target, id string, ts time.Time, body []byte, secrets ...string) Result {
	sig, err := Signature(id, ts, body, secrets...)
	if err != nil {
		return Result{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return Result{Err: fmt.Errorf("webhook request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Optare-Webhooks/1")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return Result{Latency: time.Since(start), Err: err}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, maxBody))
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	return Result{Status: res.StatusCode, Body: string(b), Latency: time.Since(start)}
}
