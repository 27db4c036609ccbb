package api

import (
	"net/http"

	"optare/app"
)

// RegisteredRoutes lists "METHOD /pattern" of every route the router
// registers, for the OpenAPI test.
func (h *Handler) RegisteredRoutes() []string {
	var out []string
	for _, rt := range h.routes() {
		out = append(out, rt.Method+" "+rt.Pattern)
	}
	return out
}

// ServeAs runs the handler of the route "METHOD /pattern" for an actor the
// test built, without authentication: how the license check's user-token
// path is benchmarked until access tokens are verified in this branch.
func (h *Handler) ServeAs(pattern string, a app.Actor) http.Handler {
	for _, rt := range h.routes() {
		if rt.Method+" "+rt.Pattern == pattern {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := rt.fn(w, r, a); err != nil {
					h.fail(w, r, err)
				}
			})
		}
	}
	return nil
}
