package booths

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// JSON routes that read, change and delete one zone or booth. PATCH starts
// from the stored values so that omitted fields stay as they are.

func (h *Handlers) apiGetZone(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var z Zone
	if err == nil {
		z, err = h.store.Zone(c.Request.Context(), id)
	}
	h.answer(c, http.StatusOK, z, err)
}

func (h *Handlers) apiUpdateZone(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var z Zone
	if err == nil {
		z, err = h.store.Zone(c.Request.Context(), id)
	}
	if err == nil {
		in := z.InputOf()
		if err = web.BindJSON(c, &in); err == nil {
			z, err = h.store.UpdateZone(c.Request.Context(), id, in)
		}
	}
	h.answer(c, http.StatusOK, z, err)
}

func (h *Handlers) apiDeleteZone(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.DeleteZone(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handlers) apiUpdateBooth(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var b Booth
	if err == nil {
		b, err = h.store.Booth(c.Request.Context(), id)
	}
	if err == nil {
		in := b.InputOf()
		if err = web.BindJSON(c, &in); err == nil {
			b, err = h.store.UpdateBooth(c.Request.Context(), id, in)
		}
	}
	h.answer(c, http.StatusOK, b, err)
}

func (h *Handlers) apiDeleteBooth(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		err = h.store.DeleteBooth(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
