package checkin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"huizhan/internal/apperr"
)

// Verdicts and the reasons of a rejection.
const (
	Accepted  = "accepted"
	Duplicate = "duplicate"
	Rejected  = "rejected"

	ReasonForged       = "forged"
	ReasonRevoked      = "revoked"
	ReasonUnknown      = "unknown"
	ReasonWrongEdition = "wrong_edition"
	ReasonNotAllowed   = "not_allowed"
)

// The details of a not_allowed rejection. API.md's reasons are a closed
// list that clients switch on, so these answer reason not_allowed with
// the finer code in detail; a stored scan keeps the finer code as its
// reason, for reports. ReasonExpired is in validity.go.
const (
	ReasonNotYetValid = "not_yet_valid" // before the badge's first valid day, or between its days
	ReasonCategory    = "category"      // the checkpoint does not let the badge's category in
	ReasonClosed      = "closed"        // outside the checkpoint's opening window
	// ReasonPending: the registration is pending approval or waiting for
	// a place (registration.go decides); the scan path only answers it.
	ReasonPending = "pending"
)

// notAllowedDetails are the reasons answered as not_allowed with detail.
var notAllowedDetails = map[string]bool{ReasonExpired: true, ReasonNotYetValid: true,
	ReasonCategory: true, ReasonClosed: true, ReasonPending: true}

// china is the conference's time zone: a scan's day is its Beijing date.
var china = time.FixedZone("CST", 8*3600)

// A device's time is kept as device_at. It is also when the scan counts
// (scanned_at, and the day of a once-a-day rule) if it lies no more than
// maxDeviceLead ahead of the server's clock and no more than maxDeviceLag
// behind it (a station's offline queue, sent when the network is back).
// Otherwise the server's time counts and the scan is stored flagged late.
// Whether a badge is valid and a checkpoint open is always judged on the
// server's clock: a device cannot backdate a scan into an expired badge's
// days or a closed checkpoint's window.
const (
	maxDeviceLead = 5 * time.Minute
	maxDeviceLag  = 12 * time.Hour
)

// Scanner is who scans: the account, the client address, and the device
// (the address, or a device ID the client sends), kept with each scan.
// Forged codes are rate-limited per account and address: the device ID is
// the client's to choose, so it keys nothing.
type Scanner struct {
	UserID    int64
	Organiser bool
	Address   string
	Device    string
}

func (s Scanner) key() string { return fmt.Sprintf("%d|%s", s.UserID, s.Address) }

// ScanInput is one scan as a station sends it.
type ScanInput struct {
	Code      string     `json:"code"`
	ScanID    string     `json:"scan_id"`
	ScannedAt *time.Time `json:"scanned_at"`
}

// Brief is what a verdict says about the attendee.
type Brief struct {
	ID           int64  `json:"id" db:"id"`
	Name         string `json:"name" db:"name"`
	Organisation string `json:"organisation" db:"organisation"`
	Category     string `json:"category" db:"category"`
}

// FirstScan is where and when a duplicate was first accepted.
type FirstScan struct {
	Time         time.Time `json:"time"`
	CheckpointID int64     `json:"checkpoint_id"`
	Checkpoint   string    `json:"checkpoint"`
}

// Result is the verdict on one scan.
type Result struct {
	Verdict      string     `json:"verdict"`
	Reason       string     `json:"reason,omitempty"`
	Message      string     `json:"message,omitempty"`
	Detail       string     `json:"detail,omitempty"` // of not_allowed: expired, not_yet_valid, category, closed, pending
	ScanID       string     `json:"scan_id"`
	CheckpointID int64      `json:"checkpoint_id"`
	ScannedAt    time.Time  `json:"scanned_at"`
	Rehearsal    bool       `json:"rehearsal,omitempty"` // made at a checkpoint in rehearsal
	Late         bool       `json:"late,omitempty"`      // the device's time was not taken (see maxDeviceLag)
	Attendee     *Brief     `json:"attendee,omitempty"`
	First        *FirstScan `json:"first,omitempty"`
}

func validScanID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.:", r)) {
			return false
		}
	}
	return true
}

