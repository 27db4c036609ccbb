package web

import (
	"net/http"

	"optare/app/middleware"
	"optare/views"
)

// Routes is every portal route. Everything here runs inside the session
// middleware and cross-origin (CSRF) protection: a state-changing request
// from another site is refused before any handler sees it.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	h.signInRoutes(mux)
	h.adminCatalogRoutes(mux)
	h.adminPeopleRoutes(mux)
	h.adminIntegrationRoutes(mux)
	h.portalRoutes(mux)
	mux.Handle("/", h.wrap(h.notFound))

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, &errCrossOrigin)
	}))
	return h.sessions.LoadAndSave(csrf.Handler(middleware.Route(mux)))
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) error {
	return &errNotFound
}

// signInRoutes are the pages before and around signing in: sign-in, second factor,
// passkeys, setup, password links and email checks.
func (h *Handler) signInRoutes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", h.wrap(h.root))
	mux.Handle("GET /login", h.wrap(h.loginForm))
	mux.Handle("POST /login", h.wrap(h.loginSubmit))
	mux.Handle("GET /logout", h.wrap(h.logoutForm))
	mux.Handle("POST /logout", h.wrap(h.logoutSubmit))
	mux.Handle("GET /login/second-factor", h.wrap(h.secondFactorForm))
	mux.Handle("POST /login/second-factor", h.wrap(h.secondFactorSubmit))
	mux.Handle("POST /login/passkey/begin", h.wrap(h.passkeyLoginBegin))
	mux.Handle("POST /login/passkey/finish", h.wrap(h.passkeyLoginFinish))
	mux.Handle("GET /setup", h.wrap(h.setupForm))
	mux.Handle("POST /setup", h.wrap(h.setupSubmit))
	mux.Handle("GET /password", h.wrap(h.passwordLinkForm))
	mux.Handle("GET /verify-email", h.wrap(h.verifyEmailForm))
	mux.Handle("POST /verify-email", h.wrap(h.verifyEmail))
	mux.Handle("GET /password/forgot", h.wrap(h.forgotPasswordForm))
	mux.Handle("POST /password/forgot", h.wrap(h.forgotPasswordSubmit))
	mux.Handle("POST /password", h.wrap(h.passwordLinkSubmit))
}

// adminCatalogRoutes are the admin dashboard, monitoring, audit log, products and
// subscriptions with their seats and activations.
func (h *Handler) adminCatalogRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin", http.RedirectHandler("/admin/dashboard", http.StatusSeeOther))
	mux.Handle("GET /admin/dashboard", h.operator(h.adminDashboard))
	mux.Handle("GET /admin/monitoring", h.operator(h.monitoring))
	mux.Handle("GET /admin/audit-logs", h.operator(h.auditLog))
	mux.Handle("GET /admin/products", h.operator(h.productList))
	mux.Handle("POST /admin/products", h.operator(h.productCreate))
	mux.Handle("GET /admin/products/new", h.operator(h.productNew))
	mux.Handle("GET /admin/products/slug", h.operator(h.productSlug))
	mux.Handle("GET /admin/products/feature-row", h.operator(h.productFeatureRow))
	mux.Handle("GET /admin/products/{slug}/edit", h.operator(h.productEdit))
	mux.Handle("POST /admin/products/{slug}", h.operator(h.productUpdate))
	mux.Handle("GET /admin/products/{slug}/archive", h.operator(h.asks(h.productArchiveConfirm)))
	mux.Handle("POST /admin/products/{slug}/archive", h.operator(h.productArchive))
	mux.Handle("GET /admin/subscriptions", h.operator(h.subscriptionList))
	mux.Handle("POST /admin/subscriptions", h.operator(h.subscriptionCreate))
	mux.Handle("GET /admin/subscriptions/new", h.operator(h.subscriptionNew))
	mux.Handle("GET /admin/subscriptions/{id}", h.operator(h.subscriptionDetail))
	mux.Handle("POST /admin/subscriptions/{id}", h.operator(h.subscriptionUpdate))
	mux.Handle("GET /admin/subscriptions/{id}/cancel", h.operator(h.subscriptionCancelConfirm))
	mux.Handle("POST /admin/subscriptions/{id}/cancel", h.operator(h.subscriptionCancel))
	mux.Handle("POST /admin/subscriptions/{id}/seats", h.operator(h.seatAssign(h.adminSeats())))
	mux.Handle("GET /admin/subscriptions/{id}/seats/{user}/unassign", h.operator(h.asks(h.seatUnassignConfirm(h.adminSeats(), views.SectionAdmin, "subscriptions"))))
	mux.Handle("POST /admin/subscriptions/{id}/seats/{user}/unassign", h.operator(h.seatUnassign(h.adminSeats())))
	mux.Handle("GET /admin/subscriptions/{id}/activations/{act}/deactivate", h.operator(h.asks(h.machineDeactivateConfirm(true))))
	mux.Handle("POST /admin/subscriptions/{id}/activations/{act}/deactivate", h.operator(h.machineDeactivate(true)))
}

