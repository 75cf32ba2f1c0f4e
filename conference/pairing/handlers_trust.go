package pairing

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// apiAddNote keeps a note on a pairing; the stage is not touched.
func (h *Handlers) apiAddNote(c *gin.Context) {
	p, err := h.visiblePairing(c)
	var in NoteInput
	if err == nil {
		err = web.BindJSON(c, &in)
	}
	var n Note
	if err == nil {
		n, err = h.store.AddNote(c.Request.Context(), p.ID, in, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, n)
}

// apiHistory lists every change of a pairing: who, when, from, to, amount
// and reason.
func (h *Handlers) apiHistory(c *gin.Context) {
	p, err := h.visiblePairing(c)
	var hist []Change
	if err == nil {
		hist, err = h.store.History(c.Request.Context(), p.ID)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	if hist == nil {
		hist = []Change{}
	}
	c.JSON(http.StatusOK, gin.H{"items": hist})
}

// noteForm saves the page's note form and leaves the stage as it is.
func (h *Handlers) noteForm(c *gin.Context) {
	p, err := h.visiblePairing(c)
	if err == nil {
		_, err = h.store.AddNote(c.Request.Context(), p.ID, NoteInput{Text: c.PostForm("text")}, web.IdentityOf(c))
	}
	if err != nil {
		info, status, ok := h.site.FormError(c, err)
		if ok {
			h.showPairing(c, status, "pairing/show", StageInput{}, info)
		}
		return
	}
	h.site.Redirect(c, fmt.Sprintf("/pairings/%d#notes", p.ID), "pairing.note_saved")
}
