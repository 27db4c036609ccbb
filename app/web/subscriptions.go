package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"optare/app"
	"optare/views"
)

// catalogNames names organizations and products for subscription lists and
// offers them as choices. It reads one page of the largest size; beyond
// that, rows show ids.
type catalogNames struct {
	orgs, products       []views.Option // choices: live products only
	allProducts          []views.Option // filter choices: archived too
	orgName, productName map[string]string
}

func (h *Handler) catalogNames(r *http.Request, acc app.Account, actor app.Actor, a app.Actor, withOrgs bool) (catalogNames, error) {
	n := catalogNames{orgName: map[string]string{}, productName: map[string]string{}}
	if withOrgs {
		orgs, err := h.svc.ListOrganizations(r.Context(), a, "", app.MaxLimit)
		if err != nil {
			return n, err
		}
		taken := nameCounts(len(orgs.Organizations), func(i int) string { return orgs.Organizations[i].Name })
		for _, o := range orgs.Organizations {
			n.orgName[o.ID] = o.Name
			n.orgs = append(n.orgs, views.Option{Value: o.ID, Label: choiceLabel(o.Name, o.Slug, taken)})
		}
	}
	products, err := h.svc.ListProducts(r.Context(), a, app.ProductQuery{Limit: app.MaxLimit, IncludeArchived: true})
	if err != nil {
		return n, err
	}
	taken := nameCounts(len(products.Products), func(i int) string { return products.Products[i].Name })
	for _, p := range products.Products {
		n.productName[p.ID] = p.Name
		label := choiceLabel(p.Name, p.Slug, taken)
		if p.Archived {
			label += " — archived"
		} else {
			n.products = append(n.products, views.Option{Value: p.ID, Label: label})
		}
		n.allProducts = append(n.allProducts, views.Option{Value: p.ID, Label: label})
	}
	return n, nil
}

func orDefault(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	return key
}

func subscriptionRow(s app.Subscription, n catalogNames) views.SubscriptionRow {
	return views.SubscriptionRow{ID: s.ID, Org: orDefault(n.orgName, s.OrganizationID), OrgID: s.OrganizationID, Product: orDefault(n.productName, s.ProductID),
		SeatsUsed: s.SeatsUsed, TotalSeats: s.TotalSeats, Price: s.PricePerSeat.String() + " " + s.Currency,
		Cycle: s.BillingCycle, Status: s.Status, EndDate: endDate(s.EndDate)}
}

// endDate shows an end date as a date, or with its time when it has one.
func endDate(t *time.Time) string {
	switch {
	case t == nil:
		return ""
	case t.UTC().Truncate(24 * time.Hour).Equal(t.UTC()):
		return t.UTC().Format(dateLayout)
	}
	return t.UTC().Format(timeLayout)
}

// subscriptionList is the admin list: filters in the query string so every
// view is a shareable URL; htmx swaps only the results.
func (h *Handler) subscriptionList(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	q := r.URL.Query()
	names, err := h.catalogNames(r, acc, actor, actor, true)
	if err != nil {
		return err
	}
	vm := views.SubscriptionsPage{Page: h.page(r, "Subscriptions", views.SectionAdmin, "subscriptions"),
		Filter: views.SubscriptionFilter{Org: q.Get("org"), Product: q.Get("product"), Status: q.Get("status")},
		Orgs:   names.orgs, Products: names.allProducts}
	status := http.StatusOK
	page, err := h.svc.ListSubscriptions(r.Context(), actor, app.SubscriptionQuery{Organization: vm.Filter.Org,
		Product: vm.Filter.Product, Status: vm.Filter.Status, Cursor: q.Get("cursor"), Limit: 50})
	if e := app.AsError(err); err != nil && (e.Kind == app.KindInvalid || e.Kind == app.KindNotFound) {
		status, vm.Error = http.StatusUnprocessableEntity, "These filters cannot be applied: "+strings.TrimSuffix(e.Message, ".")+"."
		if e.Kind == app.KindInvalid {
			vm.Error = "Choose a status from the list."
		}
	} else if err != nil {
		return err
	}
	for _, s := range page.Subscriptions {
		vm.Rows = append(vm.Rows, subscriptionRow(s, names))
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", string(page.NextCursor))
		vm.NextURL = "/admin/subscriptions?" + next.Encode()
	}
	if swapsRegion(r, views.SubscriptionResultsID) {
		return h.render(w, r, status, views.SubscriptionResults(vm))
	}
	return h.render(w, r, status, views.SubscriptionsView(vm))
}

