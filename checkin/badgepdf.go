package checkin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/gin-gonic/gin"

	"huizhan/conference"
	"huizhan/internal/apperr"
	"huizhan/internal/web"
)

// The badge PDF needs a TrueType font with the Chinese characters of
// names; fpdf embeds the part of it a document uses. Huizhan does not ship
// one: it reads Debian's fonts-droid-fallback (Droid Sans Fallback,
// Apache License 2.0), or the TrueType file HUIZHAN_PDF_FONT names. (The
// CJK fonts Debian ships as OpenType/CFF or TrueType collections, such as
// Noto CJK and WenQuanYi, are formats fpdf cannot embed.)
var pdfFontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
}

var pdfFont struct {
	once  sync.Once
	b     []byte
	latin []byte // DejaVu Sans, for what Droid Sans Fallback lacks: Latin letters and digits
}

// pdfLatinPath is Debian's fonts-dejavu-core (a free licence like
// Bitstream Vera's); without it Latin text falls back to the CJK font.
const pdfLatinPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// badgeFont returns the bytes of the badge PDF's font, read once.
func badgeFont() ([]byte, error) {
	pdfFont.once.Do(func() {
		paths := pdfFontPaths
		if p := os.Getenv("HUIZHAN_PDF_FONT"); p != "" {
			paths = []string{p}
		}
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				pdfFont.b = b
				break
			}
		}
		pdfFont.latin, _ = os.ReadFile(pdfLatinPath)
	})
	if pdfFont.b == nil {
		return nil, apperr.New(apperr.Conflict, "reg.pdf_no_font")
	}
	return pdfFont.b, nil
}

// The A4 page holds two columns of four badges, each 95 × 68 mm, centred:
// the same grid as the printed sheet.
const (
	pdfBadgeW = 95.0
	pdfBadgeH = 68.0
	pdfLeft   = (210 - 2*pdfBadgeW) / 2
	pdfTop    = (297 - 4*pdfBadgeH) / 2
	pdfQR     = 32.0
	pdfChunk  = 500 // attendees read at a time
)

// badgePDF writes the badges of as (read page by page through next) to w.
type badgePDF struct {
	pdf     *fpdf.Fpdf
	latin   string // the font of runs below the CJK blocks
	edition string
	label   func(category string) string
	png     func(a Attendee) ([]byte, error)
	n       int
}

func newBadgePDF(edition string, label func(string) string, png func(Attendee) ([]byte, error)) (*badgePDF, error) {
	font, err := badgeFont()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.AddUTF8FontFromBytes("badge", "", font)
	latin := "badge"
	if pdfFont.latin != nil {
		latin = "latin"
		pdf.AddUTF8FontFromBytes(latin, "", pdfFont.latin)
	}
	pdf.SetTitle(edition, true)
	pdf.SetCreator("Huizhan", true)
	return &badgePDF{pdf: pdf, latin: latin, edition: edition, label: label, png: png}, pdf.Error()
}

