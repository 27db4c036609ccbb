package views

import (
	"testing"

	"github.com/a-h/templ"
)

func TestCatalogComponentsRender(t *testing.T) {
	rows := []SubscriptionRow{{ID: "sub_1", Org: "Acme", Product: "Analytics", SeatsUsed: 2, TotalSeats: 5, Price: "29.99 USD", Cycle: "monthly", Status: "active", EndDate: "2026-12-31"}}
	seats := SeatsPanel{BaseURL: "/admin/subscriptions/sub_1", Used: 1, Total: 5, Live: true,
		Seats:   []SeatRow{{UserID: "user_1", Name: "Mia", Email: "mia@acme.test", Since: "2026-01-15 09:00 UTC"}},
		Members: []Option{{Value: "user_2", Label: "Max <max@acme.test>"}}, User: "user_2", Fields: FieldErrors{"user_id": "Not a member."}}
	tests := map[string]templ.Component{
		"ProductsView zero":             ProductsView(ProductsPage{}),
		"ProductsView rows":             ProductsView(ProductsPage{Page: Page{User: operator}, IncludeArchived: true, NextURL: "/admin/products?cursor=x", Rows: []ProductRow{{Name: "Analytics", Slug: "analytics", Features: []string{"A"}, Archived: true, DocumentationURL: "https://docs.example.com"}}}),
		"ProductTable zero":             ProductTable(ProductsPage{}),
		"ProductFormView zero":          ProductFormView(ProductFormPage{}),
		"ProductFormView failed":        ProductFormView(ProductFormPage{Form: ProductForm{Name: "A", Slug: "Bad", Features: []string{"x", ""}, Error: "Fix it.", Fields: FieldErrors{"slug": "Bad.", "description": "Long.", "features": "Empty."}}}),
		"ProductFormView editing":       ProductFormView(ProductFormPage{Form: ProductForm{Editing: true, Name: "A", Slug: "a", Archived: true}}),
		"ProductFormFields zero":        ProductFormFields(ProductForm{}),
		"SlugField zero":                SlugField("", "", ""),
		"FeatureRow zero":               FeatureRow(0, ""),
		"FeatureRow htmx":               FeatureRow(-1, ""),
		"SubscriptionsView zero":        SubscriptionsView(SubscriptionsPage{}),
		"SubscriptionsView rows":        SubscriptionsView(SubscriptionsPage{Rows: rows, Filter: SubscriptionFilter{Status: "active"}, NextURL: "/admin/subscriptions?cursor=x", Orgs: []Option{{Value: "org_1", Label: "Acme"}}}),
		"SubscriptionResults error":     SubscriptionResults(SubscriptionsPage{Error: "Bad filter."}),
		"SubscriptionTable zero":        SubscriptionTable(nil, "", false),
		"SelectField zero":              SelectField(Field{}),
		"SelectField grouped":           SelectField(Field{Name: "action", Options: []Option{{Value: "a.b", Label: "A b", Group: "A"}, {Value: "c", Label: "C"}}}),
		"SubscriptionNewView zero":      SubscriptionNewView(SubscriptionNewPage{}),
		"SubscriptionFormView failed":   SubscriptionFormView(SubscriptionForm{Fields: FieldErrors{"total_seats": "Too few.", "price_per_seat": "Two decimals."}, Error: "Fix."}),
		"SubscriptionDetailView zero":   SubscriptionDetailView(SubscriptionDetailPage{}),
		"SubscriptionDetailView full":   SubscriptionDetailView(SubscriptionDetailPage{Sub: SubscriptionSummary{ID: "sub_1", Org: "Acme", Product: "A", Live: true}, Seats: seats, Edit: SubscriptionEditForm{ID: "sub_1", Fields: FieldErrors{"status": "No."}}}),
		"SubscriptionEditFormView zero": SubscriptionEditFormView(SubscriptionEditForm{}),
		"SeatsPanelView zero":           SeatsPanelView(SeatsPanel{}),
		"SeatsPanelView full":           SeatsPanelView(SeatsPanel{Used: 5, Total: 5, Live: true, Error: "All 5 seats are taken."}),
		"PortalSubscriptionsView zero":  PortalSubscriptionsView(PortalSubscriptionsPage{}),
		"PortalSubscriptionsView rows":  PortalSubscriptionsView(PortalSubscriptionsPage{OrgName: "Acme", CanManage: true, Rows: rows}),
		"PortalSeatsView zero":          PortalSeatsView(PortalSeatsPage{}),
		"PortalSeatsView full":          PortalSeatsView(PortalSeatsPage{Sub: SubscriptionSummary{Product: "A"}, Seats: seats}),
		"PortalProductsView zero":       PortalProductsView(PortalProductsPage{}),
		"PortalProductsView cards":      PortalProductsView(PortalProductsPage{Products: []UsableProductCard{{Slug: "a", Name: "A", Features: []string{"F"}, DocumentationURL: "https://docs.example.com", SeatSince: "2026-01-15"}, {Slug: "b", Name: "B"}}}),
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			checkDocument(t, render(t, c))
		})
	}
}
