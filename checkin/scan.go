package checkin

import (
	"context"
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

// china is the conference's time zone: a scan's day is its Beijing date.
var china = time.FixedZone("CST", 8*3600)

// maxDeviceLead is how far in the future a device's clock may put a scan
// before the server's time is used instead.
const maxDeviceLead = 5 * time.Minute

// Scanner is who scans: the account, and the device it scans from (the
// client address, or a device ID the client sends). Forged codes are
// rate-limited per scanner.
type Scanner struct {
	UserID    int64
	Organiser bool
	Device    string
}

func (s Scanner) key() string { return fmt.Sprintf("%d|%s", s.UserID, s.Device) }

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
	Detail       string     `json:"detail,omitempty"` // a finer reason than API.md's list: "expired"
	ScanID       string     `json:"scan_id"`
	CheckpointID int64      `json:"checkpoint_id"`
	ScannedAt    time.Time  `json:"scanned_at"`
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
// before answering. Sending the same scan_id again answers the stored
// result and stores nothing.
func (s *Store) Scan(ctx context.Context, checkpointID int64, sc Scanner, in ScanInput) (Result, error) {
	cp, err := s.Checkpoint(ctx, checkpointID)
	if err != nil {
		return Result{}, err
	}
	if err := s.MayScan(ctx, sc, cp); err != nil {
		return Result{}, err
	}
	job, err := s.judge(ctx, cp, sc, in)
	if err != nil {
		return Result{}, err
	}
	return s.writer.submit(ctx, job)
}

// ScanBatch judges and stores scans sent together (a station's offline
// queue); the results come in the order of the scans.
func (s *Store) ScanBatch(ctx context.Context, checkpointID int64, sc Scanner, ins []ScanInput) ([]Result, error) {
	if len(ins) > maxBatch {
		return nil, apperr.Field("scans", "checkin.batch_too_large", map[string]any{"Max": maxBatch})
	}
	cp, err := s.Checkpoint(ctx, checkpointID)
	if err != nil {
		return nil, err
	}
	if err := s.MayScan(ctx, sc, cp); err != nil {
		return nil, err
	}
	jobs := make([]*scanJob, len(ins))
	for i, in := range ins {
		if jobs[i], err = s.judge(ctx, cp, sc, in); err != nil {
			if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
				return nil, apperr.New(apperr.Invalid, "error.invalid_fields").
					WithDetails(apperr.Detail{Row: i + 1, Field: "scan_id", Key: "checkin.scan_id_invalid"})
			}
			return nil, err
		}
	}
	return s.writer.submitAll(ctx, jobs)
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
	at := now
	var deviceAt *time.Time
	if in.ScannedAt != nil {
		d := in.ScannedAt.UTC().Truncate(time.Microsecond)
		deviceAt = &d
		if !d.After(now.Add(maxDeviceLead)) {
			at = d
		}
	}
	code := CodeFrom(in.Code)
	j := &scanJob{scan: scanRow{
		ScanID: in.ScanID, CheckpointID: cp.ID, EditionID: cp.EditionID, Code: truncate(code, 200),
		Verdict: Accepted, UserID: nullID(sc.UserID), Device: truncate(sc.Device, 100),
		DeviceAt: deviceAt, ServerAt: now, ScannedAt: at, Day: at.In(china).Format(time.DateOnly),
	}, rule: cp.Rule, checkpoint: cp.Name}
	k, reason, err := s.identify(ctx, code, sc, cp.EditionID)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		reason = admits(cp, k, at)
	}
	if reason == "" {
		start, err := s.editionStart(ctx, cp.EditionID)
		if err != nil {
			return nil, err
		}
		reason = validity(k.days, start, at)
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
// window (validity checks the days the badge is valid on).
func admits(cp Checkpoint, k known, at time.Time) string {
	if !cp.Categories.Allows(k.attendee.Category) || !cp.Open(at) {
		return ReasonNotAllowed
	}
	return ""
}

// identify finds who a code belongs to. A code seen before is answered
// from memory; a new one costs a signature check and a lookup, and a
// scanner that keeps sending forged codes is refused those.
func (s *Store) identify(ctx context.Context, code string, sc Scanner, editionID int64) (known, string, error) {
	k, ok, epoch := s.codes.get(code)
	if !ok {
		if s.limiter.blocked(sc.key()) {
			return known{}, "", apperr.New(apperr.RateLimited, "checkin.too_many_forged")
		}
		claims, err := s.keys.Verify(code)
		if err != nil {
			s.limiter.forged(sc.key())
			return known{}, ReasonForged, nil
		}
		if claims.EditionID != editionID {
			// Not cached: the answer depends on the checkpoint.
			return known{}, ReasonWrongEdition, nil
		}
		a, err := s.Attendee(ctx, claims.AttendeeID)
		if apperr.KindOf(err) == apperr.NotFound || err == nil && a.EditionID != claims.EditionID {
			return known{}, ReasonUnknown, nil
		}
		if err != nil {
			return known{}, "", err
		}
		k = known{attendee: Brief{ID: a.ID, Name: a.Name, Organisation: a.Organisation, Category: a.Category},
			edition: a.EditionID, days: claims.Days, revoked: a.Code != code,
			pending: a.Status == StatusPending || a.Status == StatusWaiting}
		s.codes.put(code, k, epoch)
	}
	switch {
	case k.edition != editionID:
		return known{}, ReasonWrongEdition, nil
	case k.revoked:
		return k, ReasonRevoked, nil
	case k.pending:
		return k, ReasonPending, nil
	}
	return k, "", nil
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
