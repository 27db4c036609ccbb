package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// decodeJSON reads one JSON object into v. Malformed JSON, unknown fields,
// wrong types and trailing data are 400 invalid_request naming the field.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &requestError{"body", "Send exactly one JSON object; there is more after it."}
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, io.EOF):
		return &requestError{"body", "The request body is empty: send a JSON object."}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &requestError{"body", "The JSON ends too early."}
	case errors.As(err, &syn):
		return &requestError{"body", fmt.Sprintf("Malformed JSON at byte %d.", syn.Offset)}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return &requestError{field, fmt.Sprintf("Expected %s, got %s.", typeName(typ.Type), typ.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one.
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if name == "" {
			// {"": …}: there is no name to point at, so the body is wrong.
			return &requestError{"body", "A field has an empty name."}
		}
		return &requestError{name, "Unknown field."}
	}
	return &requestError{"body", "The request body is not valid JSON."}
}

// typeName says in words what a Go type expects in JSON.
func typeName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	if t.Name() == "Decimal" {
		return "a decimal number"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return typeName(t.Elem())
	}
	return "another type"
}

// page reads the limit and cursor of a list request.
func page(r *http.Request) (cursor string, limit int, err error) {
	q := r.URL.Query()
	if s := q.Get("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 {
			return "", 0, &requestError{"limit", "Use a whole number of at least 1."}
		}
	}
	cursor = q.Get("cursor")
	if cursor != "" && !cursorPattern.MatchString(cursor) {
		return "", 0, &requestError{"cursor", "Unknown cursor: pass next_cursor from the previous page as it is."}
	}
	return cursor, limit, nil
}

// cursorPattern is every cursor a list hands out: an id (prod_…) or a
// sequence number (audit log).
var cursorPattern = regexp.MustCompile(`^(?:[a-z]+_[a-z0-9]{1,64}|[1-9][0-9]{0,18})$`)

// boolParam reads an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, &requestError{name, "Use true or false."}
	}
	return b, nil
}
