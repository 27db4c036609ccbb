package app

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an Error so each door can map it once to its own answer
// (HTTP status, form re-render, exit code). The zero value is internal, so an
// error nobody classified is never shown to a user as their fault.
type Kind int

// The kinds of error the domain reports.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindUnauthenticated
	KindForbidden
	KindRateLimited
	KindUnavailable
)

// String names the kind, as the REST API's error code does.
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "validation_error"
	case KindNotFound:
		return "not_found"
	case KindConflict:
		return "conflict"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindForbidden:
		return "forbidden"
	case KindRateLimited:
		return "rate_limited"
	case KindUnavailable:
		return "unavailable"
	}
	return "server_error"
}

// Error is the domain's error. Message and Fields are safe to show to the
// caller; Err is the cause, for logs only.
type Error struct {
	Kind       Kind
	Code       string            // machine-readable, e.g. "setup_done"; defaults to Kind.String()
	Message    string            // one sentence for people
	Fields     map[string]string // field name → what is wrong with it
	RetryAfter time.Duration     // for KindRateLimited
	Err        error
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode is Code, or the kind's name when Code is empty.
func (e *Error) ErrorCode() string {
	if e.Code != "" {
		return e.Code
	}
	return e.Kind.String()
}

// AsError finds the domain Error in err's chain; anything else becomes an
// internal error wrapping it.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Message: "Something went wrong on our side.", Err: err}
}

// ErrorKind is the kind of err (KindInternal for foreign errors).
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

func errInvalid(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

func errNotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Message: what + " not found."}
}

func errConflict(code, msg string) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: msg}
}

func errForbidden(msg string) *Error {
	if msg == "" {
		msg = "You do not have permission to do that."
	}
	return &Error{Kind: KindForbidden, Message: msg}
}

func errInternal(format string, args ...any) *Error {
	return &Error{Kind: KindInternal, Message: "Something went wrong on our side.", Err: fmt.Errorf(format, args...)}
}

// fields collects validation messages by field name.
type fields map[string]string

// add records the first problem with a field; later ones would only repeat it.
func (f fields) add(name, msg string) {
	if _, ok := f[name]; !ok {
		f[name] = msg
	}
}

// err is nil when every field passed.
func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return errInvalid(f)
}
