package checkin

import (
	"bytes"
	"fmt"
	"image/png"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
)

// badgePNGSize is the side of a badge QR image in pixels: about four
// pixels a module for a badge URL, sharp on a phone and in print.
const badgePNGSize = 256

// pngEncoder favours speed: a QR image is two colours in large blocks and
// compresses well even so. Its buffer pool reuses the compressor, which
// otherwise costs a large allocation per image.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

// pngBuffers is a png.EncoderBufferPool over sync.Pool.
type pngBuffers struct{ pool sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// renderQR draws text as a QR code PNG.
func renderQR(text string) ([]byte, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("badge QR: %w", err)
	}
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, q.Image(badgePNGSize)); err != nil {
		return nil, fmt.Errorf("badge QR: %w", err)
	}
	return buf.Bytes(), nil
}

// BadgePNG returns the QR image of url, which ends in code; images are
// cached by code, since one changes only with a reissue.
func (s *Store) BadgePNG(code, url string) ([]byte, error) {
	if b, ok := s.badges.get(code); ok {
		return b, nil
	}
	b, err := renderQR(url)
	if err != nil {
		return nil, err
	}
	s.badges.put(code, b)
	return b, nil
}
