package views

// HTMX target ids. Components render them, handlers name them in HX-Retarget or
// out-of-band swaps, and tests look them up, so they are defined once here.
const (
	// FlashID is the id of the layout's flash region; FlashOOB replaces it out of band.
	FlashID = "flash"
	// MainID is the id of the page's <main> element, the skip link's target.
	MainID = "main"
	// LoginFormID is the id of the sign-in form.
	LoginFormID = "login-form"
	// SetupFormID is the id of the first-run setup form.
	SetupFormID = "setup-form"
	// RecentAuditID is the id of the admin dashboard's recent-activity table region.
	RecentAuditID = "recent-audit"
	// ConsentFormID is the id of the OAuth consent form.
	ConsentFormID = "consent-form"
	// DeviceUserCodeID is the id of the user code on the device flow's
	// consent screen.
	DeviceUserCodeID = "device-user-code"
	// ConnectableAppsID is the id of Connect New App's list of apps.
	ConnectableAppsID = "connectable-apps"
	// DeviceFormID is the id of the form where a user enters a device's code.
	DeviceFormID = "device-form"
	// ConsentScopesID is the id of the consent screen's list of scopes.
	ConsentScopesID = "consent-scopes"
	// ConnectedAppsID is the id of the portal's connected-apps region.
	ConnectedAppsID = "connected-apps"
	// ProductCardsID is the id of the portal dashboard's product card grid region.
	ProductCardsID = "product-cards"
)

// HTMXConfig is the content of the layout's htmx-config meta tag. It makes htmx
// swap 422 responses (failed validation re-renders the form in place), leave the
// page alone on 204 and on other 4xx/5xx, never inject its inline indicator
// <style> (the CSP forbids it; app.css styles .htmx-indicator instead) and never
// evaluate strings as JavaScript.
const HTMXConfig = `{"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}],"includeIndicatorStyles":false,"allowEval":false}`

// Account page target ids.
const (
	// ProfileFormID is the id of the account page's name form.
	ProfileFormID = "profile-form"
	// PasswordFormID is the id of the account page's password form.
	PasswordFormID = "password-form"
	// SessionsID is the id of the account page's sessions region.
	SessionsID = "sessions"
)

// AuditResultsID is the id of the audit log page's results region.
const AuditResultsID = "audit-results"

// Organization page target ids.
const (
	// OrganizationsID is the id of the organizations table region.
	OrganizationsID = "organizations"
	// OrganizationFormID is the id of the create-organization form.
	OrganizationFormID = "organization-form"
)

// PasswordLinkFormID is the id of the form behind invitation and reset links.
const PasswordLinkFormID = "password-link-form"

// User and member page target ids.
const (
	// UsersID is the id of the admin users table region.
	UsersID = "users"
	// InviteFormID is the id of the add-user (invitation) form.
	InviteFormID = "invite-form"
	// OneTimeLinkID is the id of a shown-once link panel.
	OneTimeLinkID = "one-time-link"
	// MembersID is the id of the portal members table region.
	MembersID = "members"
)

// Catalog page target ids: admin products and subscriptions, and the client
// portal's subscriptions, seats and products.
const (
	// ProductsID is the id of the admin products table region.
	ProductsID = "products"
	// ProductFormID is the id of the create/edit product form.
	ProductFormID = "product-form"
	// FeatureListID is the id of the product form's list of feature inputs.
	FeatureListID = "feature-list"
	// SlugFieldID is the id of the product form's slug field, swapped with a suggestion as the name is typed.
	SlugFieldID = "slug-field"
	// SubscriptionResultsID is the id of the admin subscriptions results region.
	SubscriptionResultsID = "subscription-results"
	// SubscriptionFormID is the id of the create-subscription form.
	SubscriptionFormID = "subscription-form"
	// SubscriptionEditFormID is the id of the subscription detail page's edit form.
	SubscriptionEditFormID = "subscription-edit-form"
	// SeatsID is the id of a subscription's seats region (admin and client portal).
	SeatsID = "seats"
	// SeatsUsedID is the id of the "used of total" figure in the seats region.
	SeatsUsedID = "seats-used"
	// PortalSubscriptionsID is the id of the client portal's subscriptions table region.
	PortalSubscriptionsID = "portal-subscriptions"
	// PortalProductsID is the id of the client portal's product cards region.
	PortalProductsID = "portal-products"
)

// OAuth client, API key and shown-once page target ids (admin portal).
const (
	// ClientsID is the id of the OAuth clients table region.
	ClientsID = "clients"
	// ClientFormID is the id of the create and edit OAuth client form.
	ClientFormID = "client-form"
	// ClientIDValueID is the id of the input holding a client's id.
	ClientIDValueID = "client-id-value"
	// ClientSecretValueID is the id of the input holding a client secret on
	// the shown-once page.
	ClientSecretValueID = "client-secret-value"
	// APIKeysID is the id of the API keys table region.
	APIKeysID = "api-keys"
	// APIKeyFormID is the id of the create-API-key form.
	APIKeyFormID = "api-key-form"
	// APIKeyValueID and APIKeySecretValueID are the ids of the inputs holding
	// a new API key and its secret on the shown-once page.
	APIKeyValueID       = "api-key-value"
	APIKeySecretValueID = "api-key-secret-value"
	// SecretViewID is the id of the shown-once content.
	SecretViewID = "secret-view"
)

// Webhook pages.
const (
	// WebhooksID is the admin list of webhook endpoints.
	WebhooksID = "webhooks"
	// WebhookFormID is the create form.
	WebhookFormID = "webhook-form"
)

// Ids of the two-step sign-in pages.
const (
	// SecondFactorFormID is the id of the sign-in's second-step form.
	SecondFactorFormID = "second-factor-form"
	// TOTPSetupFormID is the id of the authenticator-app confirmation form.
	TOTPSetupFormID = "totp-setup-form"
	// RecoveryCodesID is the id of the list of new recovery codes.
	RecoveryCodesID = "recovery-codes"
	// SecondFactorID is the id of the account page's two-step sign-in section.
	SecondFactorID = "second-factor"
)

// Ids of the passkey parts.
const (
	// PasskeysID is the id of the account page's passkeys region.
	PasskeysID = "passkeys"
	// PasskeyAddFormID is the id of the "Add a passkey" form.
	PasskeyAddFormID = "passkey-add-form"
)

// ForgotPasswordFormID is the id of the "Forgot password?" form.
const ForgotPasswordFormID = "forgot-password-form"
