package api

// RegisteredRoutes lists "METHOD /pattern" of every route the router
// registers, for the OpenAPI test.
func (h *Handler) RegisteredRoutes() []string {
	var out []string
	for _, rt := range h.routes() {
		out = append(out, rt.Method+" "+rt.Pattern)
	}
	return out
}
