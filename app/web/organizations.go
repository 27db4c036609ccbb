package web

import (
	"net/http"
	"net/url"

	"optare/app"
	"optare/app/middleware"
	"optare/views"
)

func (h *Handler) organizationList(w http.ResponseWriter, r *http.Request) error {
	vm, err := h.organizationsModel(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.OrganizationsView(vm))
	return nil
}

func (h *Handler) organizationsModel(r *http.Request) (views.OrganizationsPage, error) {
	acc, _ := accountFrom(r.Context())
	page, err := h.svc.ListOrganizations(r.Context(), acc.Actor(middleware.ClientIP(r)), r.URL.Query().Get("cursor"), 50)
	if err != nil {
		return views.OrganizationsPage{}, err
	}
	vm := views.OrganizationsPage{Page: h.page(r, "Organizations", views.SectionAdmin, "organizations")}
	_, perHour := h.svc.RateLimitDefaults()
	for _, o := range page.Organizations {
		vm.Rows = append(vm.Rows, views.OrganizationRow{ID: o.ID, Name: o.Name, Slug: o.Slug, Created: o.CreatedAt.UTC().Format(timeLayout), Operator: o.IsOperator,
			RateLimit: views.RateLimitCell{Action: "/admin/organizations/" + o.ID + "/rate-limit", Limit: o.RateLimitPerHour, Default: perHour, Window: "hour", Label: o.Name}})
	}
	if page.NextCursor != "" {
		vm.NextURL = "/admin/organizations?" + url.Values{"cursor": {string(page.NextCursor)}}.Encode()
	}
	return vm, nil
}

func (h *Handler) organizationCreate(w http.ResponseWriter, r *http.Request) error {
	acc, _ := accountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	in := app.OrganizationInput{Name: r.PostForm.Get("name"), Slug: r.PostForm.Get("slug")}
	org, err := h.svc.CreateOrganization(r.Context(), acc.Actor(middleware.ClientIP(r)), in)
	if err != nil {
		e := app.AsError(err)
		if e.Kind != app.KindInvalid && e.Kind != app.KindConflict {
			return err
		}
		form := views.OrganizationForm{Name: in.Name, Slug: in.Slug, Fields: e.Fields}
		if len(e.Fields) == 0 {
			form.Error = e.Message
		}
		if isHTMX(r) {
			h.render(w, r, http.StatusUnprocessableEntity, views.OrganizationFormView(form))
			return nil
		}
		vm, err := h.organizationsModel(r)
		if err != nil {
			return err
		}
		vm.Form = form
		h.render(w, r, http.StatusUnprocessableEntity, views.OrganizationsView(vm))
		return nil
	}
	h.sessions.Put(r.Context(), keyFlash, "Organization "+org.Name+" ("+org.Slug+") was created.")
	redirectAfterPost(w, r, "/admin/organizations")
	return nil
}

// organizationRateLimit sets an organization's API rate limit (empty or 0:
// the default).
func (h *Handler) organizationRateLimit(w http.ResponseWriter, r *http.Request) error {
	n, err := formLimit(r)
	if err == nil {
		acc, _ := accountFrom(r.Context())
		_, err = h.svc.SetOrganizationRateLimit(r.Context(), acc.Actor(middleware.ClientIP(r)), r.PathValue("id"), n)
	}
	return h.rateLimitSet(w, r, err, "/admin/organizations")
}