// Scan judges one scan at a checkpoint and stores it, whatever the verdict,
// before answering. Sending the same scan_id again at the same checkpoint
// answers the stored result and stores nothing; at another checkpoint it
// is a conflict, answered with nothing of the stored scan.
func (s *Store) Scan(ctx context.Context, checkpointID int64, sc Scanner, in ScanInput) (Result, error) {
	rs, err := s.scan(ctx, checkpointID, sc, []ScanInput{in})
	if err != nil {
		var re rowError
		if errors.As(err, &re) {
			return Result{}, re.err
		}
		return Result{}, err
	}
	return rs[0], nil
}

// ScanBatch judges and stores scans sent together (a station's offline
// queue); the results come in the order of the scans.
func (s *Store) ScanBatch(ctx context.Context, checkpointID int64, sc Scanner, ins []ScanInput) ([]Result, error) {
	if len(ins) > maxBatch {
		return nil, apperr.Field("scans", "checkin.batch_too_large", map[string]any{"Max": maxBatch})
	}
	rs, err := s.scan(ctx, checkpointID, sc, ins)
	var re rowError
	if errors.As(err, &re) {
		// Name the scan: the station drops it from its queue.
		ae, _ := apperr.As(re.err)
		key := "checkin.scan_id_invalid"
		if ae != nil && ae.Kind == apperr.Conflict {
			key = "checkin.scan_id_elsewhere"
		} else if ae == nil || ae.Kind != apperr.Invalid {
			return nil, re.err
		}
		kind := apperr.Invalid
		if ae.Kind == apperr.Conflict {
			kind = apperr.Conflict
		}
		return nil, apperr.New(kind, "error.invalid_fields").
			WithDetails(apperr.Detail{Row: re.row + 1, Field: "scan_id", Key: key})
	}
	return rs, err
}

// rowError is the error of one scan of several.
type rowError struct {
	row int
	err error
}

func (e rowError) Error() string { return fmt.Sprintf("scan %d: %v", e.row+1, e.err) }
func (e rowError) Unwrap() error { return e.err }

func (s *Store) scan(ctx context.Context, checkpointID int64, sc Scanner, ins []ScanInput) ([]Result, error) {
	cp, err := s.Checkpoint(ctx, checkpointID)
	if err != nil {
		return nil, err
	}
	if err := s.MayScan(ctx, sc, cp); err != nil {
		return nil, err
	}
	jobs := make([]*scanJob, 0, len(ins))
	rs := make([]Result, len(ins))
	at := make([]int, 0, len(ins)) // the input index of each job
	for i, in := range ins {
		j, err := s.judge(ctx, cp, sc, in)
		if err != nil {
			return nil, rowError{i, err}
		}
		if j.flood {
			// Counted, not stored: see floods.
			s.floods.add(floodKey{checkpoint: cp.ID, user: sc.UserID, address: sc.Address}, j.scan.ServerAt)
			rs[i] = j.result()
			continue
		}
		jobs = append(jobs, j)
		at = append(at, i)
	}
	if len(jobs) == 0 {
		return rs, nil
	}
	done, err := s.writer.submitAll(ctx, jobs)
	if err != nil {
		var re rowError
		if errors.As(err, &re) {
			re.row = at[re.row]
			return nil, re
		}
		return nil, err
	}
	for k, r := range done {
		rs[at[k]] = r
	}
	return rs, nil
}

// maxBatch caps one batch; a station sends a long queue in several.
const maxBatch = 500

