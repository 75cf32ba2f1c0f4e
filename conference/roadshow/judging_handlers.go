package roadshow

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

func (h *Handlers) registerJudging(api *gin.RouterGroup, org, signed gin.HandlerFunc) {
	api.GET("/sessions/:id/judges", org, h.apiJudges)
	api.POST("/sessions/:id/judges", org, h.apiInviteJudge)
	api.GET("/sessions/:id/scores", signed, h.apiScores)
	api.PUT("/slots/:id/scores", signed, h.apiScore)
	api.GET("/judging/:token", h.apiJudging)
	api.PUT("/judging/:token/slots/:id/scores", h.apiScoreByLink)
}

func (h *Handlers) apiJudges(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var js []Judge
	if err == nil {
		js, err = h.store.Judges(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(js))
}

func (h *Handlers) apiInviteJudge(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in JudgeInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	j, err := h.store.InviteJudge(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	out := gin.H{"judge": j}
	if j.Token != "" {
		out["link"] = h.site.BaseURL + "/judge/" + j.Token
	}
	c.JSON(http.StatusCreated, out)
}

// apiScores is the ranking for organisers and, for a judge, their own
// scores only; anyone else (delegations included) is refused.
func (h *Handlers) apiScores(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := h.store.Session(ctx, id); err != nil {
		h.site.Fail(c, err)
		return
	}
	who := web.IdentityOf(c)
	if who.Is(web.RoleOrganiser) {
		r, err := h.store.Ranking(ctx, id)
		if err != nil {
			h.site.Fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"ranking": r})
		return
	}
	j, err := h.store.JudgeForUser(ctx, id, who.UserID)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.ownScores(c, j)
}

func (h *Handlers) ownScores(c *gin.Context, j Judge) {
	scores, err := h.store.OwnScores(c.Request.Context(), j.ID)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"judge": j, "scores": scores})
}

type scoreInput struct {
	Scores map[string]int `json:"scores"`
}

func (h *Handlers) apiScore(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in scoreInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	sl, err := h.store.Slot(ctx, id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	j, err := h.store.JudgeForUser(ctx, sl.SessionID, web.IdentityOf(c).UserID)
	if err == nil {
		err = h.store.Score(ctx, j, id, in.Scores)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.ownScores(c, j)
}

func (h *Handlers) apiJudging(c *gin.Context) {
	ctx := c.Request.Context()
	j, err := h.store.JudgeByToken(ctx, c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	sess, err := h.store.Session(ctx, j.SessionID)
	var slots []Slot
	if err == nil {
		slots, err = h.store.Slots(ctx, j.SessionID)
	}
	var scores map[int64]map[string]int
	if err == nil {
		scores, err = h.store.OwnScores(ctx, j.ID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"judge": j, "session": sess, "slots": h.localize(c, slots), "scores": scores})
}

func (h *Handlers) apiScoreByLink(c *gin.Context) {
	ctx := c.Request.Context()
	j, err := h.store.JudgeByToken(ctx, c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in scoreInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	if err := h.store.Score(ctx, j, id, in.Scores); err != nil {
		h.site.Fail(c, err)
		return
	}
	h.ownScores(c, j)
}
