package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"optare/app"
	"optare/views"
)

// productList is the admin catalogue; ?archived=1 includes archived
// products. htmx swaps only the table.
func (h *Handler) productList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	q := r.URL.Query()
	vm := views.ProductsPage{Page: h.page(r, "Products", views.SectionAdmin, "products"), IncludeArchived: q.Get("archived") == "1"}
	page, err := h.svc.ListProducts(r.Context(), actor,
		app.ProductQuery{Cursor: q.Get("cursor"), Limit: 50, IncludeArchived: vm.IncludeArchived})
	if err != nil {
		return err
	}
	for _, p := range page.Products {
		vm.Rows = append(vm.Rows, views.ProductRow{Name: p.Name, Slug: p.Slug, Description: p.Description,
			DocumentationURL: p.DocumentationURL, Features: p.Features, Archived: p.Archived})
	}
	if page.NextCursor != "" {
		next := url.Values{"cursor": {string(page.NextCursor)}}
		if vm.IncludeArchived {
			next.Set("archived", "1")
		}
		vm.NextURL = "/admin/products?" + next.Encode()
	}
	if swapsRegion(r, views.ProductsID) {
		return h.render(w, r, http.StatusOK, views.ProductTable(vm))
	}
	return h.render(w, r, http.StatusOK, views.ProductsView(vm))
}

// productNew is the empty create form, with two feature rows to fill in.
func (h *Handler) productNew(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	return h.renderProductForm(w, r, http.StatusOK, views.ProductForm{Features: []string{"", ""}})
}

// productEdit is the edit form of one product.
func (h *Handler) productEdit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	p, err := h.svc.ProductByRef(r.Context(), actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	form := views.ProductForm{Editing: true, Name: p.Name, Slug: p.Slug, Description: p.Description,
		DocumentationURL: p.DocumentationURL, Features: append(p.Features, ""), Archived: p.Archived,
		LicenseCheckIn: strconv.Itoa(p.LicenseCheckIn), LicenseGrace: strconv.Itoa(p.LicenseGrace), LeaseTTL: strconv.Itoa(p.LeaseTTL),
		MachinesPerSeat: strconv.Itoa(p.MachinesPerSeat), Floating: p.Floating}
	return h.renderProductForm(w, r, http.StatusOK, form)
}

// productForm reads the posted product form. Blank feature rows are empty
// inputs, not features.
func productForm(r *http.Request, editing bool) views.ProductForm {
	f := r.PostForm
	form := views.ProductForm{Editing: editing, Name: f.Get("name"), Slug: strings.TrimSpace(f.Get("slug")),
		SlugSuggested: f.Get("slug_suggested"), Description: f.Get("description"),
		DocumentationURL: strings.TrimSpace(f.Get("documentation_url")), Features: f["feature"],
		LicenseCheckIn: strings.TrimSpace(f.Get("license_check_in_seconds")), LicenseGrace: strings.TrimSpace(f.Get("license_grace_seconds")),
		LeaseTTL: strings.TrimSpace(f.Get("lease_ttl_seconds")), MachinesPerSeat: strings.TrimSpace(f.Get("machines_per_seat")),
		Floating: f.Get("floating") == "true"}
	if editing {
		form.Slug = r.PathValue("slug")
	}
	return form
}

