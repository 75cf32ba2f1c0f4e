// Package sheet reads spreadsheets that people upload — .xlsx workbooks and
// CSV files in UTF-8 or GBK (what Chinese Excel and WPS save) — as a stream
// of rows keyed by column, with typed getters that collect row-level errors
// instead of stopping at the first one.
//
// A caller describes the columns it expects (a key and the header texts
// that name it); the first non-blank row of the first sheet is the header.
// Every limit that protects the server sits in Limits: the upload size,
// excelize's unzip limits (a zip bomb is refused before it is inflated),
// rows, columns and the length of one cell.
//
// Cells are text: nothing is evaluated, so a cell that begins with =, +, -
// or @ comes back exactly as typed, and storing it cannot smuggle a formula
// into a workbook exported later (writers set such cells as strings).
package sheet
