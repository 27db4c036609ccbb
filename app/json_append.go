package app

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// The appendJSON helpers write the few shapes the hot answers are made of
// (strings, string lists, integers, booleans, times) exactly as
// EncodeJSON writes them, without reflection or a copy of the value: the
// licence check is answered thousands of times a second and its shape is
// fixed. Tests compare every hand-written encoder with EncodeJSON over
// generated and fuzzed values, so the two cannot drift apart silently.

const hexDigits = "0123456789abcdef"

// appendJSONString is encoding/json's string encoding with HTML escaping
// (its default): <, > and & as \u003c, \u003e and \u0026, the control
// characters with the short escapes \b \f \n \r \t or \u00XX, invalid
// UTF-8 as \ufffd, and U+2028 and U+2029 escaped for JSONP's sake.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONStrings writes a []string as encoding/json does: null when
// nil, [] when empty.
func appendJSONStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func appendJSONBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func appendJSONInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// appendJSONTime writes t as EncodeJSON does: at TimePrecision in UTC, in
// RFC 3339, and the same error time.Time.MarshalJSON gives for a year
// outside 0–9999.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	t = t.UTC().Truncate(TimePrecision)
	if y := t.Year(); y < 0 || y > 9999 {
		return b, fmt.Errorf("encode time: year %d outside [0,9999]", y)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}
