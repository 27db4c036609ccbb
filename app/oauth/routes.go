package oauth

import (
	"net/http"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
)

// Mount registers every OAuth and OpenID Connect route on mux:
//
//   - discovery (both well-known paths) and JWKS: public, cacheable,
//     readable from any origin;
//   - token, userinfo and revocation: bearer tokens or client
//     credentials, no cookie session and no CSRF check, CORS for the
//     origins clients list; introspection likewise, without CORS, since
//     it is for servers;
//   - authorize and logout: inside the shared browser session and
//     cross-origin protection, so the consent and logout forms cannot be
//     posted from another site.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET "+oidc.PathDiscovery, h.public(http.HandlerFunc(h.discovery)))
	mux.Handle("GET "+oidc.PathOAuthMetadata, h.public(http.HandlerFunc(h.discovery)))
	mux.Handle("GET "+oidc.PathJWKS, h.public(http.HandlerFunc(h.jwks)))
	mux.Handle("OPTIONS "+oidc.PathJWKS, h.public(nil))

	mux.Handle("POST "+oidc.PathToken, h.cors(h.jsonEndpoint(h.token)))
	mux.Handle("OPTIONS "+oidc.PathToken, h.cors(nil))
	mux.Handle("GET "+oidc.PathUserinfo, h.cors(h.bearerEndpoint(h.userinfo)))
	mux.Handle("POST "+oidc.PathUserinfo, h.cors(h.bearerEndpoint(h.userinfo)))
	mux.Handle("OPTIONS "+oidc.PathUserinfo, h.cors(nil))
	mux.Handle("POST "+oidc.PathRevoke, h.cors(h.jsonEndpoint(h.revoke)))
	mux.Handle("OPTIONS "+oidc.PathRevoke, h.cors(nil))
	mux.Handle("POST "+oidc.PathIntrospect, h.jsonEndpoint(h.introspect))
	mux.Handle("POST "+oidc.PathPAR, h.cors(h.jsonEndpoint(h.par)))
	mux.Handle("OPTIONS "+oidc.PathPAR, h.cors(nil))
	mux.Handle("POST "+oidc.PathDeviceAuthorization, h.cors(h.jsonEndpoint(h.deviceAuthorization)))
	mux.Handle("OPTIONS "+oidc.PathDeviceAuthorization, h.cors(nil))

	pages := http.NewServeMux()
	pages.Handle("GET "+oidc.PathAuthorize, h.pageEndpoint(h.authorize))
	pages.Handle("POST "+oidc.PathAuthorize, h.pageEndpoint(h.authorize))
	pages.Handle("GET "+oidc.PathLogout, h.pageEndpoint(h.logoutForm))
	pages.Handle("POST "+oidc.PathLogout, h.pageEndpoint(h.logoutSubmit))
	pages.Handle("GET "+oidc.PathDevice, h.pageEndpoint(h.deviceForm))
	pages.Handle("POST "+oidc.PathDevice, h.pageEndpoint(h.deviceSubmit))
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, &app.Error{Kind: app.KindForbidden,
			Message: "This request came from another site and was refused. Go back, reload the page and try again."})
	}))
	protected := h.sessions.LoadAndSave(csrf.Handler(middleware.Route(pages)))
	for _, p := range []string{oidc.PathAuthorize, oidc.PathLogout, oidc.PathDevice} {
		mux.Handle(p, protected)
	}
}
