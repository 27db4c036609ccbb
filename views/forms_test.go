package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSelectFieldGroups: options with a Group sit under an <optgroup> of
// that label, in first-seen order; options without one stay at the top
// level; the value is selected and the error is described.
func TestSelectFieldGroups(t *testing.T) {
	var b bytes.Buffer
	f := Field{Name: "action", Label: "Action", Value: "product.updated", Error: "Pick one.", Placeholder: "Any action", Options: []Option{
		{Value: "product.created", Label: "Product created", Group: "Products"},
		{Value: "user.login", Label: "User login", Group: "Users"},
		{Value: "product.updated", Label: "Product updated", Group: "Products"},
	}}
	if err := SelectField(f).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<option value="">Any action</option>`,
		`<optgroup label="Products"><option value="product.created">Product created</option><option value="product.updated" selected>Product updated</option></optgroup>`,
		`<optgroup label="Users"><option value="user.login">User login</option></optgroup>`,
		`aria-invalid="true"`, `aria-describedby="action-error"`, `<small id="action-error">Pick one.</small>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("SelectField lacks %s\nin %s", want, got)
		}
	}
}

// TestActionOptions: the audit filter groups actions by what they act on,
// each group led by its prefix, in words; an unknown current value stays.
func TestActionOptions(t *testing.T) {
	got := actionOptions([]string{"api_key.created", "product.created", "product.updated"}, "user.")
	want := []Option{
		{Value: "user.", Label: "user."},
		{Value: "api_key.", Label: "Every API key action", Group: "API key"},
		{Value: "api_key.created", Label: "API key created", Group: "API key"},
		{Value: "product.", Label: "Every product action", Group: "Product"},
		{Value: "product.created", Label: "Product created", Group: "Product"},
		{Value: "product.updated", Label: "Product updated", Group: "Product"},
	}
	if len(got) != len(want) {
		t.Fatalf("actionOptions = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("option %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if w := ActionWords("subscription.seat_assigned"); w != "Subscription seat assigned" {
		t.Errorf("ActionWords = %q", w)
	}
}
