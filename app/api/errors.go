package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
)

// requestError is a request the API cannot read (malformed JSON, unknown
// field, wrong type, bad query parameter): 400 invalid_request, field named.
type requestError struct {
	field, msg string
}

func (e *requestError) Error() string { return e.field + ": " + e.msg }

// errorBody is the one error shape of the API (the OAuth one).
type errorBody struct {
	Error       string            `json:"error"`
	Description string            `json:"error_description"`
	Fields      map[string]string `json:"fields,omitempty"`
}

// statusOf maps a domain error kind to its HTTP status, once for the API.
func statusOf(k app.Kind) int {
	switch k {
	case app.KindInvalid:
		return http.StatusUnprocessableEntity
	case app.KindNotFound:
		return http.StatusNotFound
	case app.KindConflict:
		return http.StatusConflict
	case app.KindUnauthenticated:
		return http.StatusUnauthorized
	case app.KindForbidden:
		return http.StatusForbidden
	case app.KindRateLimited:
		return http.StatusTooManyRequests
	case app.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail writes err in the shared shape with its status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &re):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "invalid_request", Description: re.msg, Fields: map[string]string{re.field: re.msg}})
		return
	case errors.As(err, &mbe):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: "invalid_request",
			Description: fmt.Sprintf("The request body is larger than %d bytes.", mbe.Limit)})
		return
	}
	e := app.AsError(err)
	status := statusOf(e.Kind)
	body := errorBody{Error: e.ErrorCode(), Description: e.Message, Fields: e.Fields}
	switch status {
	case http.StatusInternalServerError:
		h.log.ErrorContext(r.Context(), "api error", "id", middleware.RequestID(r.Context()), "path", r.URL.Path, "err", err)
		body = errorBody{Error: "server_error", Description: "Something went wrong on our side. The request id is " + middleware.RequestID(r.Context()) + "."}
	case http.StatusUnauthorized:
		body.Error = "invalid_token"
		if e.Code == oidc.CodeInvalidDPoPProof {
			body.Error = e.Code
		}
		challenge := `Bearer error="` + body.Error + `", error_description="` + e.Message + `"`
		if scheme, _, _ := oidc.ParseAuthorization(r.Header.Get("Authorization")); scheme == oidc.SchemeDPoP || app.IsDPoPError(err) {
			challenge = oidc.DPoPChallenge(&oidc.Error{Code: body.Error, Description: e.Message})
		}
		w.Header().Set("WWW-Authenticate", challenge)
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter.Milliseconds()+999)/1000)))
	}
	writeJSON(w, status, body)
}
