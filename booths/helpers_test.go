package booths

import "huizhan/internal/web"

func webPage() web.Paging { return web.Paging{Page: 1, PerPage: web.MaxPerPage} }
