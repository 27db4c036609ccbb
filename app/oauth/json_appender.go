package oauth

import (
	"net/http"

	"optare/app/middleware"
)

// writeNoStoreAppended is writeNoStore for an answer with a hand-written
// encoder (app.Introspection, app.UserInfo).
func writeNoStoreAppended(w http.ResponseWriter, v middleware.JSONAppender) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	return middleware.WriteAppended(w, http.StatusOK, v)
}
