package roadshow

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

type judgeView struct {
	Judge   Judge
	Session Session
	Slots   []Slot
	Scores  map[int64]map[string]int
	Action  string // form action prefix; the slot ID follows
	Error   *web.ErrorInfo
}

func (h *Handlers) renderJudge(c *gin.Context, status int, j Judge, action string, e *web.ErrorInfo) {
	ctx := c.Request.Context()
	v := judgeView{Judge: j, Action: action, Error: e}
	var err error
	v.Session, err = h.store.Session(ctx, j.SessionID)
	if err == nil {
		v.Slots, err = h.store.Slots(ctx, j.SessionID)
	}
	if err == nil {
		v.Scores, err = h.store.OwnScores(ctx, j.ID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.HTML(c, status, "roadshow/judge", "roadshow.judge_title", v)
}

// formScores reads one score per criterion from the form.
func formScores(c *gin.Context, criteria Criteria) map[string]int {
	out := map[string]int{}
	for _, cr := range criteria {
		v, _ := strconv.Atoi(c.PostForm(cr))
		out[cr] = v
	}
	return out
}

func (h *Handlers) accountJudge(c *gin.Context) (Judge, bool) {
	id, err := web.ParamID(c, "id")
	var j Judge
	if err == nil {
		j, err = h.store.JudgeForUser(c.Request.Context(), id, web.IdentityOf(c).UserID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return Judge{}, false
	}
	return j, true
}

func (h *Handlers) accountJudgePage(c *gin.Context) {
	if j, ok := h.accountJudge(c); ok {
		h.renderJudge(c, http.StatusOK, j, fmt.Sprintf("/sessions/%d/judge/slots/", j.SessionID), nil)
	}
}

func (h *Handlers) accountScoreForm(c *gin.Context) {
	if j, ok := h.accountJudge(c); ok {
		h.scoreForm(c, j, fmt.Sprintf("/sessions/%d/judge/slots/", j.SessionID))
	}
}

func (h *Handlers) linkJudgePage(c *gin.Context) {
	j, err := h.store.JudgeByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderJudge(c, http.StatusOK, j, "/judge/"+c.Param("token")+"/slots/", nil)
}

func (h *Handlers) linkScoreForm(c *gin.Context) {
	j, err := h.store.JudgeByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.scoreForm(c, j, "/judge/"+c.Param("token")+"/slots/")
}

func (h *Handlers) scoreForm(c *gin.Context, j Judge, action string) {
	slotID, err := strconv.ParseInt(c.Param("slot"), 10, 64)
	if err != nil {
		h.site.NotFound(c)
		return
	}
	sess, err := h.store.Session(c.Request.Context(), j.SessionID)
	if err == nil {
		err = h.store.Score(c.Request.Context(), j, slotID, formScores(c, sess.Criteria))
	}
	if err != nil {
		if info, status, ok := h.site.FormError(c, err); ok {
			h.renderJudge(c, status, j, action, info)
		}
		return
	}
	h.site.Redirect(c, strings.TrimSuffix(action, "/slots/")+fmt.Sprintf("#slot-%d", slotID), "roadshow.scored")
}
