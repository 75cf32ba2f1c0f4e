package web_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
	"huizhan/internal/webtest"
)

// TestImportSlot: one import per account and two per server; the rest get
// 429 with Retry-After, and a slot frees when its import ends.
func TestImportSlot(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s, err := webtest.NewSite(t)
	if err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	started := make(chan struct{}, 4)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		web.SetIdentity(c, &web.Identity{UserID: int64(len(c.Query("u"))), Role: web.RoleDelegation})
		c.Next()
	})
	r.POST("/import", s.ImportSlot(), func(c *gin.Context) {
		started <- struct{}{}
		<-hold
		c.Status(http.StatusOK)
	})
	send := func(user string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("POST", "/import?u="+user, nil))
		return w
	}
	var wg sync.WaitGroup
	for _, u := range []string{"a", "bb"} {
		wg.Add(1)
		go func() { defer wg.Done(); send(u) }()
		<-started
	}
	for _, u := range []string{"a", "ccc"} { // the same account; a third one
		if w := send(u); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "10" {
			t.Errorf("account %s while two run: %d, Retry-After %q", u, w.Code, w.Header().Get("Retry-After"))
		}
	}
	close(hold)
	wg.Wait()
	if w := send("ccc"); w.Code != http.StatusOK {
		t.Errorf("after the others ended: %d", w.Code)
	}
}