// adminPeopleRoutes are the admin organizations and users.
func (h *Handler) adminPeopleRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/organizations", h.operator(h.organizationList))
	mux.Handle("POST /admin/organizations", h.operator(h.organizationCreate))
	mux.Handle("GET /admin/organizations/{ref}", h.operator(h.organizationDetail))
	mux.Handle("POST /admin/organizations/{id}/mfa-policy", h.operator(h.organizationMFAPolicy))
	mux.Handle("POST /admin/organizations/{id}/rate-limit", h.operator(h.organizationRateLimit))
	mux.Handle("GET /admin/users", h.operator(h.userList))
	mux.Handle("POST /admin/users", h.operator(h.userInvite))
	mux.Handle("GET /admin/users/{id}", h.operator(h.userDetail))
	mux.Handle("POST /admin/users/{id}/role", h.operator(h.userRole))
	mux.Handle("GET /admin/users/{id}/disable", h.operator(h.asks(h.userDisableConfirm)))
	mux.Handle("POST /admin/users/{id}/disable", h.operator(h.userDisable))
	mux.Handle("POST /admin/users/{id}/enable", h.operator(h.userEnable))
	mux.Handle("POST /admin/users/{id}/reset-link", h.operator(h.userResetLink))
}

// adminIntegrationRoutes are the admin OAuth clients, webhooks and API keys.
func (h *Handler) adminIntegrationRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/clients", h.operator(h.clientList))
	mux.Handle("POST /admin/clients", h.operatorFresh(h.clientCreate))
	mux.Handle("GET /admin/clients/new", h.operator(h.clientNew))
	mux.Handle("GET /admin/clients/{id}", h.operator(h.clientEdit))
	mux.Handle("POST /admin/clients/{id}", h.operator(h.clientUpdate))
	mux.Handle("POST /admin/clients/{id}/enable", h.operator(h.clientSetEnabled(true)))
	mux.Handle("GET /admin/clients/{id}/disable", h.operator(h.clientDisableConfirm))
	mux.Handle("POST /admin/clients/{id}/disable", h.operator(h.clientSetEnabled(false)))
	mux.Handle("GET /admin/clients/{id}/rotate-secret", h.operator(h.asks(h.clientRotateConfirm)))
	mux.Handle("POST /admin/clients/{id}/rotate-secret", h.operatorFresh(h.clientRotateSecret))
	mux.Handle("GET /admin/webhooks", h.operator(h.webhookList))
	mux.Handle("POST /admin/webhooks", h.operator(h.webhookCreate))
	mux.Handle("GET /admin/webhooks/{id}", h.operator(h.webhookDetail))
	mux.Handle("POST /admin/webhooks/{id}/test", h.operator(h.webhookAction("test")))
	mux.Handle("POST /admin/webhooks/{id}/enable", h.operator(h.webhookAction("enable")))
	mux.Handle("GET /admin/webhooks/{id}/disable", h.operator(h.asks(h.webhookDisableConfirm)))
	mux.Handle("POST /admin/webhooks/{id}/disable", h.operator(h.webhookAction("disable")))
	mux.Handle("POST /admin/webhooks/{id}/deliveries/{delivery}/replay", h.operator(h.webhookAction("replay")))
	mux.Handle("GET /admin/settings", h.requireOperator(http.RedirectHandler("/admin/settings/api-keys", http.StatusSeeOther)))
	mux.Handle("GET /admin/settings/api-keys", h.operator(h.apiKeyList))
	mux.Handle("POST /admin/settings/api-keys", h.operatorFresh(h.apiKeyCreate))
	mux.Handle("GET /admin/settings/api-keys/{id}", h.operator(h.apiKeyDetail))
	mux.Handle("GET /admin/settings/api-keys/{id}/revoke", h.operator(h.apiKeyRevokeConfirm))
	mux.Handle("POST /admin/settings/api-keys/{id}/revoke", h.operator(h.apiKeyRevoke))
	mux.Handle("POST /admin/settings/api-keys/{id}/rate-limit", h.operator(h.apiKeyRateLimit))
}

