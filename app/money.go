package app

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Money is an amount in minor units (cents). JSON writes it as a decimal
// number with two decimals, as the guide shows prices (29.99).
type Money int64

// maxMoney bounds amounts well inside int64 and any sane price.
const maxMoney Money = 1e13

// String is the amount with two decimals.
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}

// MarshalJSON writes the amount as a JSON number literal.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a decimal number (for clients of the API, such as
// the CLI with --server).
func (m *Money) UnmarshalJSON(b []byte) error {
	v, msg := parseMoney(strings.Trim(string(b), `"`))
	if msg != "" {
		return fmt.Errorf("money %s: %s", b, msg)
	}
	*m = v
	return nil
}

// Decimal is an amount exactly as the caller wrote it: a JSON number
// literal (29.99) or a string ("29.99"). It is never a float, so no rounding
// can hide a third decimal; the domain parses it with the same rules for
// every door.
type Decimal string

// UnmarshalJSON keeps the literal. Anything but a number or string is a
// type error naming the field, like any other wrong type.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, `"`):
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*d = Decimal(str)
	case len(s) > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')):
		*d = Decimal(s)
	default:
		return &json.UnmarshalTypeError{Value: kindOfJSON(s), Type: reflect.TypeFor[Decimal]()}
	}
	return nil
}

func kindOfJSON(s string) string {
	switch {
	case strings.HasPrefix(s, "{"):
		return "object"
	case strings.HasPrefix(s, "["):
		return "array"
	case s == "true" || s == "false":
		return "bool"
	}
	return "value"
}

// parseMoney reads a non-negative decimal with at most two decimals into
// minor units. The second result is what is wrong, or "".
func parseMoney(s string) (Money, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "Enter an amount, like 29.99."
	}
	if strings.HasPrefix(s, "-") {
		return 0, "The amount cannot be negative."
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (dot && (frac == "" || !allDigits(frac))) {
		return 0, "Enter a plain decimal amount, like 29.99."
	}
	if len(frac) > 2 {
		return 0, "Use at most two decimals."
	}
	if len(whole) > 11 {
		return 0, "The amount is too large."
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, "Enter a plain decimal amount, like 29.99."
	}
	cents := int64(0)
	if frac != "" {
		cents, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	m := Money(w*100 + cents)
	if m > maxMoney {
		return 0, "The amount is too large."
	}
	return m, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseEndDate reads "2025-12-31" (midnight UTC at the start of that day) or
// an RFC 3339 timestamp. The second result is what is wrong, or "".
func parseEndDate(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), ""
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), ""
	}
	return time.Time{}, "Use a date like 2025-12-31 or a timestamp like 2025-12-31T00:00:00Z."
}