// subscriptionNew is the empty create form; ?org= preselects an organization.
func (h *Handler) subscriptionNew(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	form := views.SubscriptionForm{Org: r.URL.Query().Get("org"), Product: r.URL.Query().Get("product"),
		Seats: "1", Price: "0.00", Currency: "USD", Cycle: app.CycleMonthly, Status: app.StatusActive}
	return h.renderSubscriptionForm(w, r, acc, actor, http.StatusOK, form)
}

func (h *Handler) renderSubscriptionForm(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor, status int, form views.SubscriptionForm) error {
	names, err := h.catalogNames(r, acc, actor, actor, true)
	if err != nil {
		return err
	}
	form.Orgs, form.Products = names.orgs, names.products
	if isHTMX(r) {
		return h.render(w, r, status, views.SubscriptionFormView(form))
	}
	return h.render(w, r, status, views.SubscriptionNewView(views.SubscriptionNewPage{
		Page: h.page(r, "New subscription", views.SectionAdmin, "subscriptions"), Form: form}))
}

// seatsNumber reads a seats field; anything but a whole number becomes 0,
// which the domain refuses with its own message.
func seatsNumber(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

func (h *Handler) subscriptionCreate(w http.ResponseWriter, r *http.Request, acc app.Account, actor app.Actor) error {
	if err := r.ParseForm(); err != nil {
		return errBadForm(err)
	}
	f := r.PostForm
	form := views.SubscriptionForm{Org: f.Get("organization_id"), Product: f.Get("product_id"), Seats: f.Get("total_seats"),
		Price: strings.TrimSpace(f.Get("price_per_seat")), Currency: f.Get("currency"), Cycle: f.Get("billing_cycle"),
		Status: f.Get("status"), EndDate: f.Get("end_date")}
	sub, err := h.svc.CreateSubscription(r.Context(), actor, app.SubscriptionInput{
		OrganizationID: form.Org, ProductID: form.Product, TotalSeats: seatsNumber(form.Seats),
		PricePerSeat: app.Decimal(form.Price), Currency: form.Currency, BillingCycle: form.Cycle, Status: form.Status, EndDate: form.EndDate})
	if err != nil {
		e, ok := formFailure(err, app.KindConflict)
		if !ok {
			return err
		}
		form.Fields, form.Error = e.Fields, formError(e)
		return h.renderSubscriptionForm(w, r, acc, actor, http.StatusUnprocessableEntity, form)
	}
	h.sessions.Put(r.Context(), keyFlash, "The subscription was created. Assign its seats below.")
	redirectAfterPost(w, r, "/admin/subscriptions/"+sub.ID)
	return nil
}

// formError is the message above a form that failed: the domain's own when
// no field is named, else a pointer to the fields.
func formError(e *app.Error) string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	if e.Kind == app.KindConflict && e.Message != "" {
		return e.Message
	}
	return "Please correct the fields marked below."
}

// nameCounts counts how often each of n names occurs.
func nameCounts(n int, name func(int) string) map[string]int {
	c := map[string]int{}
	for i := range n {
		c[name(i)]++
	}
	return c
}

// choiceLabel is how a select names an organization or product: by its
// name, with the slug only when another choice has the same name, so
// options stay short enough for a phone.
func choiceLabel(name, slug string, counts map[string]int) string {
	if counts[name] > 1 {
		return name + " (" + slug + ")"
	}
	return name
}
