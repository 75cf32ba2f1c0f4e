package booths

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"huizhan/internal/web"
)

// PublicPath is the path of a booth's page in the cloud hall.
func PublicPath(boothID int64) string { return fmt.Sprintf("/booths/%d", boothID) }

// qrCode answers a PNG QR code that opens the booth's cloud page: hung on
// the stand, it links the physical booth to its online one. The link is
// absolute (site.BaseURL) since a phone camera reads it outside the site.
func (h *Handlers) qrCode(c *gin.Context) {
	id, err := web.ParamID(c, "id")
	if err == nil {
		_, err = h.store.Booth(c.Request.Context(), id)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	base := h.site.BaseURL
	if base == "" { // no public address configured: the one this request came to
		base = "http://" + c.Request.Host
	}
	png, err := qrcode.Encode(base+PublicPath(id), qrcode.Medium, 512)
	if err != nil {
		h.site.Fail(c, fmt.Errorf("booth %d QR: %w", id, err))
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "image/png", png)
}
