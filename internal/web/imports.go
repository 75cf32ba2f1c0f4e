package web

import (
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"huizhan/internal/apperr"
)

// An import inflates a workbook, holds its rows and writes them in one
// transaction: eight at once from one delegation once took the server from
// 140 MB to 3 GB. So one account runs one import at a time and the server
// at most maxImports; past that the caller gets 429 with Retry-After.
const (
	maxImports  = 2
	importRetry = 10 * time.Second
)

type importGate struct {
	mu       sync.Mutex
	running  int
	accounts map[string]bool
}

func (g *importGate) enter(account string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.accounts[account] {
		return apperr.New(apperr.RateLimited, "error.import_running").After(importRetry)
	}
	if g.running >= maxImports {
		return apperr.New(apperr.RateLimited, "error.imports_busy").After(importRetry)
	}
	g.running++
	g.accounts[account] = true
	return nil
}

func (g *importGate) leave(account string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.running--
	delete(g.accounts, account)
}

// ImportSlot is middleware for the routes that import a file: it holds the
// request to one import per account and a few per server. Every package's
// import routes share the site's one gate.
func (s *Site) ImportSlot() gin.HandlerFunc {
	s.importsOnce.Do(func() { s.imports = &importGate{accounts: map[string]bool{}} })
	g := s.imports
	return func(c *gin.Context) {
		account := "addr " + c.ClientIP()
		if id := IdentityOf(c); id != nil {
			account = "user " + strconv.FormatInt(id.UserID, 10)
		}
		if err := g.enter(account); err != nil {
			s.Fail(c, err)
			return
		}
		defer g.leave(account)
		c.Next()
	}
}
