package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/db"
)

// scanRow is a row of scans.
type scanRow struct {
	ID           int64      `db:"id"`
	ScanID       string     `db:"scan_id"`
	CheckpointID int64      `db:"checkpoint_id"`
	EditionID    int64      `db:"edition_id"`
	AttendeeID   *int64     `db:"attendee_id"`
	Code         string     `db:"code"`
	Verdict      string     `db:"verdict"`
	Reason       string     `db:"reason"`
	FirstID      *int64     `db:"first_id"`
	UserID       *int64     `db:"user_id"`
	Device       string     `db:"device"`
	DeviceAt     *time.Time `db:"device_at"`
	ServerAt     time.Time  `db:"server_at"`
	ScannedAt    time.Time  `db:"scanned_at"`
	Day          string     `db:"day"`
}

// scanJob is one judged scan on its way to the database.
type scanJob struct {
	scan       scanRow
	rule       string
	checkpoint string
	attendee   *Brief
	done       chan jobDone
}

type jobDone struct {
	res Result
	err error
}

// writer commits scans in groups. Handlers queue jobs; one goroutine takes
// every job waiting, settles them in one transaction on the write
// connection (duplicates, replays of a scan_id, inserts) and answers each
// only after the commit. While one group is being synced to disk the next
// one gathers, so the cost of a durable commit is shared by all the scans
// that arrived during it.
type writer struct {
	db   *db.DB
	live *hub
	log  *slog.Logger
	jobs chan *scanJob
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// maxGroup bounds one transaction so that other writers, which wait for the
// single connection, are not held up long.
const maxGroup = 512

func startWriter(d *db.DB, live *hub, log *slog.Logger) *writer {
	w := &writer{db: d, live: live, log: log, jobs: make(chan *scanJob, 4096), quit: make(chan struct{})}
	w.wg.Add(1)
	go w.run()
	return w
}

func (w *writer) stop() {
	w.once.Do(func() { close(w.quit) })
	w.wg.Wait()
}

var errWriterStopped = errors.New("scan writer stopped")

func (w *writer) submit(ctx context.Context, j *scanJob) (Result, error) {
	rs, err := w.submitAll(ctx, []*scanJob{j})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// submitAll queues jobs and waits for all their results. A job already
// queued is committed even if ctx ends meanwhile: the client may not hear
// the answer, but a retry with its scan_id gets it.
func (w *writer) submitAll(ctx context.Context, jobs []*scanJob) ([]Result, error) {
	for _, j := range jobs {
		j.done = make(chan jobDone, 1)
		select {
		case w.jobs <- j:
		case <-w.quit:
			return nil, errWriterStopped
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	rs := make([]Result, len(jobs))
	for i, j := range jobs {
		select {
		case d := <-j.done:
			if d.err != nil {
				return nil, d.err
			}
			rs[i] = d.res
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return rs, nil
}

func (w *writer) run() {
	defer w.wg.Done()
	group := make([]*scanJob, 0, maxGroup)
	for {
		select {
		case j := <-w.jobs:
			group = append(group[:0], j)
		case <-w.quit:
			return
		}
	more:
		for len(group) < maxGroup {
			select {
			case j := <-w.jobs:
				group = append(group, j)
			default:
				break more
			}
		}
		w.commit(group)
	}
}

// commit settles and stores one group, then answers every job in it.
func (w *writer) commit(group []*scanJob) {
	results := make([]Result, len(group))
	editions := map[int64]bool{}
	err := w.db.Tx(context.Background(), func(tx *sqlx.Tx) error {
		clear(editions)
		st, err := prepare(tx)
		if err != nil {
			return err
		}
		defer st.close()
		for i, j := range group {
			if results[i], err = st.settle(j); err != nil {
				return err
			}
			editions[j.scan.EditionID] = true
		}
		return nil
	})
	if err != nil {
		w.log.Error("commit scans", "count", len(group), "err", err)
	}
	for i, j := range group {
		j.done <- jobDone{res: results[i], err: err}
	}
	if err == nil {
		for e := range editions {
			w.live.bump(e)
		}
	}
}

// stmts are the statements of one group, prepared once per transaction.
type stmts struct {
	tx                  *sqlx.Tx
	byScanID, first, in *sqlx.Stmt
}

func prepare(tx *sqlx.Tx) (*stmts, error) {
	s := &stmts{tx: tx}
	var err error
	if s.byScanID, err = tx.Preparex(`SELECT id FROM scans WHERE scan_id = ?`); err != nil {
		return nil, fmt.Errorf("prepare scan lookup: %w", err)
	}
	if s.first, err = tx.Preparex(`SELECT id, scanned_at FROM scans
		WHERE checkpoint_id = ? AND attendee_id = ? AND verdict = 'accepted' AND (? = '' OR day = ?)
		ORDER BY id LIMIT 1`); err != nil {
		s.close()
		return nil, fmt.Errorf("prepare duplicate lookup: %w", err)
	}
	// A replayed scan_id inserts nothing: the conflict clause tells us so
	// without a look-up before every insert, and replays are rare.
	if s.in, err = tx.Preparex(`INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code,
		verdict, reason, first_id, user_id, device, device_at, server_at, scanned_at, day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING`); err != nil {
		s.close()
		return nil, fmt.Errorf("prepare scan insert: %w", err)
	}
	return s, nil
}

func (s *stmts) close() {
	for _, st := range []*sqlx.Stmt{s.byScanID, s.first, s.in} {
		if st != nil {
			st.Close()
		}
	}
}

// settle decides one scan against those stored before it (in this
// transaction too) and inserts it, or answers the stored result of an
// earlier submission with the same scan_id.
func (s *stmts) settle(j *scanJob) (Result, error) {
	// A copy: a transaction retried after SQLITE_BUSY settles afresh.
	row := j.scan
	r := &row
	res := Result{Verdict: r.Verdict, Reason: r.Reason, ScanID: r.ScanID, CheckpointID: r.CheckpointID,
		ScannedAt: r.ScannedAt, Attendee: j.attendee}
	if r.Verdict == Accepted && j.rule != "multiple" {
		day := ""
		if j.rule == "once_per_day" {
			day = r.Day
		}
		var f struct {
			ID        int64     `db:"id"`
			ScannedAt time.Time `db:"scanned_at"`
		}
		err := s.first.Get(&f, r.CheckpointID, *r.AttendeeID, day, day)
		if err == nil {
			r.Verdict, r.FirstID = Duplicate, &f.ID
			res.Verdict = Duplicate
			res.First = &FirstScan{Time: f.ScannedAt, CheckpointID: r.CheckpointID, Checkpoint: j.checkpoint}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return Result{}, fmt.Errorf("look up first scan: %w", err)
		}
	}
	ins, err := s.in.Exec(r.ScanID, r.CheckpointID, r.EditionID, r.AttendeeID, r.Code, r.Verdict, r.Reason,
		r.FirstID, r.UserID, r.Device, r.DeviceAt, r.ServerAt, r.ScannedAt, r.Day)
	if err != nil {
		return Result{}, fmt.Errorf("insert scan %s: %w", r.ScanID, err)
	}
	if n, err := ins.RowsAffected(); err != nil || n == 1 {
		return res, err
	}
	// The same scan_id was stored before: answer what it was answered then.
	var prior int64
	if err := s.byScanID.Get(&prior, r.ScanID); err != nil {
		return Result{}, fmt.Errorf("look up scan %s: %w", r.ScanID, err)
	}
	return storedResult(context.Background(), s.tx, prior)
}

// storedResult rebuilds the answer given to a stored scan.
func storedResult(ctx context.Context, q sqlx.QueryerContext, id int64) (Result, error) {
	var row struct {
		scanRow
		Name         *string    `db:"name"`
		Organisation *string    `db:"organisation"`
		Category     *string    `db:"category"`
		FirstAt      *time.Time `db:"first_at"`
		FirstPoint   *int64     `db:"first_point"`
		FirstName    *string    `db:"first_name"`
	}
	err := sqlx.GetContext(ctx, q, &row, `SELECT s.*, a.name, a.organisation, a.category,
		f.scanned_at AS first_at, f.checkpoint_id AS first_point, fc.name AS first_name
		FROM scans s LEFT JOIN attendees a ON a.id = s.attendee_id
		LEFT JOIN scans f ON f.id = s.first_id LEFT JOIN checkpoints fc ON fc.id = f.checkpoint_id
		WHERE s.id = ?`, id)
	if err != nil {
		return Result{}, fmt.Errorf("read stored scan %d: %w", id, err)
	}
	r := Result{Verdict: row.Verdict, Reason: row.Reason, ScanID: row.ScanID,
		CheckpointID: row.CheckpointID, ScannedAt: row.ScannedAt}
	if row.AttendeeID != nil && row.Name != nil {
		r.Attendee = &Brief{ID: *row.AttendeeID, Name: *row.Name, Organisation: *row.Organisation, Category: *row.Category}
	}
	if row.FirstAt != nil {
		r.First = &FirstScan{Time: *row.FirstAt, CheckpointID: *row.FirstPoint, Checkpoint: *row.FirstName}
	}
	return r, nil
}
