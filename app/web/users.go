package web

import (
	"net/http"
	"net/url"

	"optare/app"
	"optare/app/browser"
	"optare/app/middleware"
	"optare/views"
)

func (h *Handler) actor(r *http.Request) app.Actor {
	acc, _ := accountFrom(r.Context())
	return acc.Actor(middleware.ClientIP(r))
}

// orgOptions lists organizations for selects, and their names by id.
func (h *Handler) orgOptions(r *http.Request) ([]views.Option, map[string]string, error) {
	page, err := h.svc.ListOrganizations(r.Context(), h.actor(r), "", app.MaxLimit)
	if err != nil {
		return nil, nil, err
	}
	opts := make([]views.Option, 0, len(page.Organizations))
	names := map[string]string{}
	for _, o := range page.Organizations {
		opts = append(opts, views.Option{Value: o.Slug, Label: o.Name})
		names[o.ID] = o.Name
	}
	return opts, names, nil
}

func (h *Handler) userList(w http.ResponseWriter, r *http.Request) error {
	vm, err := h.usersModel(r, r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.UsersView(vm))
	return nil
}

func (h *Handler) usersModel(r *http.Request, filter string) (views.UsersPage, error) {
	opts, names, err := h.orgOptions(r)
	if err != nil {
		return views.UsersPage{}, err
	}
	vm := views.UsersPage{Page: h.page(r, "Users", views.SectionAdmin, "users"), Filter: filter, Orgs: opts,
		Form: views.InviteForm{Action: "/admin/users", Orgs: opts, Org: filter}}
	if filter != "" {
		org, members, err := h.svc.ListMembers(r.Context(), h.actor(r), filter)
		if err != nil {
			return views.UsersPage{}, err
		}
		vm.WithRoles = true
		for _, m := range members {
			vm.Rows = append(vm.Rows, userRow(m.User, org.Name, m.Role))
		}
		return vm, nil
	}
	page, err := h.svc.ListUsers(r.Context(), h.actor(r), app.UserQuery{Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		return views.UsersPage{}, err
	}
	for _, u := range page.Users {
		vm.Rows = append(vm.Rows, userRow(u, names[u.OrganizationID], ""))
	}
	if page.NextCursor != "" {
		vm.NextURL = "/admin/users?" + url.Values{"cursor": {string(page.NextCursor)}}.Encode()
	}
	return vm, nil
}

func userRow(u app.User, org, role string) views.UserRow {
	return views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Org: org, Role: role, Created: u.CreatedAt.UTC().Format(timeLayout), Disabled: u.Disabled}
}

// userInvite adds a user and shows their invitation link once: the answer
// is the page itself, not a redirect, since the link cannot be shown again.
func (h *Handler) userInvite(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	in := app.InviteInput{Email: f.Get("email"), Name: f.Get("name"), OrgRef: f.Get("org"), Role: f.Get("role")}
	user, link, err := h.svc.InviteUser(r.Context(), h.actor(r), in)
	vm, merr := h.usersModel(r, in.OrgRef)
	if merr != nil {
		return merr
	}
	if err != nil {
		e := app.AsError(err)
		if e.Kind != app.KindInvalid && e.Kind != app.KindConflict {
			return err
		}
		vm.Form = views.InviteForm{Action: "/admin/users", Orgs: vm.Orgs, Email: in.Email, Name: in.Name, Org: in.OrgRef, Role: in.Role, Fields: e.Fields}
		if len(e.Fields) == 0 {
			vm.Form.Error = e.Message
		}
		h.render(w, r, http.StatusUnprocessableEntity, views.UsersView(vm))
		return nil
	}
	vm.Link = h.passwordLinkView(link, "Invitation link for "+user.Email,
		"Send this link to "+user.Name+": it lets them choose a password and sign in. It works once, for 7 days.")
	h.render(w, r, http.StatusOK, views.UsersView(vm))
	return nil
}

