// Package faults holds fault-injection tests of the ingest path against
// the real stand-ins of AWS (dynalite and s3rver, started by
// internal/awstest): a reverse proxy in front of dynalite throttles, fails
// or hangs up on chosen requests, and the tests check that the ingest
// handler retries what is worth retrying, reports what is not done so
// that Lambda redelivers the event, and never lets a reader see half of an
// upload. The package has no code outside its tests.
package faults