// judge works out everything about a scan that does not depend on earlier
// scans; the writer settles accepted against duplicate in order.
func (s *Store) judge(ctx context.Context, cp Checkpoint, sc Scanner, in ScanInput) (*scanJob, error) {
	if !validScanID(in.ScanID) {
		return nil, apperr.Field("scan_id", "checkin.scan_id_invalid", nil)
	}
	// Microseconds, as PostgreSQL stores them: the answer given now and
	// the one rebuilt from the database for a replay then say the same.
	now := s.now().UTC().Truncate(time.Microsecond)
	at, late := now, false
	var deviceAt *time.Time
	if in.ScannedAt != nil {
		d := in.ScannedAt.UTC().Truncate(time.Microsecond)
		deviceAt = &d
		if d.After(now.Add(maxDeviceLead)) || d.Before(now.Add(-maxDeviceLag)) {
			late = true
		} else {
			at = d
		}
	}
	code := CodeFrom(in.Code)
	j := &scanJob{scan: scanRow{
		ScanID: in.ScanID, CheckpointID: cp.ID, EditionID: cp.EditionID, Code: truncate(code, 200),
		Verdict: Accepted, UserID: nullID(sc.UserID), Device: truncate(sc.Device, 100),
		DeviceAt: deviceAt, ServerAt: now, ScannedAt: at, Day: at.In(china).Format(time.DateOnly),
		Rehearsal: cp.Rehearsal, Late: late,
	}, rule: cp.Rule, checkpoint: cp.Name}
	k, reason, flood, err := s.identify(ctx, code, sc, cp)
	if err != nil {
		return nil, err
	}
	j.flood = flood
	// The server's clock judges (see maxDeviceLead). A checkpoint in
	// rehearsal takes badges on any day and at any hour.
	if reason == "" {
		reason = admits(cp, k, now)
	}
	if reason == "" && !cp.Rehearsal {
		start, err := s.editionStart(ctx, cp.EditionID)
		if err != nil {
			return nil, err
		}
		reason = validity(k.days, start, now)
	}
	if k.attendee.ID != 0 {
		brief := k.attendee
		j.attendee, j.scan.AttendeeID = &brief, &brief.ID
	}
	if reason != "" {
		j.scan.Verdict, j.scan.Reason = Rejected, reason
	}
	return j, nil
}

// admits checks the checkpoint's own conditions: category and time
// window (validity checks the days the badge is valid on). A checkpoint
// in rehearsal keeps no hours.
func admits(cp Checkpoint, k known, now time.Time) string {
	switch {
	case !cp.Categories.Allows(k.attendee.Category):
		return ReasonCategory
	case !cp.Rehearsal && !cp.Open(now):
		return ReasonClosed
	}
	return ""
}

// floodAfter is how many forged codes of one account and address in a
// burst are stored scan by scan; beyond it they are only counted.
const floodAfter = 5

// identify finds who a code belongs to. A code seen before is answered
// from memory; a new one costs a signature check and a lookup, and a
// scanner (account and address) that keeps sending forged codes is
// refused those. flood says a forged code is one of a flood: counted,
// not stored.
func (s *Store) identify(ctx context.Context, code string, sc Scanner, cp Checkpoint) (k known, reason string, flood bool, err error) {
	editionID := cp.EditionID
	k, ok, epoch := s.codes.get(code)
	if !ok {
		if s.limiter.blocked(sc.key()) {
			s.floods.add(floodKey{checkpoint: cp.ID, user: sc.UserID, address: sc.Address}, s.now().UTC())
			return known{}, "", false, apperr.New(apperr.RateLimited, "checkin.too_many_forged")
		}
		claims, err := s.keys.Verify(code)
		if err != nil {
			used := s.limiter.forged(sc.key())
			return known{}, ReasonForged, used > floodAfter, nil
		}
		if claims.EditionID != editionID {
			// Not cached: the answer depends on the checkpoint.
			return known{}, ReasonWrongEdition, false, nil
		}
		a, err := s.Attendee(ctx, claims.AttendeeID)
		if apperr.KindOf(err) == apperr.NotFound || err == nil && a.EditionID != claims.EditionID {
			return known{}, ReasonUnknown, false, nil
		}
		if err != nil {
			return known{}, "", false, err
		}
		k = known{attendee: Brief{ID: a.ID, Name: a.Name, Organisation: a.Organisation, Category: a.Category},
			edition: a.EditionID, days: claims.Days, revoked: a.Code != code,
			pending: a.Status == StatusPending || a.Status == StatusWaiting}
		s.codes.put(code, k, epoch)
	}
	switch {
	case k.edition != editionID:
		return known{}, ReasonWrongEdition, false, nil
	case k.revoked:
		return k, ReasonRevoked, false, nil
	case k.pending:
		return k, ReasonPending, false, nil
	}
	return k, "", false, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
