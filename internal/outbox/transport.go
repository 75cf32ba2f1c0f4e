package outbox

import (
	"context"
	"errors"
)

// Outgoing is one message as a transport sends it.
type Outgoing struct {
	ID          int64
	Key         string // idempotency key: the e-mail's Message-ID, the SMS out-id
	Channel     Channel
	To          string
	Lang        string
	Subject     string
	Body        string
	Unsubscribe string // e-mail: the recipient's unsubscribe link
}

// Transport hands a message to a provider and returns the provider's
// answer (queue ID, request ID) for the record.
type Transport interface {
	Send(ctx context.Context, m Outgoing) (answer string, err error)
}

// permanentError marks a failure that another attempt cannot fix (a
// rejected address, a refused template): the message fails at once.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as a failure not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