func (h *Handler) passwordLinkView(l app.PasswordLink, title, note string) *views.OneTimeLinkView {
	if l.Emailed {
		note = "We emailed this link to them; you can also pass it on yourself. It works once, for 7 days."
	} else {
		note += " (This server has no mail server configured, so links are handed over by you.)"
	}
	return &views.OneTimeLinkView{Title: title, Note: note, URL: h.svc.Issuer() + "/password?" + url.Values{"token": {l.Token}}.Encode()}
}

func (h *Handler) userDetail(w http.ResponseWriter, r *http.Request) error {
	vm, err := h.userDetailModel(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, views.UserDetailView(vm))
	return nil
}

func (h *Handler) userDetailModel(r *http.Request, id string) (views.UserDetailPage, error) {
	u, err := h.svc.UserByID(r.Context(), h.actor(r), id)
	if err != nil {
		return views.UserDetailPage{}, err
	}
	acc, err := h.svc.AccountByID(r.Context(), u.ID)
	role := acc.Role
	if err != nil {
		if app.AsError(err).Code != "user_disabled" {
			return views.UserDetailPage{}, err
		}
		role = ""
	}
	org, err := h.svc.OrganizationByRef(r.Context(), h.actor(r), u.OrganizationID)
	if err != nil {
		return views.UserDetailPage{}, err
	}
	if role == "" {
		_, members, err := h.svc.ListMembers(r.Context(), h.actor(r), org.ID)
		if err != nil {
			return views.UserDetailPage{}, err
		}
		for _, m := range members {
			if m.User.ID == u.ID {
				role = m.Role
			}
		}
	}
	return views.UserDetailPage{Page: h.page(r, u.Name, views.SectionAdmin, "users"), ID: u.ID, Name: u.Name, Email: u.Email,
		Org: org.Name, OrgID: org.ID, Role: role, Disabled: u.Disabled, Created: u.CreatedAt.UTC().Format(timeLayout)}, nil
}

func (h *Handler) userRole(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	id := r.PathValue("id")
	vm, err := h.userDetailModel(r, id)
	if err != nil {
		return err
	}
	if err := h.svc.SetMemberRole(r.Context(), h.actor(r), vm.OrgID, id, r.PostForm.Get("role")); err != nil {
		e := app.AsError(err)
		if e.Kind != app.KindInvalid && e.Kind != app.KindConflict && e.Kind != app.KindForbidden {
			return err
		}
		vm.RoleErr = e.Message
		if msg := e.Fields["role"]; msg != "" {
			vm.RoleErr = msg
		}
		h.render(w, r, browser.Status(e.Kind), views.UserDetailView(vm))
		return nil
	}
	h.sessions.Put(r.Context(), keyFlash, "The role of "+vm.Name+" is now "+r.PostForm.Get("role")+".")
	redirectAfterPost(w, r, "/admin/users/"+id)
	return nil
}

func (h *Handler) userDisable(w http.ResponseWriter, r *http.Request) error {
	return h.userSetDisabled(w, r, true)
}

func (h *Handler) userEnable(w http.ResponseWriter, r *http.Request) error {
	return h.userSetDisabled(w, r, false)
}

func (h *Handler) userSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id := r.PathValue("id")
	if err := h.svc.SetUserDisabled(r.Context(), h.actor(r), id, disabled); err != nil {
		return err
	}
	msg := "The user was enabled."
	if disabled {
		msg = "The user was disabled and signed out everywhere."
	}
	h.sessions.Put(r.Context(), keyFlash, msg)
	redirectAfterPost(w, r, "/admin/users/"+id)
	return nil
}

// userResetLink creates a password reset link and shows it once.
func (h *Handler) userResetLink(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	link, err := h.svc.PasswordResetLink(r.Context(), h.actor(r), id)
	if err != nil {
		return err
	}
	vm, err := h.userDetailModel(r, id)
	if err != nil {
		return err
	}
	vm.Link = h.passwordLinkView(link, "Password reset link for "+vm.Email,
		"Send this link to "+vm.Name+": it lets them choose a new password. It works once, for 24 hours.")
	h.render(w, r, http.StatusOK, views.UserDetailView(vm))
	return nil
}
