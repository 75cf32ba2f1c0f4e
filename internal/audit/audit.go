package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/pii"
)

// Actor is who makes a change: an account, the public (an unsigned
// request, such as a registration) or the system (a command, a job).
type Actor struct {
	Account string // username, "public" or "system"
	Address string // the client's address; empty for the command line
}

// Public and System are the actors that are not accounts.
const (
	Public = "public"
	System = "system"
)

type actorKey struct{}

// WithActor returns ctx carrying the actor of the changes made under it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the actor in ctx; without one it is the system.
func ActorOf(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Account != "" {
		return a
	}
	return Actor{Account: System}
}

// Change is one field's value before and after; nil where the field did
// not exist (on create) or no longer does (on delete).
type Change [2]any

// Entry is one row of the trail.
type Entry struct {
	ID       int64             `db:"id" json:"id"`
	At       time.Time         `db:"at" json:"at"`
	Account  string            `db:"account" json:"account"`
	Address  string            `db:"address" json:"address"`
	Entity   string            `db:"entity" json:"entity"`
	EntityID int64             `db:"entity_id" json:"entity_id"`
	Action   string            `db:"action" json:"action"`
	Changes  map[string]Change `db:"-" json:"changes"`
	RawJSON  string            `db:"changes" json:"-"`
}

// Record writes one row in tx for a change of entity id by the actor in
// ctx. changes are masked before they are stored.
func Record(ctx context.Context, tx *sqlx.Tx, entity string, id int64, action string, changes map[string]Change) error {
	a := ActorOf(ctx)
	masked := make(map[string]Change, len(changes))
	for k, c := range changes {
		f := k
		if k == "name" && !people[entity] {
			f = "" // an edition's or a zone's name is no one's personal data
		}
		masked[k] = Change{Mask(f, c[0]), Mask(f, c[1])}
	}
	js, err := json.Marshal(masked)
	if err != nil {
		return fmt.Errorf("audit %s %d: %w", entity, id, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, account, address, entity, entity_id, action, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, time.Now().UTC(), a.Account, a.Address, entity, id, action, string(js))
	if err != nil {
		return fmt.Errorf("audit %s %d: %w", entity, id, err)
	}
	return nil
}

// people are the entities whose "name" is a person's.
var people = map[string]bool{"attendee": true, "contact": true}

// personal names the fields whose values the trail masks.
var personal = map[string]func(string) string{
	"phone":         pii.MaskPhone,
	"contact_phone": pii.MaskPhone,
	"email":         maskEmail,
	"name":          maskName,
	"contact_name":  maskName,
}

// Mask hides a personal field's value: phones as 138****0001, e-mail as
// z***@example.com, a person's name as 张*. Other fields pass unchanged.
func Mask(field string, v any) any {
	f, ok := personal[field]
	if !ok || v == nil {
		return v
	}
	s, ok := v.(string)
	if !ok {
		return v
	}
	return f(s)
}

func maskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + "*"
}

func maskEmail(s string) string {
	if s == "" {
		return ""
	}
	user, domain, ok := strings.Cut(s, "@")
	if !ok || user == "" {
		return "***"
	}
	return string([]rune(user)[0]) + "***@" + domain
}

// Diff compares two values of one struct type field by field, by their
// JSON names, and returns the fields that differ (a field empty on both
// sides does not). Fields tagged json:"-", the ID and the bookkeeping
// times (created_at, updated_at) are left out. Either
// side may be nil: Diff(nil, created) lists every field as new.
func Diff(before, after any) map[string]Change {
	b, a := fields(before), fields(after)
	out := map[string]Change{}
	for k, av := range a {
		if bv := b[k]; !reflect.DeepEqual(bv, av) {
			out[k] = Change{bv, av}
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok && bv != nil {
			out[k] = Change{bv, nil}
		}
	}
	return out
}

// fields is v as a map of JSON names to JSON values.
func fields(v any) map[string]any {
	m := map[string]any{}
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return m
	}
	js, err := json.Marshal(v)
	if err != nil {
		return m
	}
	if json.Unmarshal(js, &m) != nil {
		return map[string]any{}
	}
	// The row names the record; its bookkeeping times are the row's own.
	for _, k := range []string{"id", "created_at", "updated_at"} {
		delete(m, k)
	}
	return m
}
