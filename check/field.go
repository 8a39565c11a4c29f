// Package check holds the validation shared by step and output kinds:
// errors tied to an attribute, and checks of paths, modes and names that
// run without root or network.
package check

import (
	"errors"
	"fmt"
)

// FieldError is a Check failure tied to one attribute, so that a
// diagnostic can point at the attribute's source range.
type FieldError struct {
	Attr string // attribute name as written in HCL, "" for the block
	Err  error
}

// Error prefixes the message with the attribute's name, when there is one.
func (e *FieldError) Error() string {
	if e.Attr == "" {
		return e.Err.Error()
	}
	return e.Attr + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// Fieldf returns a *FieldError for attr with a formatted message.
func Fieldf(attr, format string, args ...any) error {
	return &FieldError{Attr: attr, Err: fmt.Errorf(format, args...)}
}

// Fields flattens err (possibly joined) into FieldErrors; an error that is
// not a FieldError comes back with an empty Attr.
func Fields(err error) []*FieldError {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*FieldError
		for _, e := range j.Unwrap() {
			out = append(out, Fields(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return []*FieldError{{Err: err}}
}
