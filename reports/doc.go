// Package reports builds the leadership reports: Excel workbooks of an
// edition (signed agreements, pairings, projects, roadshows, booths,
// check-ins and a year-over-year summary) and the dashboard page.
//
// The package only reads. Every query goes through the read pool (db.R)
// and joins the other packages' tables directly: a report is a view across
// the whole conference, and the SQL for one workbook sits in that
// workbook's file so a reader can see what each sheet shows. No other
// package imports this one; cmd/huizhan wires it.
//
// Workbooks are written with excelize's StreamWriter, so a sheet of
// 100,000 check-ins is never held in memory as cells: rows go from the
// database cursor to the (temporary-file backed) sheet stream, and the
// zip goes straight to the HTTP response or the output file.
package reports

import (
	_ "embed"
)

//go:embed api.json
var apiDoc []byte

// APIDoc is the OpenAPI fragment for this package's routes.
func APIDoc() []byte { return apiDoc }