// portalRoutes are the client portal: dashboard, subscriptions and seats, products,
// account, members, webhooks, machines and connected apps.
func (h *Handler) portalRoutes(mux *http.ServeMux) {
	mux.Handle("GET /portal", http.RedirectHandler("/portal/dashboard", http.StatusSeeOther))
	mux.Handle("GET /portal/dashboard", h.member(h.portalDashboard))
	mux.Handle("GET /portal/subscriptions", h.member(h.portalSubscriptions))
	mux.Handle("GET /portal/subscriptions/{id}", h.member(h.portalSeats))
	mux.Handle("POST /portal/subscriptions/{id}/seats", h.member(h.seatAssign(h.portalSeatDoor())))
	mux.Handle("GET /portal/subscriptions/{id}/seats/{user}/unassign", h.member(h.asks(h.seatUnassignConfirm(h.portalSeatDoor(), views.SectionPortal, "subscriptions"))))
	mux.Handle("POST /portal/subscriptions/{id}/seats/{user}/unassign", h.member(h.seatUnassign(h.portalSeatDoor())))
	mux.Handle("GET /portal/products", h.member(h.portalProducts))
	mux.Handle("GET /portal/account", h.member(h.accountPage))
	mux.Handle("POST /portal/account/profile", h.member(h.profileSubmit))
	mux.Handle("POST /portal/account/password", h.memberFresh(h.passwordSubmit))
	mux.Handle("GET /portal/account/authenticator", h.memberFresh(h.totpSetupForm))
	mux.Handle("POST /portal/account/authenticator", h.memberFresh(h.totpSetupSubmit))
	mux.Handle("POST /portal/account/authenticator/remove", h.memberFresh(h.totpRemove))
	mux.Handle("POST /portal/account/passkeys/begin", h.memberFresh(h.passkeyRegisterBegin))
	mux.Handle("POST /portal/account/passkeys/finish", h.memberFresh(h.passkeyRegisterFinish))
	mux.Handle("POST /portal/account/passkeys/{id}/rename", h.member(h.passkeyRename))
	mux.Handle("GET /portal/account/passkeys/{id}/remove", h.member(h.asks(h.passkeyRemoveConfirm)))
	mux.Handle("POST /portal/account/passkeys/{id}/remove", h.memberFresh(h.passkeyRemove))
	mux.Handle("POST /portal/account/verify-email", h.member(h.verifyEmailSend))
	mux.Handle("POST /portal/account/recovery-codes", h.memberFresh(h.recoveryCodesRegenerate))
	mux.Handle("GET /portal/account/sessions/{id}/end", h.member(h.asks(h.sessionEndConfirm)))
	mux.Handle("POST /portal/account/sessions/{id}/end", h.member(h.sessionEnd))
	mux.Handle("GET /portal/account/sessions/end-others", h.member(h.sessionsEndOthersConfirm))
	mux.Handle("POST /portal/account/sessions/end-others", h.member(h.sessionsEndOthers))
	mux.Handle("GET /portal/members", h.member(h.memberList))
	mux.Handle("POST /portal/members", h.member(h.memberInvite))
	mux.Handle("POST /portal/members/mfa-policy", h.member(h.memberMFAPolicy))
	mux.Handle("POST /portal/members/{id}/role", h.member(h.memberRole))
	mux.Handle("GET /portal/members/{id}/remove", h.member(h.asks(h.memberRemoveConfirm)))
	mux.Handle("POST /portal/members/{id}/remove", h.member(h.memberRemove))
	mux.Handle("GET /portal/webhooks", h.member(h.portalWebhooks))
	mux.Handle("GET /portal/machines", h.member(h.machines))
	mux.Handle("GET /portal/machines/{act}/deactivate", h.member(h.asks(h.machineDeactivateConfirm(false))))
	mux.Handle("POST /portal/machines/{act}/deactivate", h.member(h.machineDeactivate(false)))
	mux.Handle("GET /portal/oauth-clients", h.member(h.connectedApps))
	mux.Handle("GET /portal/oauth-clients/connect", h.member(h.connectNewApp))
	mux.Handle("GET /portal/oauth-clients/{id}/disconnect", h.member(h.asks(h.connectedAppRevokeConfirm)))
	mux.Handle("POST /portal/oauth-clients/{id}/disconnect", h.member(h.connectedAppDisconnect))
}
