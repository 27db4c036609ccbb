package web

import (
	"net/http"

	"optare/app/middleware"
)

// Routes is every portal route. Everything here runs inside the session
// middleware and cross-origin (CSRF) protection: a state-changing request
// from another site is refused before any handler sees it.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
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

	mux.Handle("GET /admin", http.RedirectHandler("/admin/dashboard", http.StatusSeeOther))
	mux.Handle("GET /admin/dashboard", h.requireOperator(h.wrap(h.adminDashboard)))
	mux.Handle("GET /admin/monitoring", h.requireOperator(h.wrap(h.monitoring)))
	mux.Handle("GET /admin/audit-logs", h.requireOperator(h.wrap(h.auditLog)))
	// Issue 5, catalog part: admin products and subscriptions with their seats.
	mux.Handle("GET /admin/products", h.requireOperator(h.wrap(h.productList)))
	mux.Handle("POST /admin/products", h.requireOperator(h.wrap(h.productCreate)))
	mux.Handle("GET /admin/products/new", h.requireOperator(h.wrap(h.productNew)))
	mux.Handle("GET /admin/products/slug", h.requireOperator(h.wrap(h.productSlug)))
	mux.Handle("GET /admin/products/feature-row", h.requireOperator(h.wrap(h.productFeatureRow)))
	mux.Handle("GET /admin/products/{slug}/edit", h.requireOperator(h.wrap(h.productEdit)))
	mux.Handle("POST /admin/products/{slug}", h.requireOperator(h.wrap(h.productUpdate)))
	mux.Handle("POST /admin/products/{slug}/archive", h.requireOperator(h.wrap(h.productArchive)))
	mux.Handle("GET /admin/subscriptions", h.requireOperator(h.wrap(h.subscriptionList)))
	mux.Handle("POST /admin/subscriptions", h.requireOperator(h.wrap(h.subscriptionCreate)))
	mux.Handle("GET /admin/subscriptions/new", h.requireOperator(h.wrap(h.subscriptionNew)))
	mux.Handle("GET /admin/subscriptions/{id}", h.requireOperator(h.wrap(h.subscriptionDetail)))
	mux.Handle("POST /admin/subscriptions/{id}", h.requireOperator(h.wrap(h.subscriptionUpdate)))
	mux.Handle("POST /admin/subscriptions/{id}/cancel", h.requireOperator(h.wrap(h.subscriptionCancel)))
	mux.Handle("POST /admin/subscriptions/{id}/seats", h.requireOperator(h.wrap(h.seatAssign(h.adminSeats()))))
	mux.Handle("POST /admin/subscriptions/{id}/seats/{user}/unassign", h.requireOperator(h.wrap(h.seatUnassign(h.adminSeats()))))
	mux.Handle("POST /admin/subscriptions/{id}/activations/{act}/deactivate", h.requireOperator(h.wrap(h.machineDeactivate(true))))
	mux.Handle("GET /admin/organizations", h.requireOperator(h.wrap(h.organizationList)))
	mux.Handle("POST /admin/organizations", h.requireOperator(h.wrap(h.organizationCreate)))
	mux.Handle("GET /admin/organizations/{ref}", h.requireOperator(h.wrap(h.organizationDetail)))
	mux.Handle("POST /admin/organizations/{id}/mfa-policy", h.requireOperator(h.wrap(h.organizationMFAPolicy)))
	mux.Handle("POST /admin/organizations/{id}/rate-limit", h.requireOperator(h.wrap(h.organizationRateLimit)))
	// Users: invitation and reset links, roles, disable.
	mux.Handle("GET /admin/users", h.requireOperator(h.wrap(h.userList)))
	mux.Handle("POST /admin/users", h.requireOperator(h.wrap(h.userInvite)))
	mux.Handle("GET /admin/users/{id}", h.requireOperator(h.wrap(h.userDetail)))
	mux.Handle("POST /admin/users/{id}/role", h.requireOperator(h.wrap(h.userRole)))
	mux.Handle("POST /admin/users/{id}/disable", h.requireOperator(h.wrap(h.userDisable)))
	mux.Handle("POST /admin/users/{id}/enable", h.requireOperator(h.wrap(h.userEnable)))
	mux.Handle("POST /admin/users/{id}/reset-link", h.requireOperator(h.wrap(h.userResetLink)))

	// Admin → OAuth clients and Settings → API keys (issue 5, portal-clients).
	mux.Handle("GET /admin/clients", h.requireOperator(h.wrap(h.clientList)))
	mux.Handle("POST /admin/clients", h.requireOperator(h.requireFresh(h.wrap(h.clientCreate))))
	mux.Handle("GET /admin/clients/new", h.requireOperator(h.wrap(h.clientNew)))
	mux.Handle("GET /admin/clients/{id}", h.requireOperator(h.wrap(h.clientEdit)))
	mux.Handle("POST /admin/clients/{id}", h.requireOperator(h.wrap(h.clientUpdate)))
	mux.Handle("POST /admin/clients/{id}/enable", h.requireOperator(h.wrap(h.clientSetEnabled(true))))
	mux.Handle("POST /admin/clients/{id}/disable", h.requireOperator(h.wrap(h.clientSetEnabled(false))))
	mux.Handle("POST /admin/clients/{id}/rotate-secret", h.requireOperator(h.requireFresh(h.wrap(h.clientRotateSecret))))
	mux.Handle("GET /admin/webhooks", h.requireOperator(h.wrap(h.webhookList)))
	mux.Handle("POST /admin/webhooks", h.requireOperator(h.wrap(h.webhookCreate)))
	mux.Handle("GET /admin/webhooks/{id}", h.requireOperator(h.wrap(h.webhookDetail)))
	mux.Handle("POST /admin/webhooks/{id}/test", h.requireOperator(h.wrap(h.webhookAction("test"))))
	mux.Handle("POST /admin/webhooks/{id}/enable", h.requireOperator(h.wrap(h.webhookAction("enable"))))
	mux.Handle("POST /admin/webhooks/{id}/disable", h.requireOperator(h.wrap(h.webhookAction("disable"))))
	mux.Handle("POST /admin/webhooks/{id}/deliveries/{delivery}/replay", h.requireOperator(h.wrap(h.webhookAction("replay"))))
	mux.Handle("GET /admin/settings", h.requireOperator(http.RedirectHandler("/admin/settings/api-keys", http.StatusSeeOther)))
	mux.Handle("GET /admin/settings/api-keys", h.requireOperator(h.wrap(h.apiKeyList)))
	mux.Handle("POST /admin/settings/api-keys", h.requireOperator(h.requireFresh(h.wrap(h.apiKeyCreate))))
	mux.Handle("GET /admin/settings/api-keys/{id}", h.requireOperator(h.wrap(h.apiKeyDetail)))
	mux.Handle("POST /admin/settings/api-keys/{id}/revoke", h.requireOperator(h.wrap(h.apiKeyRevoke)))
	mux.Handle("POST /admin/settings/api-keys/{id}/rate-limit", h.requireOperator(h.wrap(h.apiKeyRateLimit)))

	mux.Handle("GET /portal", http.RedirectHandler("/portal/dashboard", http.StatusSeeOther))
	mux.Handle("GET /portal/dashboard", h.requireAccount(h.wrap(h.portalDashboard)))
	// Issue 5, catalog part: the organization's subscriptions and seats, the user's products.
	mux.Handle("GET /portal/subscriptions", h.requireAccount(h.wrap(h.portalSubscriptions)))
	mux.Handle("GET /portal/subscriptions/{id}", h.requireAccount(h.wrap(h.portalSeats)))
	mux.Handle("POST /portal/subscriptions/{id}/seats", h.requireAccount(h.wrap(h.seatAssign(h.portalSeatDoor()))))
	mux.Handle("POST /portal/subscriptions/{id}/seats/{user}/unassign", h.requireAccount(h.wrap(h.seatUnassign(h.portalSeatDoor()))))
	mux.Handle("GET /portal/products", h.requireAccount(h.wrap(h.portalProducts)))
	mux.Handle("GET /portal/account", h.requireAccount(h.wrap(h.accountPage)))
	mux.Handle("POST /portal/account/profile", h.requireAccount(h.wrap(h.profileSubmit)))
	mux.Handle("POST /portal/account/password", h.requireAccount(h.requireFresh(h.wrap(h.passwordSubmit))))
	mux.Handle("GET /portal/account/authenticator", h.requireAccount(h.requireFresh(h.wrap(h.totpSetupForm))))
	mux.Handle("POST /portal/account/authenticator", h.requireAccount(h.requireFresh(h.wrap(h.totpSetupSubmit))))
	mux.Handle("POST /portal/account/authenticator/remove", h.requireAccount(h.requireFresh(h.wrap(h.totpRemove))))
	mux.Handle("POST /portal/account/passkeys/begin", h.requireAccount(h.requireFresh(h.wrap(h.passkeyRegisterBegin))))
	mux.Handle("POST /portal/account/passkeys/finish", h.requireAccount(h.requireFresh(h.wrap(h.passkeyRegisterFinish))))
	mux.Handle("POST /portal/account/passkeys/{id}/rename", h.requireAccount(h.wrap(h.passkeyRename)))
	mux.Handle("POST /portal/account/passkeys/{id}/remove", h.requireAccount(h.requireFresh(h.wrap(h.passkeyRemove))))
	mux.Handle("POST /portal/account/verify-email", h.requireAccount(h.wrap(h.verifyEmailSend)))
	mux.Handle("POST /portal/account/recovery-codes", h.requireAccount(h.requireFresh(h.wrap(h.recoveryCodesRegenerate))))
	mux.Handle("POST /portal/account/sessions/{id}/end", h.requireAccount(h.wrap(h.sessionEnd)))
	mux.Handle("POST /portal/account/sessions/end-others", h.requireAccount(h.wrap(h.sessionsEndOthers)))
	// Members: for the owners and admins of a customer organization.
	mux.Handle("GET /portal/members", h.requireAccount(h.wrap(h.memberList)))
	mux.Handle("POST /portal/members", h.requireAccount(h.wrap(h.memberInvite)))
	mux.Handle("POST /portal/members/mfa-policy", h.requireAccount(h.wrap(h.memberMFAPolicy)))
	mux.Handle("POST /portal/members/{id}/role", h.requireAccount(h.wrap(h.memberRole)))
	mux.Handle("POST /portal/members/{id}/remove", h.requireAccount(h.wrap(h.memberRemove)))
	mux.Handle("GET /portal/webhooks", h.requireAccount(h.wrap(h.portalWebhooks)))
	mux.Handle("GET /portal/machines", h.requireAccount(h.wrap(h.machines)))
	mux.Handle("POST /portal/machines/{act}/deactivate", h.requireAccount(h.wrap(h.machineDeactivate(false))))
	mux.Handle("GET /portal/oauth-clients", h.requireAccount(h.wrap(h.connectedApps)))
	mux.Handle("GET /portal/oauth-clients/connect", h.requireAccount(h.wrap(h.connectNewApp)))
	mux.Handle("POST /portal/oauth-clients/{id}/disconnect", h.requireAccount(h.wrap(h.connectedAppDisconnect)))

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
