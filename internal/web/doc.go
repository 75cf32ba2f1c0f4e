// Package web is the HTTP plumbing every domain package shares: the signed-in
// identity and roles, errors turned into status codes in one place, page
// rendering through the message catalogue, JSON binding, pagination and the
// middleware chain. It holds no domain knowledge and no global state: a
// *Site built in cmd/huizhan is passed to each package's handlers.
package web
