package pairing

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"huizhan/internal/web"
)

// N prints a count with thousands separators, for the big screen.
func (Board) N(n int) string {
	if n < 0 {
		return "-" + group(strconv.Itoa(-n))
	}
	return group(strconv.Itoa(n))
}

// apiKioskBoard answers the board's data to a board link, without a
// session.
func (h *Handlers) apiKioskBoard(c *gin.Context) {
	b, err := h.store.BoardByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, b)
}

// linkURL makes a board link absolute when the site knows its address.
func (h *Handlers) linkURL(l BoardLink) BoardLink {
	if base := strings.TrimRight(h.site.BaseURL, "/"); base != "" {
		l.URL = base + l.URL
	}
	return l
}

func (h *Handlers) apiCreateBoardLink(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var l BoardLink
	if err == nil {
		l, err = h.store.CreateBoardLink(c.Request.Context(), id, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.linkURL(l))
}

func (h *Handlers) apiRevokeBoardLinks(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var n int
	if err == nil {
		n, err = h.store.RevokeBoardLinks(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revoked": n})
}

// kioskData is the kiosk page: the board and its link's token (for the
// page's refreshes).
type kioskData struct {
	Board
	Token string
}

// kioskPage shows the board full screen, without navigation or sign-in.
func (h *Handlers) kioskPage(c *gin.Context) {
	token := c.Param("token")
	b, err := h.store.BoardByToken(c.Request.Context(), token)
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer") // the token is in the address
	h.site.HTML(c, http.StatusOK, "pairing/kiosk", "pairing.board_title", kioskData{Board: b, Token: token})
}

// boardLinkForm makes a new board link and shows it once on the board page.
func (h *Handlers) boardLinkForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	var l BoardLink
	if err == nil {
		l, err = h.store.CreateBoardLink(c.Request.Context(), id, web.IdentityOf(c))
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.renderBoard(c, id, h.linkURL(l).URL)
}

// revokeBoardLinksForm stops the edition's board links.
func (h *Handlers) revokeBoardLinksForm(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.RevokeBoardLinks(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	h.site.Redirect(c, "/editions/"+strconv.FormatInt(id, 10)+"/pairing/board", "pairing.board_links_revoked")
}
