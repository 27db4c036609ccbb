package oidc

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// maxURILength bounds registered redirect URIs and origins.
const maxURILength = 2000

// ValidRedirectURI reports whether raw may be registered as a redirect URI:
// an absolute URI without fragment or userinfo, whose scheme is https, http
// with a loopback host (localhost, 127.0.0.1 or [::1]), or a private-use
// scheme containing a dot, such as com.example.app:/callback, for native
// apps (RFC 8252 §7.1). Only printable ASCII without spaces is accepted.
func ValidRedirectURI(raw string) error {
	if err := printableURI(raw); err != nil {
		return err
	}
	if strings.Contains(raw, "#") {
		return errors.New("redirect URI must not contain a fragment")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("redirect URI: %w", err)
	}
	if u.Scheme == "" {
		return errors.New("redirect URI must be absolute")
	}
	if u.User != nil {
		return errors.New("redirect URI must not contain user information")
	}
	switch u.Scheme {
	case "https":
		if u.Opaque != "" || u.Hostname() == "" {
			return errors.New("redirect URI must have a host")
		}
	case "http":
		if u.Opaque != "" || !loopbackHost(u.Hostname()) {
			return errors.New("http redirect URIs are allowed only for localhost, 127.0.0.1 and [::1]; use https")
		}
	default:
		if u.Opaque == "" && u.Host == "" && u.Path == "" {
			return errors.New("redirect URI has nothing after the scheme")
		}
		if !strings.Contains(u.Scheme, ".") {
			return fmt.Errorf("redirect URI scheme %q is not allowed: use https, or a reverse domain name scheme such as com.example.app for native apps", u.Scheme)
		}
	}
	return nil
}

// ValidInitiateLoginURI reports whether raw may be registered as a client's
// initiate_login_uri (OpenID Connect Core §4): an absolute https URI, or
// http on a loopback host for development, without fragment or userinfo.
func ValidInitiateLoginURI(raw string) error {
	if err := ValidRedirectURI(raw); err != nil {
		return err
	}
	if u, _ := url.Parse(raw); u.Scheme != "https" && u.Scheme != "http" {
		return errors.New("use an https URI")
	}
	return nil
}

// ValidJWKSURI reports whether raw may be registered as a client's
// jwks_uri: https, or http on a loopback host (for development), without
// fragment or userinfo.
func ValidJWKSURI(raw string) error {
	if err := printableURI(raw); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("jwks_uri: %w", err)
	case u.User != nil || u.Fragment != "" || u.Opaque != "" || u.Hostname() == "":
		return errors.New("jwks_uri must be an absolute URL with a host, without userinfo or fragment")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && loopbackHost(u.Hostname()):
		return nil
	}
	return errors.New("jwks_uri must use https (http only on a loopback host)")
}

// loopbackHost reports whether host names the local machine.
func loopbackHost(host string) bool {
	return strings.EqualFold(host, "localhost") || host == "127.0.0.1" || host == "::1"
}

// printableURI checks the length and characters shared by redirect URIs
// and origins.
func printableURI(raw string) error {
	if raw == "" {
		return errors.New("URI is empty")
	}
	if len(raw) > maxURILength {
		return fmt.Errorf("URI longer than %d characters", maxURILength)
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("URI contains invalid character %q at position %d", c, i)
		}
	}
	return nil
}

// MatchRedirectURI reports whether got equals one of the registered redirect
// URIs exactly: no normalisation, no prefix match, no port wildcard.
func MatchRedirectURI(registered []string, got string) bool {
	if got == "" {
		return false
	}
	for _, r := range registered {
		if r == got {
			return true
		}
	}
	return false
}

// ValidOrigin reports whether raw may be registered as a CORS origin: the
// serialized form a browser sends in the Origin header, scheme://host[:port]
// in lowercase, without path, query, fragment, userinfo or default port.
// The scheme is https, or http for a loopback host.
func ValidOrigin(raw string) error {
	if err := printableURI(raw); err != nil {
		return err
	}
	if raw != strings.ToLower(raw) {
		return errors.New("origin must be lowercase")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("origin: %w", err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("origin scheme must be https (or http for localhost)")
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return errors.New("origin must have a host")
	case u.User != nil:
		return errors.New("origin must not contain user information")
	case u.Path != "" || u.RawQuery != "" || u.ForceQuery || strings.Contains(raw, "#"):
		return errors.New("origin must be scheme://host[:port], without path, query or fragment")
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		return errors.New("http origins are allowed only for localhost, 127.0.0.1 and [::1]; use https")
	}
	port := u.Port()
	if strings.HasSuffix(u.Host, ":") {
		return errors.New("origin port is empty")
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return fmt.Errorf("origin port %q is not a port number", port)
		}
	}
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		return errors.New("origin must omit the default port")
	}
	return nil
}

// MatchNativeRedirectURI is MatchRedirectURI for public (native) clients,
// with the loopback rule of RFC 8252 §7.3: a registered redirect URI on
// http://127.0.0.1 or http://[::1] matches the same URI with any port,
// because a native app listens on whatever port the system gives it.
// Scheme, host, path and query still match exactly; "localhost" is not a
// loopback literal and gets no such latitude (RFC 8252 §8.3).
func MatchNativeRedirectURI(registered []string, got string) bool {
	if MatchRedirectURI(registered, got) {
		return true
	}
	g, ok := loopbackWithoutPort(got)
	if !ok {
		return false
	}
	for _, r := range registered {
		if rr, ok := loopbackWithoutPort(r); ok && rr == g {
			return true
		}
	}
	return false
}

// loopbackWithoutPort returns raw without its port when it is an http URI
// on a loopback IP literal with a valid port or none.
func loopbackWithoutPort(raw string) (string, bool) {
	if !strings.HasPrefix(raw, "http://") || strings.Contains(raw, "#") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return "", false
	}
	host := u.Hostname()
	if host != "127.0.0.1" && host != "::1" {
		return "", false
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", false
		} else if strings.HasSuffix(u.Host, ":") {
			return "", false
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", false
	}
	u.Host = host
	if host == "::1" {
		u.Host = "[::1]"
	}
	return u.String(), true
}
