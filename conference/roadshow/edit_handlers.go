package roadshow

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// registerEditing adds the routes that change sessions, slots and rooms
// after they were made, and the judge's list of sessions.
func (h *Handlers) registerEditing(r *gin.Engine, api *gin.RouterGroup, org, signed gin.HandlerFunc) {
	api.PATCH("/sessions/:id", org, h.apiUpdateSession)
	api.GET("/editions/:id/rooms", signed, h.apiRooms)
	api.POST("/editions/:id/rooms", org, h.apiCreateRoom)
	api.PATCH("/rooms/:id", org, h.apiUpdateRoom)
	r.GET("/sessions/:id/edit", org, h.editSessionPage)
	r.POST("/sessions/:id/edit", org, h.editSessionForm)
	r.POST("/slots/:id/edit", org, h.editSlotForm)
	r.GET("/editions/:id/rooms", org, h.roomsPage)
	r.POST("/editions/:id/rooms", org, h.createRoomForm)
	r.POST("/rooms/:id", org, h.editRoomForm)
	r.GET("/judging", signed, h.judgingPage)
}

func (h *Handlers) apiUpdateSession(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var p SessionPatch
	if err := web.BindJSON(c, &p); err != nil {
		h.site.Fail(c, err)
		return
	}
	s, err := h.store.UpdateSession(c.Request.Context(), id, p)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s)
}

func (h *Handlers) apiRooms(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	rs, err := h.store.EditionRooms(c.Request.Context(), id)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, all(rs))
}

func (h *Handlers) apiCreateRoom(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var in RoomInput
	if err := web.BindJSON(c, &in); err != nil {
		h.site.Fail(c, err)
		return
	}
	rm, err := h.store.CreateRoom(c.Request.Context(), id, in)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, rm)
}

func (h *Handlers) apiUpdateRoom(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	var p RoomPatch
	if err := web.BindJSON(c, &p); err != nil {
		h.site.Fail(c, err)
		return
	}
	rm, err := h.store.UpdateRoom(c.Request.Context(), id, p)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rm)
}
