package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
)

// prototype is the bare scan the figures compare against: bind
// JSON, check a MAC, insert, with one writer goroutine batching concurrent
// inserts into one synchronous=FULL transaction. It has no sign-in, no
// verdicts, no duplicate rule and a three-column table, so it shows what
// this machine allows a durable HTTP scan at all, in the same run as the
// real endpoint. It is a yardstick, not a design: nothing else uses it.
type prototype struct {
	db   *sql.DB
	ins  *sql.Stmt
	jobs chan protoJob
	quit chan struct{}
	done chan struct{}
}

type protoJob struct {
	code, scanID string
	result       chan error
}

// protoKey signs the prototype's codes: a MAC, as the prototype
// checks one.
var protoKey = []byte("scanload prototype")

func protoCode(i int) string {
	body := fmt.Sprintf("P%06d", i)
	m := hmac.New(sha256.New, protoKey)
	m.Write([]byte(body))
	return body + "." + strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:10]))
}

func protoValid(code string) bool {
	body, sig, ok := strings.Cut(code, ".")
	if !ok {
		return false
	}
	m := hmac.New(sha256.New, protoKey)
	m.Write([]byte(body))
	return hmac.Equal([]byte(strings.ToUpper(hex.EncodeToString(m.Sum(nil)[:10]))), []byte(sig))
}

func startPrototype(dir string) (*prototype, error) {
	path := filepath.Join(dir, "prototype.db")
	d, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000")
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1)
	if _, err := d.Exec(`CREATE TABLE scans (id INTEGER PRIMARY KEY, scan_id TEXT NOT NULL UNIQUE,
		code TEXT NOT NULL, server_at TEXT NOT NULL)`); err != nil {
		d.Close()
		return nil, fmt.Errorf("prototype table: %w", err)
	}
	ins, err := d.Prepare(`INSERT INTO scans (scan_id, code, server_at) VALUES (?, ?, datetime('now'))
		ON CONFLICT (scan_id) DO NOTHING`)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("prototype insert: %w", err)
	}
	p := &prototype{db: d, ins: ins, jobs: make(chan protoJob, 4096), quit: make(chan struct{}), done: make(chan struct{})}
	go p.write()
	return p, nil
}

func (p *prototype) stop() {
	close(p.quit)
	<-p.done
	p.ins.Close()
	p.db.Close()
}

// write commits every job waiting in one transaction, then answers them.
func (p *prototype) write() {
	defer close(p.done)
	for {
		var group []protoJob
		select {
		case j := <-p.jobs:
			group = append(group, j)
		case <-p.quit:
			return
		}
	more:
		for len(group) < 512 {
			select {
			case j := <-p.jobs:
				group = append(group, j)
			default:
				break more
			}
		}
		err := p.commit(group)
		for _, j := range group {
			j.result <- err
		}
	}
}

func (p *prototype) commit(group []protoJob) error {
	tx, err := p.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins := tx.Stmt(p.ins)
	for _, j := range group {
		if _, err := ins.Exec(j.scanID, j.code); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (p *prototype) handler() http.Handler {
	r := gin.New()
	r.POST("/scan", func(c *gin.Context) {
		var in struct {
			Code   string `json:"code"`
			ScanID string `json:"scan_id"`
		}
		if err := c.ShouldBindJSON(&in); err != nil || in.ScanID == "" {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad scan"})
			return
		}
		if !protoValid(in.Code) {
			c.JSON(http.StatusOK, gin.H{"verdict": "rejected", "scan_id": in.ScanID})
			return
		}
		j := protoJob{code: in.Code, scanID: in.ScanID, result: make(chan error, 1)}
		p.jobs <- j
		if err := <-j.result; err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"verdict": "accepted", "scan_id": in.ScanID})
	})
	return r
}
