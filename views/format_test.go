package views

import "testing"

func TestPluralAndCount(t *testing.T) {
	tests := []struct {
		n      int
		plural string
		count  string
	}{
		{0, "seats", "0 seats"},
		{1, "seat", "1 seat"},
		{2, "seats", "2 seats"},
		{-1, "seat", "-1 seat"},
		{1200, "seats", "1,200 seats"},
	}
	for _, tt := range tests {
		if got := Plural(tt.n, "seat", "seats"); got != tt.plural {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.plural)
		}
		if got := Count(tt.n, "seat", "seats"); got != tt.count {
			t.Errorf("Count(%d) = %q, want %q", tt.n, got, tt.count)
		}
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 123456: "123,456", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "?",
		"  ":                "?",
		"ada":               "A",
		"Ada Lovelace":      "AL",
		"Ada King Lovelace": "AL",
		"émile zola":        "ÉZ",
		"jane.doe@acme.com": "JD",
		"@":                 "?",
	} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct{ part, total, want int }{
		{0, 0, 0}, {5, 0, 0}, {-1, 10, 0}, {1, 3, 33}, {41, 50, 82}, {60, 50, 100},
	}
	for _, tt := range tests {
		if got := Percent(tt.part, tt.total); got != tt.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tt.part, tt.total, got, tt.want)
		}
	}
}

func TestBadgeClass(t *testing.T) {
	for in, want := range map[string]string{
		"active": "badge badge-active", "Trial": "badge badge-trial", "cancelled": "badge badge-cancelled",
		"expired": "badge badge-expired", "success": "badge badge-success", "failure": "badge badge-failure",
		"denied": "badge badge-failure", "": "badge", "owner": "badge", `x" onclick="y`: "badge",
	} {
		if got := BadgeClass(in); got != want {
			t.Errorf("BadgeClass(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageTitle(t *testing.T) {
	if got := PageTitle(""); got != "Optare" {
		t.Errorf("PageTitle(\"\") = %q", got)
	}
	if got := PageTitle("Products"); got != "Products · Optare" {
		t.Errorf("PageTitle = %q", got)
	}
}

func TestStatusTexts(t *testing.T) {
	for _, s := range []int{0, 200, 302, 400, 401, 403, 404, 409, 422, 429, 500, 503, 999} {
		if StatusTitle(s) == "" || StatusMessage(s) == "" {
			t.Errorf("status %d has an empty title or message", s)
		}
	}
	if StatusTitle(200) != StatusTitle(500) {
		t.Error("a success status is not shown as 500")
	}
}

func TestHomePath(t *testing.T) {
	if HomePath(nil) != "/" || HomePath(&NavUser{}) != "/portal/dashboard" || HomePath(&NavUser{IsOperator: true}) != "/admin/dashboard" {
		t.Error("HomePath")
	}
}
