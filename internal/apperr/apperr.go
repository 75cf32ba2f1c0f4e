// Package apperr is the small, closed set of error kinds that every store and
// handler speaks. Domain code says what went wrong (a kind and a message key
// from the catalogue); internal/web alone decides how that looks over HTTP.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

const (
	// Internal is the zero value so that an unclassified error is never
	// mistaken for the caller's fault.
	Internal Kind = iota
	Invalid
	Malformed // the request could not be read at all (bad JSON): 400, code "invalid"
	Unauthenticated
	Forbidden
	NotFound
	Conflict
	TooLarge
	RateLimited
)

// Code is the machine-readable name of the kind used in API answers.
func (k Kind) Code() string {
	switch k {
	case Invalid, Malformed:
		return "invalid"
	case Unauthenticated:
		return "unauthenticated"
	case Forbidden:
		return "forbidden"
	case NotFound:
		return "not_found"
	case Conflict:
		return "conflict"
	case TooLarge:
		return "too_large"
	case RateLimited:
		return "rate_limited"
	default:
		return "internal"
	}
}

// Detail points at one field, row or clash that made a request fail. Key and
// Args name a catalogue message so that it can be shown in the reader's
// language.
type Detail struct {
	Field  string         `json:"field,omitempty"`
	Row    int            `json:"row,omitempty"`
	Column string         `json:"column,omitempty"`
	Kind   string         `json:"kind,omitempty"`
	With   any            `json:"with,omitempty"`
	Key    string         `json:"-"`
	Args   map[string]any `json:"-"`
}

// Error is an error with a kind, a catalogue message and optional details.
type Error struct {
	Kind    Kind
	Key     string         // message catalogue id, e.g. "edition.not_found"
	Args    map[string]any // template data for the message
	Details []Detail
	Err     error // the underlying cause, logged for Internal errors only
	// RetryAfter tells a RateLimited caller when to try again (HTTP's
	// Retry-After); zero says nothing.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	msg := e.Kind.Code()
	if e.Key != "" {
		msg += ": " + e.Key
	}
	if len(e.Args) > 0 {
		msg += fmt.Sprint(" ", e.Args)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with the catalogue message key.
func New(k Kind, key string) *Error { return &Error{Kind: k, Key: key} }

// With returns a copy of e carrying message arguments.
func (e *Error) With(args map[string]any) *Error {
	c := *e
	c.Args = args
	return &c
}

// After returns a copy of e telling the caller to retry after d.
func (e *Error) After(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// WithDetails returns a copy of e carrying details.
func (e *Error) WithDetails(d ...Detail) *Error {
	c := *e
	c.Details = append(append([]Detail(nil), e.Details...), d...)
	return &c
}

// Field is shorthand for an Invalid error that names one field.
func Field(field, key string, args map[string]any) *Error {
	return &Error{Kind: Invalid, Key: "error.invalid_fields",
		Details: []Detail{{Field: field, Key: key, Args: args}}}
}

// Wrap marks err as internal, keeping it for the log. It returns nil for nil.
func Wrap(err error, op string) error {
	if err == nil {
		return nil
	}
	var ae *Error
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// KindOf reports the kind of err; errors without one are Internal.
func KindOf(err error) Kind {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Kind
	}
	return Internal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var ae *Error
	ok := errors.As(err, &ae)
	return ae, ok
}
