//go:build race

package app

// raceDetector reports that this test binary runs under -race, whose shadow
// memory makes resident-set measurements meaningless.
const raceDetector = true
