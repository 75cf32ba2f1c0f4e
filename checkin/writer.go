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

	"huizhan/internal/apperr"
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
	Rehearsal    bool       `db:"rehearsal"`
	Late         bool       `db:"late"`
}

// scanJob is one judged scan on its way to the database.
type scanJob struct {
	scan       scanRow
	rule       string
	checkpoint string
	attendee   *Brief
	flood      bool // a forged code of a flood: counted, not stored
	done       chan jobDone
}

// result is the answer to the job before the writer settles it.
func (j *scanJob) result() Result {
	r := j.scan
	return Result{Verdict: r.Verdict, Reason: r.Reason, ScanID: r.ScanID, CheckpointID: r.CheckpointID,
		ScannedAt: r.ScannedAt, Attendee: j.attendee, Rehearsal: r.Rehearsal, Late: r.Late}
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
	// committed hands a committed group to the syncer. Unbuffered: the
	// writer commits at most one group ahead of the disk, and the jobs
	// that arrive meanwhile make the next group larger.
	committed chan settledGroup
	quit      chan struct{}
	wg        sync.WaitGroup
	once      sync.Once
	st        *stmts
	firsts    *firstCache
}

// errScanIDElsewhere answers a scan_id already stored at another
// checkpoint.
var errScanIDElsewhere = apperr.New(apperr.Conflict, "checkin.scan_id_elsewhere")

// maxGroup bounds one transaction so that other writers, which wait for the
// single connection, are not held up long.
const maxGroup = 512

