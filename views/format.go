package views

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// Plural returns one when n is 1 or -1 and many otherwise: Plural(3, "seat", "seats")
// is "seats". Use Count to include the number.
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

// Count returns n, with thousands separators, followed by the singular or
// plural noun: Count(1200, "seat", "seats") is "1,200 seats".
func Count(n int, one, many string) string {
	return Number(n) + " " + Plural(n, one, many)
}

// Number formats n with comma thousands separators: 1234567 becomes "1,234,567".
func Number(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// Initials returns up to two upper-case letters for an avatar: the first letter
// of the first and of the last word of name ("Ada King Lovelace" gives "AL").
// For an email address only the part before "@" is used. An empty name gives "?".
func Initials(name string) string {
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name = name[:at]
	}
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return "?"
	}
	first := []rune(words[0])[:1]
	if len(words) == 1 {
		return strings.ToUpper(string(first))
	}
	last := []rune(words[len(words)-1])[:1]
	return strings.ToUpper(string(first) + string(last))
}

// Percent returns part as a whole percentage of total, clamped to 0–100; a
// total of zero or less gives 0.
func Percent(part, total int) int {
	if total <= 0 || part <= 0 {
		return 0
	}
	if part >= total {
		return 100
	}
	return part * 100 / total
}

// BadgeClass returns the CSS classes of a status badge: "badge badge-active" for
// the subscription statuses (active, trial, cancelled, expired) and audit
// outcomes (success, failure), and plain "badge" for anything else.
func BadgeClass(status string) string {
	switch s := strings.ToLower(status); s {
	case "active", "trial", "cancelled", "expired", "success", "failure":
		return "badge badge-" + s
	case "failed", "denied", "error":
		return "badge badge-failure"
	}
	return "badge"
}

// PageTitle returns the document title for a page: "Products · Optare", or
// just "Optare" when title is empty.
func PageTitle(title string) string {
	if title == "" {
		return "Optare"
	}
	return title + " · Optare"
}

// StatusTitle returns a short, friendly heading for an HTTP error status, such
// as "Page not found" for 404. Statuses outside 400–599 are treated as 500.
func StatusTitle(status int) string {
	switch normalStatus(status) {
	case http.StatusBadRequest:
		return "That request didn't look right"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "You don't have access to this page"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusInternalServerError:
		return "Something went wrong"
	case http.StatusServiceUnavailable:
		return "Optare is briefly unavailable"
	}
	return http.StatusText(normalStatus(status))
}

// StatusMessage returns a sentence explaining an HTTP error status to a user.
func StatusMessage(status int) string {
	switch normalStatus(status) {
	case http.StatusBadRequest:
		return "Please go back, check what you entered and try again."
	case http.StatusUnauthorized:
		return "Your session has ended. Sign in again to continue."
	case http.StatusForbidden:
		return "Your account isn't allowed to see this. If you think it should be, ask your administrator."
	case http.StatusNotFound:
		return "The page you asked for doesn't exist or has moved."
	case http.StatusTooManyRequests:
		return "Please wait a moment before trying again."
	case http.StatusServiceUnavailable:
		return "Please try again in a few minutes."
	}
	return "An unexpected error occurred on our side. Please try again in a moment."
}

// normalStatus maps anything that is not an HTTP error status to 500, so an
// error page never claims success.
func normalStatus(status int) int {
	if status < 400 || status > 599 {
		return http.StatusInternalServerError
	}
	return status
}

// ActionWords says an audit action code in words: "subscription.seat_assigned"
// reads "Subscription seat assigned". The code itself is shown beside it.
func ActionWords(code string) string {
	w := strings.NewReplacer(".", " ", "_", " ").Replace(code)
	w = strings.ReplaceAll(w, "oauth", "OAuth")
	w = strings.ReplaceAll(w, "api key", "API key")
	w = strings.ReplaceAll(w, "apikey", "API key")
	w = strings.ReplaceAll(w, "mfa", "second factor")
	w = strings.ReplaceAll(w, "totp", "authenticator app")
	if w == "" {
		return ""
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// actionOptions are the audit log's action choices: grouped by what they act
// on ("product.created" under "Product"), each group led by "Every product
// action" (the prefix "product.", which the filter matches as a prefix). A
// current value that is not among them is kept as a choice so a shared URL
// still shows its filter.
func actionOptions(actions []string, current string) []Option {
	var out []Option
	seen := map[string]bool{}
	for _, a := range actions {
		kind, _, _ := strings.Cut(a, ".")
		group := ActionWords(kind)
		if !seen[kind+"."] {
			seen[kind+"."] = true
			out = append(out, Option{Value: kind + ".", Label: "Every " + lowerFirst(group) + " action", Group: group})
		}
		seen[a] = true
		out = append(out, Option{Value: a, Label: ActionWords(a), Group: group})
	}
	if current != "" && !seen[current] {
		out = append([]Option{{Value: current, Label: current}}, out...)
	}
	return out
}

// lowerFirst lowers a phrase's first letter for use mid-sentence, leaving
// acronyms ("API key") alone.
func lowerFirst(s string) string {
	if len(s) < 2 || strings.ToUpper(s[1:2]) == s[1:2] && strings.ToLower(s[1:2]) != s[1:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
