package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"optare/app"
	"optare/app/middleware"
	"optare/app/oidc"
)

// Handler serves the REST API.
type Handler struct {
	svc *app.Service
	log *slog.Logger
}

// New builds the REST door on the service.
func New(svc *app.Service, log *slog.Logger) *Handler {
	return &Handler{svc: svc, log: log}
}

// handlerFunc is an API handler: it gets the authenticated actor and returns
// its failure instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request, a app.Actor) error

// wrap authenticates, rate limits, applies Idempotency-Key to POSTs, runs
// the handler and maps its error: the same for every route.
func (h *Handler) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		ip := middleware.ClientIP(r)
		var a app.Actor
		if rt.Public {
			st, err := h.svc.ThrottleAnonymous(ip)
			setRateHeaders(w, st)
			if err != nil {
				h.fail(w, r, err)
				return
			}
		} else {
			req, err := accessRequest(r)
			if rt.prefetch != nil {
				req.Prefetch = rt.prefetch(r)
			}
			if err == nil {
				a, err = h.svc.AuthenticateAPI(r.Context(), req, r.Header.Get("X-API-Secret"), ip)
			}
			if err != nil {
				setRateHeaders(w, h.svc.AuthFailureStatus(req.Token, ip))
				h.fail(w, r, err)
				return
			}
			st, err := h.svc.Throttle(a)
			setRateHeaders(w, st)
			if err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method == http.MethodPost && !rt.Public {
			h.idempotent(w, r, a, rt, key)
			return
		}
		if err := rt.fn(w, r, a); err != nil {
			h.fail(w, r, err)
		}
	})
}

// accessRequest reads the credential of "Authorization: Bearer …" or
// "Authorization: DPoP …" and the request's DPoP proof; a missing or
// other header leaves the token empty, which AuthenticateAPI refuses.
func accessRequest(r *http.Request) (app.AccessRequest, error) {
	req := app.AccessRequest{Method: r.Method, Path: oidc.RequestPath(r)}
	proof, e := oidc.DPoPProofHeader(r.Header)
	if e != nil {
		return req, &app.Error{Kind: app.KindUnauthenticated, Code: e.Code, Message: e.Description}
	}
	req.Proof = proof
	req.Scheme, req.Token, _ = oidc.ParseAuthorization(r.Header.Get("Authorization"))
	return req, nil
}

func setRateHeaders(w http.ResponseWriter, st app.RateStatus) {
	if st.Limit == 0 {
		return
	}
	// One array for the three values and the keys in canonical form: what
	// Header.Set writes, without its slice and key allocations per header.
	v := &[3]string{strconv.Itoa(st.Limit), strconv.Itoa(st.Remaining), strconv.Itoa(int((st.Reset.Milliseconds() + 999) / 1000))}
	h := w.Header()
	h["Ratelimit-Limit"] = v[0:1:1]
	h["Ratelimit-Remaining"] = v[1:2:2]
	h["Ratelimit-Reset"] = v[2:3:3]
}

// idempotent runs a POST once per Idempotency-Key: a retry with the same
// body gets the first answer again (Idempotent-Replayed: true).
func (h *Handler) idempotent(w http.ResponseWriter, r *http.Request, a app.Actor, rt route, key string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
	req := app.IdempotentRequest{Key: key, Route: r.Method + " " + r.URL.Path, Hash: hex.EncodeToString(sum[:])}
	stored, err := h.svc.BeginIdempotent(r.Context(), a, req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if stored != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(stored.Status)
		w.Write(stored.Body)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{header: http.Header{}}
	if err := rt.fn(rec, r, a); err != nil {
		h.fail(rec, r, err)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if err := h.svc.FinishIdempotent(r.Context(), a, key, rec.status, rec.body.Bytes()); err != nil {
		h.log.ErrorContext(r.Context(), "idempotency", "id", middleware.RequestID(r.Context()), "err", err)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// recorder keeps a handler's answer so it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// writeJSON renders v fully before sending the status, so an encoding
// failure never follows a success status. Timestamps come out in the one
// precision of app.EncodeJSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := app.EncodeJSON(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
	return nil
}
