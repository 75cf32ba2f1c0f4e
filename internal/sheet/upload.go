package sheet

import (
	"errors"
	"mime/multipart"
	"net/http"

	"huizhan/internal/apperr"
)

// Upload opens the file in the multipart field of an import request. The
// body is capped at max plus room for the envelope and other fields; a
// larger one is refused with the error a file too large gets from Open,
// and a request without the file names the field.
func Upload(w http.ResponseWriter, r *http.Request, field string, max int64) (multipart.File, string, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	f, fh, err := r.FormFile(field)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", TooLarge(max)
		}
		return nil, "", apperr.Field(field, "sheet.no_file", nil)
	}
	return f, fh.Filename, nil
}