func startWriter(d *db.DB, live *hub, log *slog.Logger) *writer {
	w := &writer{db: d, live: live, log: log, jobs: make(chan *scanJob, 4096), quit: make(chan struct{}),
		committed: make(chan settledGroup), firsts: newBoundedMap[firstKey, firstScan](200_000)}
	w.wg.Add(2)
	go w.run()
	go w.sync()
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
	var rowErr error
	for i, j := range jobs {
		select {
		case d := <-j.done:
			var re rowError
			if errors.As(d.err, &re) {
				// This scan's own error: the others were stored.
				if rowErr == nil {
					rowErr = rowError{i, re.err}
				}
				continue
			}
			if d.err != nil {
				return nil, d.err
			}
			rs[i] = d.res
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if rowErr != nil {
		return nil, rowErr
	}
	return rs, nil
}

func (w *writer) run() {
	defer w.wg.Done()
	defer close(w.committed)
	defer func() {
		if w.st != nil {
			w.st.close()
		}
	}()
	for {
		var group []*scanJob
		select {
		case j := <-w.jobs:
			group = append(make([]*scanJob, 0, 32), j)
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
		w.committed <- w.commit(group)
	}
}

// settledGroup is a committed group on its way to the disk.
type settledGroup struct {
	jobs    []*scanJob
	results []Result
	errs    []error // per job, when the group committed
	err     error
}

// commit settles and stores one group without waiting for the disk.
func (w *writer) commit(group []*scanJob) settledGroup {
	results := make([]Result, len(group))
	errs := make([]error, len(group)) // each scan's own error; the group goes on
	var learnt []firstEntry
	var err error
	if w.st == nil {
		// Prepared on first use, by the writer's goroutine that alone
		// uses them: the store is made before its tables may exist.
		w.st, err = prepare(w.db)
	}
	if err == nil {
		err = w.db.TxUnsynced(context.Background(), func(tx *sqlx.Tx) error {
			learnt = learnt[:0]
			if err := w.exclude(tx); err != nil {
				return err
			}
			in := w.st.bind(tx)
			defer in.close()
			for i, j := range group {
				var err error
				results[i], err = in.settle(j, w.firsts, &learnt)
				var re rowError
				if errors.As(err, &re) {
					errs[i] = re
					continue
				}
				if err != nil {
					return err
				}
				errs[i] = nil
			}
			return nil
		})
	}
	if err != nil {
		w.log.Error("commit scans", "count", len(group), "err", err)
	} else {
		// Only once committed: a rolled-back group accepted nothing.
		for _, e := range learnt {
			w.firsts.put(e.key, e.first)
		}
	}
	return settledGroup{jobs: group, results: results, errs: errs, err: err}
}

// exclude makes the scan writers of all instances sharing a PostgreSQL
// database take turns, as SQLite's single write lock makes them do.
//
// The SERIALIZABLE transaction alone already keeps two instances from both
// accepting the first scan of an attendee: each group reads where the
// other inserts, and one of them fails and is retried. But a group of many
// scans reads so much of the scans_first index that its predicate locks
// grow to the whole index, and then nearly every pair of concurrent groups
// conflicts: the loser redoes its whole group, and under steady load may
// use up db.Tx's retries and fail every scan in it (two instances in
// TestTwoInstancesAcceptOneFirstScan needed up to 5 of its 6 attempts).
// Waiting for the table lock first costs one statement per group instead,
// and no retries. A deletion cascading into scans (of a checkpoint, say)
// can deadlock with a group; PostgreSQL ends one and db.Tx retries it,
// as it does a serialization failure. LOCK takes no
// snapshot, so the group's snapshot, taken by its first query after the
// wait, sees every group committed before it. SHARE ROW EXCLUSIVE excludes
// only writers of scans (and itself); readers, and leads pointing at
// scans, go on.
func (w *writer) exclude(tx *sqlx.Tx) error {
	if w.db.Dialect() != db.Postgres {
		return nil
	}
	if _, err := tx.Exec(`LOCK TABLE scans IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("wait for other scan writers: %w", err)
	}
	return nil
}

// sync makes each committed group durable and then answers its jobs.
func (w *writer) sync() {
	defer w.wg.Done()
	for g := range w.committed {
		err := g.err
		if err == nil {
			if err = w.db.SyncCommitted(); err != nil {
				w.log.Error("sync scans", "count", len(g.jobs), "err", err)
			}
		}
		editions := map[int64]bool{}
		for i, j := range g.jobs {
			jerr := err
			if jerr == nil {
				jerr = g.errs[i]
			}
			j.done <- jobDone{res: g.results[i], err: jerr}
			editions[j.scan.EditionID] = true
		}
		if err == nil {
			for e := range editions {
				w.live.bump(e)
			}
		}
	}
}

// stmts are the writer's statements, prepared once on the write
// connection and bound to each group's transaction.
type stmts struct {
	byScanID, first, in *sql.Stmt
	returning           bool // in returns the new row's ID
}

func prepare(d *db.DB) (*stmts, error) {
	s := &stmts{}
	var err error
	if s.byScanID, err = d.W.Prepare(`SELECT id, checkpoint_id FROM scans WHERE scan_id = ?`); err != nil {
		return nil, fmt.Errorf("prepare scan lookup: %w", err)
	}
	if s.first, err = d.W.Prepare(`SELECT id, scanned_at FROM scans
		WHERE checkpoint_id = ? AND attendee_id = ? AND verdict = 'accepted' AND (? = '' OR day = ?)
		AND rehearsal = ? ORDER BY id LIMIT 1`); err != nil {
		s.close()
		return nil, fmt.Errorf("prepare duplicate lookup: %w", err)
	}
	// A replayed scan_id inserts nothing: the conflict clause tells us so
	// without a look-up before every insert, and replays are rare.
	insert := `INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code,
		verdict, reason, first_id, user_id, device, device_at, server_at, scanned_at, day, rehearsal, late)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING`
	// PostgreSQL has no LastInsertId: the new ID comes back as a row, and
	// a replay returns none. SQLite keeps Exec, which costs a third of a
	// query with RETURNING (6 µs against 16-24 µs an insert, measured).
	if s.returning = d.Dialect() == db.Postgres; s.returning {
		insert += ` RETURNING id`
	}
	if s.in, err = d.W.Prepare(insert); err != nil {
		s.close()
		return nil, fmt.Errorf("prepare scan insert: %w", err)
	}
	return s, nil
}

func (s *stmts) close() {
	for _, st := range []*sql.Stmt{s.byScanID, s.first, s.in} {
		if st != nil {
			st.Close()
		}
	}
}

// txStmts are the statements bound to one transaction; database/sql
// reuses the connection's prepared statements for them.
type txStmts struct {
	tx                  *sqlx.Tx
	byScanID, first, in *sql.Stmt
	returning           bool
}

func (s *stmts) bind(tx *sqlx.Tx) *txStmts {
	return &txStmts{tx: tx, byScanID: tx.Stmt(s.byScanID), first: tx.Stmt(s.first), in: tx.Stmt(s.in),
		returning: s.returning}
}

// insert stores r and returns its ID, or stored false when its scan_id
// was stored before.
func (t *txStmts) insert(r *scanRow) (id int64, stored bool, err error) {
	args := []any{r.ScanID, r.CheckpointID, r.EditionID, r.AttendeeID, r.Code, r.Verdict, r.Reason,
		r.FirstID, r.UserID, r.Device, r.DeviceAt, r.ServerAt, r.ScannedAt, r.Day, r.Rehearsal, r.Late}
	if t.returning {
		err := t.in.QueryRow(args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	res, err := t.in.Exec(args...)
	if err != nil {
		return 0, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	id, err = res.LastInsertId()
	return id, err == nil, err
}

func (t *txStmts) close() {
	t.byScanID.Close()
	t.first.Close()
	t.in.Close()
}

// firstEntry is a first scan learnt in a transaction, remembered once it
// commits.
type firstEntry struct {
	key   firstKey
	first firstScan
}

// settle decides one scan against those stored before it (in this
// transaction too) and inserts it, or answers the stored result of an
// earlier submission with the same scan_id. First scans it finds or makes
// are added to learnt.
func (t *txStmts) settle(j *scanJob, cache *firstCache, learnt *[]firstEntry) (Result, error) {
	// A copy: a transaction retried after SQLITE_BUSY settles afresh.
	row := j.scan
	r := &row
	res := j.result()
	checksFirst := r.Verdict == Accepted && j.rule != "multiple"
	var key firstKey
	if checksFirst {
		// Rehearsal scans are firsts only of rehearsal scans: a gate
		// tested the day before still lets everyone in on the day.
		key = firstKey{checkpoint: r.CheckpointID, attendee: *r.AttendeeID, rehearsal: r.Rehearsal}
		if j.rule == "once_per_day" {
			key.day = r.Day
		}
		f, ok := cache.get(key)
		if !ok {
			f, ok = t.learnt(key, *learnt)
		}
		if !ok {
			err := t.first.QueryRow(key.checkpoint, key.attendee, key.day, key.day, key.rehearsal).Scan(&f.ID, &f.ScannedAt)
			if err == nil {
				ok = true
				*learnt = append(*learnt, firstEntry{key, f})
			} else if !errors.Is(err, sql.ErrNoRows) {
				return Result{}, fmt.Errorf("look up first scan: %w", err)
			}
		}
		if ok {
			r.Verdict, r.FirstID = Duplicate, &f.ID
			res.Verdict = Duplicate
			res.First = &FirstScan{Time: f.ScannedAt, CheckpointID: r.CheckpointID, Checkpoint: j.checkpoint}
		}
	}
	id, stored, err := t.insert(r)
	if err != nil {
		return Result{}, fmt.Errorf("insert scan %s: %w", r.ScanID, err)
	}
	if stored {
		if checksFirst && r.Verdict == Accepted {
			*learnt = append(*learnt, firstEntry{key, firstScan{ID: id, ScannedAt: r.ScannedAt}})
		}
		return res, nil
	}
	// The same scan_id was stored before: answer what it was answered
	// then, but only to the same checkpoint. Elsewhere the answer would
	// tell staff who may not scan there whose badge it was.
	var prior, priorPoint int64
	if err := t.byScanID.QueryRow(r.ScanID).Scan(&prior, &priorPoint); err != nil {
		return Result{}, fmt.Errorf("look up scan %s: %w", r.ScanID, err)
	}
	if priorPoint != r.CheckpointID {
		return Result{}, rowError{err: errScanIDElsewhere}
	}
	return storedResult(context.Background(), t.tx, prior)
}

// learnt finds a first scan learnt earlier in this transaction.
func (t *txStmts) learnt(key firstKey, learnt []firstEntry) (firstScan, bool) {
	for i := len(learnt) - 1; i >= 0; i-- {
		if learnt[i].key == key {
			return learnt[i].first, true
		}
	}
	return firstScan{}, false
}

// firstKey is what a duplicate is a duplicate of: an accepted scan of the
// attendee at the checkpoint, that day or (day "") ever.
type firstKey struct {
	checkpoint, attendee int64
	day                  string
	rehearsal            bool
}

type firstScan struct {
	ID        int64
	ScannedAt time.Time
}

// firstCache remembers first scans the writer has found or stored, so
// that a duplicate, most scans at a gate, costs no look-up. Only first
// scans that exist are remembered: a scan stored by another process is
// found by the look-up that a miss makes. A remembered scan stays the
// first: scans are never deleted but with their checkpoint, edition or
// attendee, which then take no more scans. When full, an arbitrary eighth
// goes.
type firstCache = boundedMap[firstKey, firstScan]

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
		CheckpointID: row.CheckpointID, ScannedAt: row.ScannedAt, Rehearsal: row.Rehearsal, Late: row.Late}
	if row.AttendeeID != nil && row.Name != nil {
		r.Attendee = &Brief{ID: *row.AttendeeID, Name: *row.Name, Organisation: *row.Organisation, Category: *row.Category}
	}
	if row.FirstAt != nil {
		r.First = &FirstScan{Time: *row.FirstAt, CheckpointID: *row.FirstPoint, Checkpoint: *row.FirstName}
	}
	return r, nil
}
