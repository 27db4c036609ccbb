package app

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// checkSlug applies SPEC §3: lowercase [a-z0-9-], 2–64 characters. Leading
// and trailing hyphens are refused too, since they make ugly URLs.
func checkSlug(f fields, name, slug string) {
	switch {
	case slug == "":
		f.add(name, "Enter a slug.")
	case len(slug) < 2 || len(slug) > 64:
		f.add(name, "Use 2 to 64 characters.")
	case !slugPattern.MatchString(slug):
		f.add(name, "Use lowercase letters, digits and hyphens, starting and ending with a letter or digit.")
	}
}

// Slugify derives a slug from a name: lowercase ASCII letters and digits,
// everything else folded into single hyphens.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case b.Len() > 0 && !hyphen:
			b.WriteByte('-')
			hyphen = true
		}
		if b.Len() >= 64 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// checkName requires a non-empty, printable name of at most max characters.
// A missing one is asked for as every form asks for a missing field, "Enter
// a slug." / "Enter a name.": what is that noun with its article.
func checkName(f fields, field, what, value string, max int) string {
	value = strings.TrimSpace(value)
	switch {
	case value == "":
		f.add(field, "Enter "+what+".")
	case utf8.RuneCountInString(value) > max:
		f.add(field, "This is too long.")
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		f.add(field, "Remove the control characters.")
	}
	return value
}

// normalizeEmail trims an email and checks it is one plain address. The
// second result is its lower-cased key, unique across users.
func normalizeEmail(f fields, field, email string) (string, string) {
	email = strings.TrimSpace(email)
	if email == "" {
		f.add(field, "Enter an email address.")
		return email, ""
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") && !strings.HasSuffix(email, "@localhost") {
		f.add(field, "Enter a valid email address, like name@example.com.")
		return email, ""
	}
	return email, strings.ToLower(email)
}
