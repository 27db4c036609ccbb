package middleware

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseProxies reads trusted proxy ranges: CIDRs ("10.0.0.0/8") or single
// addresses ("127.0.0.1"). Empty entries are skipped.
func ParseProxies(values []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if p, err := netip.ParsePrefix(s); err == nil {
				out = append(out, p.Masked())
				continue
			}
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: give a CIDR such as 10.0.0.0/8 or an address", s)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out, nil
}

// TrustProxies makes ClientIP the client's address as a trusted reverse
// proxy reports it. Only when the peer is in a trusted range are
// Forwarded (RFC 7239) or, without it, X-Forwarded-For read; the client is
// the right-most address that is not itself a trusted proxy, so a client
// cannot pick its own address by sending the header. With no ranges the
// headers are ignored and the peer is the client.
func TrustProxies(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, ok := forwardedClient(r, trusted); ok {
			r2 := *r
			r2.RemoteAddr = net.JoinHostPort(ip.String(), "0")
			r = &r2
		}
		next.ServeHTTP(w, r)
	})
}

func forwardedClient(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	peer, err := netip.ParseAddr(ClientIP(r))
	if err != nil || !inRanges(peer.Unmap(), trusted) {
		return netip.Addr{}, false
	}
	chain, ok := forwardedChain(r)
	if !ok || len(chain) == 0 {
		return netip.Addr{}, false
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if !inRanges(chain[i], trusted) {
			return chain[i], true
		}
	}
	return chain[0], true
}

// forwardedChain lists the addresses a proxy chain reported, left (client)
// to right (nearest proxy). A malformed entry makes the whole header
// untrustworthy.
func forwardedChain(r *http.Request) ([]netip.Addr, bool) {
	var out []netip.Addr
	if vals := r.Header.Values("Forwarded"); len(vals) > 0 {
		for _, elem := range strings.Split(strings.Join(vals, ","), ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, v, found := strings.Cut(strings.TrimSpace(pair), "=")
				if !found || !strings.EqualFold(k, "for") {
					continue
				}
				a, ok := parseNode(strings.Trim(v, `"`))
				if !ok {
					return nil, false
				}
				out = append(out, a)
			}
		}
		return out, true
	}
	for _, s := range strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		a, ok := parseNode(s)
		if !ok {
			return nil, false
		}
		out = append(out, a)
	}
	return out, true
}

// parseNode reads "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:4711" or
// "2001:db8::1".
func parseNode(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func inRanges(a netip.Addr, ranges []netip.Prefix) bool {
	for _, p := range ranges {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
