// Package templates holds everything the binary serves that is not Go: HTML
// templates, static assets (CSS, JavaScript) and the message catalogue, all
// embedded, and the renderer that executes the pages.
//
// Each page is its own template set: layout.html, every partial, and the
// page file, so two pages can both define "content" without clashing.
package templates

import (
	"embed"
	"io/fs"
)

// FS is the embedded asset tree: layout.html, pages/, partials/, static/,
// locales/.
//
//go:embed layout.html pages partials static locales
var FS embed.FS

// Static returns the static assets rooted at static/.
func Static() fs.FS {
	sub, err := fs.Sub(FS, "static")
	if err != nil {
		panic(err) // the directory is embedded above; this cannot fail
	}
	return sub
}
