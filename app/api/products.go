package api

import (
	"net/http"

	"optare/app"
)

func (h *Handler) productList(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	cursor, limit, err := page(r)
	if err != nil {
		return err
	}
	archived, err := boolParam(r, "include_archived")
	if err != nil {
		return err
	}
	p, err := h.svc.ListProducts(r.Context(), a, app.ProductQuery{Cursor: cursor, Limit: limit, IncludeArchived: archived})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) productCreate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.ProductInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.svc.CreateProduct(r.Context(), a, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (h *Handler) productGet(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	p, err := h.svc.ProductByRef(r.Context(), a, r.PathValue("product"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) productUpdate(w http.ResponseWriter, r *http.Request, a app.Actor) error {
	var in app.ProductPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdateProduct(r.Context(), a, r.PathValue("product"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