// add puts one badge in the next place, starting a page every eight.
func (b *badgePDF) add(a Attendee) error {
	i := b.n % 8
	if i == 0 {
		b.pdf.AddPage()
	}
	b.n++
	x, y := pdfLeft+float64(i%2)*pdfBadgeW, pdfTop+float64(i/2)*pdfBadgeH
	p := b.pdf
	p.SetDrawColor(150, 150, 150)
	p.SetDashPattern([]float64{1.5, 1.5}, 0)
	p.Rect(x, y, pdfBadgeW, pdfBadgeH, "D")
	p.SetDashPattern(nil, 0)
	b.line(x, y+5, 8, 80, b.edition)
	b.line(x, y+12, 20, 0, a.Name)
	b.line(x, y+21, 11, 40, a.Organisation)
	b.line(x, y+28, 10, 0, b.label(a.Category))
	img, err := b.png(a)
	if err != nil {
		return err
	}
	name := "qr" + strconv.Itoa(b.n)
	p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	p.ImageOptions(name, x+(pdfBadgeW-pdfQR)/2, y+pdfBadgeH-pdfQR-4, pdfQR, pdfQR, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return p.Error()
}

// line writes text centred in the badge at height y, in size points or
// smaller until it fits, in grey (0 black … 255 white). Runs below the
// CJK blocks (Latin letters, digits) take the Latin font, since Droid Sans
// Fallback has CJK glyphs only.
func (b *badgePDF) line(x, y, size float64, grey int, text string) {
	p := b.pdf
	runs := b.runs(text)
	var w float64
	for ; size > 5; size -= 0.5 {
		if w = b.width(runs, size); w <= pdfBadgeW-6 {
			break
		}
	}
	p.SetTextColor(grey, grey, grey)
	p.SetXY(x+(pdfBadgeW-w)/2, y)
	for _, r := range runs {
		p.SetFont(r.font, "", size)
		p.CellFormat(p.GetStringWidth(r.text), size*0.45, r.text, "", 0, "L", false, 0, "")
	}
}

type textRun struct{ font, text string }

func (b *badgePDF) runs(text string) []textRun {
	var out []textRun
	for _, c := range text {
		font := "badge"
		if c < 0x2E80 {
			font = b.latin
		}
		if n := len(out); n > 0 && out[n-1].font == font {
			out[n-1].text += string(c)
			continue
		}
		out = append(out, textRun{font, string(c)})
	}
	return out
}

func (b *badgePDF) width(runs []textRun, size float64) float64 {
	var w float64
	for _, r := range runs {
		b.pdf.SetFont(r.font, "", size)
		w += b.pdf.GetStringWidth(r.text)
	}
	return w
}

// WriteBadgePDF writes the approved badges of a delegation or a category
// of an edition as an A4 PDF, eight to a page. All of them: attendees are
// read pdfChunk at a time, with no cap.
func (s *Store) WriteBadgePDF(ctx context.Context, w io.Writer, e conference.Edition, f AttendeeFilter,
	label func(category string) string, badgeURL func(string) string) (int, error) {
	f.Status, f.Q = StatusApproved, ""
	doc, err := newBadgePDF(e.Name, label,
		func(a Attendee) ([]byte, error) { return s.BadgePNG(a.Code, badgeURL(a.Code)) })
	if err != nil {
		return 0, err
	}
	for page := 1; ; page++ {
		as, total, err := s.Attendees(ctx, e.ID, f, web.Paging{Page: page, PerPage: pdfChunk})
		if err != nil {
			return 0, err
		}
		if total == 0 {
			return 0, apperr.New(apperr.NotFound, "reg.pdf_empty")
		}
		for _, a := range as {
			if err := doc.add(a); err != nil {
				return 0, fmt.Errorf("badge PDF: %w", err)
			}
		}
		if page*pdfChunk >= total || len(as) == 0 {
			break
		}
	}
	if err := doc.pdf.Output(w); err != nil {
		return 0, fmt.Errorf("badge PDF: %w", err)
	}
	return doc.n, nil
}

// apiBadgePDF answers the PDF of a delegation's (delegation_id) or a
// category's badges. Organisers may have any; a delegation account its
// own delegation's.
func (h *Handlers) apiBadgePDF(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := web.ParamID(c, "id")
	f := filterOf(c)
	who := web.IdentityOf(c)
	switch {
	case err != nil:
	case f.DelegationID == 0 && f.Category == "":
		err = apperr.Field("delegation_id", "reg.pdf_which", nil)
	case f.Category != "" && !slices.Contains(Categories, f.Category):
		err = apperr.Field("category", "checkin.category_invalid", map[string]any{"Categories": fmt.Sprint(Categories)})
	case !who.Is(web.RoleOrganiser) && (f.DelegationID == 0 || who.DelegationID != f.DelegationID):
		err = apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var e conference.Edition
	if err == nil {
		e, err = h.store.editions.Edition(ctx, id)
	}
	if err == nil && f.DelegationID != 0 {
		var d conference.Delegation
		if d, err = h.store.editions.Delegation(ctx, f.DelegationID); err == nil && d.EditionID != id {
			err = apperr.New(apperr.NotFound, "checkin.delegation_unknown")
		}
	}
	var buf bytes.Buffer
	if err == nil {
		l := h.site.L(c)
		_, err = h.store.WriteBadgePDF(ctx, &buf, e, f, func(c string) string { return l.Label("checkin.category", c) }, h.badgeURL)
	}
	if err != nil {
		h.site.Fail(c, err)
		return
	}
	name := "badges-" + f.Category
	if f.DelegationID != 0 {
		name = fmt.Sprintf("badges-delegation-%d", f.DelegationID)
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, name))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}