func features(rows []string) []string {
	out := []string{}
	for _, s := range rows {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// productRowsChanged handles the plain-form "Add feature" and "Remove"
// buttons: the form comes back with one row more or less and nothing saved.
func (h *Handler) productRowsChanged(w http.ResponseWriter, r *http.Request, form views.ProductForm) (bool, error) {
	switch {
	case r.PostForm.Has("add_feature"):
		form.Features = append(form.Features, "")
	case r.PostForm.Has("remove_feature"):
		i, err := strconv.Atoi(r.PostForm.Get("remove_feature"))
		if err == nil && i >= 0 && i < len(form.Features) {
			form.Features = slices.Delete(form.Features, i, i+1)
		}
	default:
		return false, nil
	}
	return true, h.renderProductForm(w, r, http.StatusOK, form)
}

func (h *Handler) productCreate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	form := productForm(r, false)
	if done, err := h.productRowsChanged(w, r, form); done || err != nil {
		return err
	}
	slug := form.Slug
	if slug == "" {
		slug = app.Slugify(form.Name) // what the suggestion would have been
	}
	in := app.ProductInput{Name: form.Name, Slug: slug, Description: form.Description,
		Features: features(form.Features), DocumentationURL: form.DocumentationURL, Floating: form.Floating}
	for dst, v := range map[*int]string{&in.LicenseCheckIn: form.LicenseCheckIn, &in.LicenseGrace: form.LicenseGrace,
		&in.LeaseTTL: form.LeaseTTL, &in.MachinesPerSeat: form.MachinesPerSeat} {
		if n := formInt(v); n != nil {
			*dst = *n
		}
	}
	p, err := h.svc.CreateProduct(r.Context(), actor, in)
	if err != nil {
		return h.productFormFailed(w, r, form, err)
	}
	h.sessions.Put(r.Context(), keyFlash, "Product "+p.Name+" ("+p.Slug+") was created.")
	redirectAfterPost(w, r, "/admin/products")
	return nil
}

func (h *Handler) productUpdate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	form := productForm(r, true)
	if done, err := h.productRowsChanged(w, r, form); done || err != nil {
		return err
	}
	feats := features(form.Features)
	patch := app.ProductPatch{Name: &form.Name, Description: &form.Description, Features: &feats, DocumentationURL: &form.DocumentationURL,
		LicenseCheckIn: formInt(form.LicenseCheckIn), LicenseGrace: formInt(form.LicenseGrace), LeaseTTL: formInt(form.LeaseTTL),
		MachinesPerSeat: formInt(form.MachinesPerSeat), Floating: &form.Floating}
	p, err := h.svc.UpdateProduct(r.Context(), actor, form.Slug, patch)
	if err != nil {
		return h.productFormFailed(w, r, form, err)
	}
	h.sessions.Put(r.Context(), keyFlash, "Product "+p.Name+" was saved.")
	redirectAfterPost(w, r, "/admin/products")
	return nil
}

// productFormFailed re-renders the form with the domain's field errors
// (422), or returns any other error for the error page.
func (h *Handler) productFormFailed(w http.ResponseWriter, r *http.Request, form views.ProductForm, err error) error {
	e, ok := formFailure(err, app.KindConflict)
	if !ok {
		return err
	}
	form.Fields = e.Fields
	if len(e.Fields) == 0 {
		form.Error = e.Message
	} else {
		form.Error = "Please correct the fields marked below."
	}
	return h.renderProductForm(w, r, http.StatusUnprocessableEntity, form)
}

// renderProductForm answers htmx with the form alone and a browser with the page.
func (h *Handler) renderProductForm(w http.ResponseWriter, r *http.Request, status int, form views.ProductForm) error {
	if isHTMX(r) {
		return h.render(w, r, status, views.ProductFormFields(form))
	}
	title := "New product"
	if form.Editing {
		title = "Edit product"
	}
	return h.render(w, r, status, views.ProductFormView(views.ProductFormPage{Page: h.page(r, title, views.SectionAdmin, "products"), Form: form}))
}

func (h *Handler) productArchive(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	p, err := h.svc.ArchiveProduct(r.Context(), actor, r.PathValue("slug"))
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, "Product "+p.Name+" was archived.")
	redirectAfterPost(w, r, "/admin/products")
	return nil
}

// productSlug answers the name field's htmx request with the slug field: a
// fresh suggestion while the slug is empty or still the last suggestion, and
// 204 (nothing to swap) once the user has typed a slug of their own.
func (h *Handler) productSlug(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	q := r.URL.Query()
	slug, suggested := strings.TrimSpace(q.Get("slug")), q.Get("slug_suggested")
	if slug != "" && slug != suggested {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	next := app.Slugify(q.Get("name"))
	return h.render(w, r, http.StatusOK, views.SlugField(next, next, ""))
}

// productFeatureRow is the htmx "Add feature" answer: one more empty row. A
// remove button asks with remove_feature and gets nothing: htmx deletes the
// row itself.
func (h *Handler) productFeatureRow(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if r.URL.Query().Has("remove_feature") {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	return h.render(w, r, http.StatusOK, views.FeatureRow(-1, ""))
}

// swapsRegion reports whether htmx asked for the region with id alone (the
// filter form and pagination target it); other htmx requests, such as the
// page load after HX-Location, want the whole page.
func swapsRegion(r *http.Request, id string) bool {
	return isHTMX(r) && r.Header.Get("HX-Target") == id
}

// formInt reads an optional whole number: nil when empty, -1 when it is not
// a number (the domain then refuses it with the field's own message).
func formInt(v string) *int {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		n = -1
	}
	return &n
}
