//go:build race

package main

// raceEnabled says this test binary was built with -race, so that a go
// command the tests run can reuse its compiled packages.
const raceEnabled = true
