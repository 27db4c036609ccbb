package web

import (
	"github.com/a-h/templ"

	"net/http"

	"optare/app"
	"optare/app/browser"
	"optare/views"
)

// The members page is for the owners and admins of a customer
// organization; the domain refuses everyone else.

func (h *Handler) memberList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	vm, err := h.membersModel(r, acc, actor)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, views.MembersView(vm))
}

func (h *Handler) membersModel(r *http.Request, acc app.Account, actor app.Actor) (views.MembersPage, error) {
	org, members, err := h.svc.ListMembers(r.Context(), actor, acc.Org.ID)
	if err != nil {
		return views.MembersPage{}, err
	}
	vm := views.MembersPage{Page: h.page(r, "Members", views.SectionPortal, "members"), OrgName: org.Name,
		Form: views.InviteForm{Action: "/portal/members"}, Owner: acc.Role == app.RoleOwner, RequireMFA: org.RequireMFA}
	for _, m := range members {
		vm.Rows = append(vm.Rows, views.MemberRow{ID: m.User.ID, Name: m.User.Name, Email: m.User.Email, Role: m.Role,
			Joined: m.JoinedAt.UTC().Format(timeLayout), Disabled: m.User.Disabled, Self: m.User.ID == acc.User.ID})
	}
	return vm, nil
}

func (h *Handler) memberInvite(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	in := app.InviteInput{Email: f.Get("email"), Name: f.Get("name"), OrgRef: acc.Org.ID, Role: f.Get("role")}
	user, link, err := h.svc.InviteUser(r.Context(), actor, in)
	if err != nil {
		e, ok := formFailure(err, app.KindConflict, app.KindForbidden)
		if !ok {
			return err
		}
		vm, merr := h.membersModel(r, acc, actor)
		if merr != nil {
			return merr
		}
		vm.Form = views.InviteForm{Action: "/portal/members", Email: in.Email, Name: in.Name, Role: in.Role, Fields: e.Fields}
		if len(e.Fields) == 0 {
			vm.Form.Error = e.Message
		}
		return h.render(w, r, browser.Status(e.Kind), views.MembersView(vm))
	}
	vm, err := h.membersModel(r, acc, actor)
	if err != nil {
		return err
	}
	vm.Link = h.passwordLinkView(link, "Invitation link for "+user.Email,
		"Send this link to "+user.Name+": it lets them choose a password and join "+vm.OrgName+". It works once, for 7 days.")
	return h.render(w, r, http.StatusOK, views.MembersView(vm))
}

func (h *Handler) memberRole(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	err := h.svc.SetMemberRole(r.Context(), actor, acc.Org.ID, r.PathValue("id"), r.PostForm.Get("role"))
	return h.membersChanged(w, r, acc, actor, err, "The role was changed.")
}

func (h *Handler) memberRemove(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	err := h.svc.RemoveMember(r.Context(), actor, acc.Org.ID, r.PathValue("id"))
	return h.membersChanged(w, r, acc, actor, err, "The member was removed.")
}

// membersChanged answers a role change or removal: the refreshed table (with
// the refusal, if any, above it) for htmx, which the role form uses
// (views.MemberTable); the page for a plain form, as the removal's
// confirmation and the role form without JavaScript send.
func (h *Handler) membersChanged(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor, err error, flash string) error {
	status, msg := http.StatusOK, ""
	if err != nil {
		e := app.AsError(err)
		if e.Kind == app.KindInternal || e.Kind == app.KindUnauthenticated {
			return err
		}
		status, msg = browser.Status(e.Kind), e.Message
		if m := e.Fields["role"]; m != "" {
			msg = m
		}
	}
	if err == nil && !isHTMX(r) {
		h.sessions.Put(r.Context(), keyFlash, flash)
		redirectAfterPost(w, r, "/portal/members")
		return nil
	}
	vm, merr := h.membersModel(r, acc, actor)
	if merr != nil {
		return merr
	}
	if isHTMX(r) {
		comps := []templ.Component{views.MemberTable(vm.Rows, msg)}
		if err == nil {
			comps = append(comps, views.FlashOOB(flash))
		}
		return h.render(w, r, status, views.Fragments(comps...))
	}
	vm.Error = msg
	return h.render(w, r, status, views.MembersView(vm))
}

func (h *Handler) memberMFAPolicy(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	org, err := h.svc.SetOrgMFARequired(r.Context(), actor, acc.Org.ID, r.PostForm.Get("require_mfa") == "true")
	if err != nil {
		return err
	}
	h.sessions.Put(r.Context(), keyFlash, mfaPolicyFlash(org))
	redirectAfterPost(w, r, "/portal/members")
	return nil
}
