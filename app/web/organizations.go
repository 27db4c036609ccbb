package web

import (
	"net/http"
	"net/url"

	"optare/app"
	"optare/views"
)

func (h *Handler) organizationList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.organizationsModel(r, acc, actor)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.OrganizationsView(vm))
}

func (h *Handler) organizationsModel(r *http.Request, acc app.Account, actor app.Actor) (views.OrganizationsPage, error) {
	page, err := h.svc.ListOrganizations(r.Context(), actor, r.URL.Query().Get("cursor"), 50)
	if err != nil {
		return views.OrganizationsPage{}, err
	}
	vm := views.OrganizationsPage{Page: h.page(r, "Organizations", views.SectionAdmin, "organizations")}
	_, perHour := h.svc.RateLimitDefaults()
	for _, o := range page.Organizations {
		vm.Rows = append(vm.Rows, views.OrganizationRow{ID: o.ID, Name: o.Name, Slug: o.Slug, Created: o.CreatedAt.UTC().Format(timeLayout), Operator: o.IsOperator,
			RequireMFA: o.RequireMFA,
			RateLimit:  views.RateLimitCell{Action: "/admin/organizations/" + o.ID + "/rate-limit", Limit: o.RateLimitPerHour, Default: perHour, Window: "hour", Label: o.Name}})
	}
	if page.NextCursor != "" {
		vm.NextURL = "/admin/organizations?" + url.Values{"cursor": {string(page.NextCursor)}}.Encode()
	}
	return vm, nil
}

func (h *Handler) organizationCreate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	in := app.OrganizationInput{Name: r.PostForm.Get("name"), Slug: r.PostForm.Get("slug")}
	org, err := h.svc.CreateOrganization(r.Context(), actor, in)
	if err != nil {
		e, ok := formFailure(err, app.KindConflict)
		if !ok {
			return err
		}
		form := views.OrganizationForm{Name: in.Name, Slug: in.Slug, Fields: e.Fields}
		if len(e.Fields) == 0 {
			form.Error = e.Message
		}
		if isHTMX(r) {
			return h.render(w, r, http.StatusUnprocessableEntity, views.OrganizationFormView(form))
		}
		vm, err := h.organizationsModel(r, acc, actor)
		if err != nil {
			return err
		}
		vm.Form = form
		return h.render(w, r, http.StatusUnprocessableEntity, views.OrganizationsView(vm))
	}
	h.sessions.Put(r.Context(), keyFlash, "Organization "+org.Name+" ("+org.Slug+") was created.")
	redirectAfterPost(w, r, "/admin/organizations")
	return nil
}

func (h *Handler) organizationMFAPolicy(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	org, err := h.svc.SetOrgMFARequired(r.Context(), actor, r.PathValue("id"), r.PostForm.Get("require_mfa") == "true")
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, mfaPolicyFlash(org))
	redirectAfterPost(w, r, "/admin/organizations")
	return nil
}

func mfaPolicyFlash(org app.Organization) string {
	if org.RequireMFA {
		return org.Name + " now requires a second factor: members without one set it up at their next sign-in."
	}
	return org.Name + " no longer requires a second factor."
}

// organizationRateLimit sets an organization's API rate limit (empty or 0:
// the default).
func (h *Handler) organizationRateLimit(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	n, err := formLimit(r)
	if err == nil {
		_, err = h.svc.SetOrganizationRateLimit(r.Context(), actor, r.PathValue("id"), n)
	}
	return h.rateLimitSet(w, r, err, "/admin/organizations")
}
