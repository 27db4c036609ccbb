package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"optare/app"
	"optare/app/middleware"
)

// transitionsDoc is the status state machine as openapi.json states it.
const transitionsDoc = app.Transitions

func (h *Handler) subscriptionList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := h.svc.ListSubscriptions(r.Context(), a, app.SubscriptionQuery{Organization: q.Get("organization_id"),
		Product: q.Get("product_id"), Status: q.Get("status"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) subscriptionCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.SubscriptionInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.CreateSubscription(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (h *Handler) subscriptionGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	s, err := h.svc.SubscriptionByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) subscriptionUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.SubscriptionPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.UpdateSubscription(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

// seatInput is the body of seat assignment and unassignment.
type seatInput struct {
	UserID string `json:"user_id"`
}

func (h *Handler) seatList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := h.svc.ListSeats(r.Context(), a, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) seatAssign(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in seatInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	s, err := h.svc.AssignSeat(r.Context(), a, r.PathValue("id"), in.UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (h *Handler) seatUnassign(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	in := seatInput{UserID: r.URL.Query().Get("user_id")}
	if in.UserID == "" {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	if err := h.svc.UnassignSeat(r.Context(), a, r.PathValue("id"), in.UserID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// licenseDoc explains the license check in openapi.json.
const licenseDoc = "Answers 200 for any authenticated request about a product, valid or not; code is one of VALID, NO_SUBSCRIPTION, " +
	"EXPIRED, CANCELLED, NO_SEAT, PRODUCT_NOT_FOUND, USER_DISABLED. With a user's access token it checks that user " +
	"(?product=slug); with an API key it checks ?user_id=…&product=… within the key's organization (operator keys: any). " +
	"A user without a seat gets one automatically on first use while seats are free (per-subscription auto_assign)."

// licensePrefetch names the licence a check reads (app.Prefetch), so a
// cold check reads credential and licence in one round trip: a GET's from
// its query, a POST's from its JSON body. A small body is read here once
// and handed on to the handler as it came (with the same error, if
// reading failed); a body that does not decode, or a large one (never a
// licence query, and not worth reading before the caller is known), names
// nothing and the handler answers it as before.
func licensePrefetch(r *http.Request) app.Prefetch {
	q := licenseQuery(r)
	if r.Method == http.MethodPost {
		if r.ContentLength < 0 || r.ContentLength > maxPrefetchBody {
			return app.Prefetch{}
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxPrefetchBody))
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		if err != nil || json.Unmarshal(body, &q) != nil {
			return app.Prefetch{}
		}
	}
	return app.PrefetchLicense(q)
}

// maxPrefetchBody bounds the body licensePrefetch reads before the caller
// is authenticated: a licence query is well under it.
const maxPrefetchBody = 4 << 10

// readCloser is a body read from r and closed by c.
type readCloser struct {
	io.Reader
	io.Closer
}

// licenseQuery reads the licence check's query parameters. A GET's are
// parsed once, into r.Form, for the prefetch and the handler; a POST's
// form is its JSON body (read on top of these), so its query is read apart.
func licenseQuery(r *http.Request) app.LicenseQuery {
	query := r.Form
	if r.Method != http.MethodGet {
		query = r.URL.Query()
	} else if query == nil {
		// A GET's form is its query (what ParseForm would set, without
		// the empty PostForm it allocates).
		query = r.URL.Query()
		r.Form = query
	}
	return app.LicenseQuery{Product: query.Get("product"), UserID: query.Get("user_id")}
}

func (h *Handler) licenseCheck(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	q := licenseQuery(r)
	if r.Method == http.MethodPost {
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
	}
	lic, err := h.svc.CheckLicense(r.Context(), a, q)
	if err != nil {
		return err
	}
	return middleware.WriteAppended(w, http.StatusOK, &lic)
}
