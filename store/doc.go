// Package store keeps Optare's state in one SQLite file.
//
// It owns the connection pools (one writer connection, a pool of readers),
// transactions with a clock fixed at their start, the group commit of the
// token endpoint's short writes (group_commit.go), the embedded migrations and
// every SQL statement of the program. It imports no other Optare package: the
// domain in package app composes these queries inside one transaction and
// decides what they mean.
package store
