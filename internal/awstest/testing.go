package awstest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// RunTests is a package's TestMain around the servers: it starts them,
// sets *servers, runs the tests and stops them, returning the exit code.
//
//	func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }
func RunTests(m *testing.M, servers **Servers) int {
	s, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Stop()
	*servers = s
	return m.Run()
}

// SetEnv points the AWS SDK's default configuration at the servers for one
// test, as a Lambda's environment points it at AWS: region, credentials
// (s3rver accepts only its own pair; dynalite any), the per-service
// endpoint variables, and no shared config or credentials files of the
// machine running the tests.
func (s *Servers) SetEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for name, value := range map[string]string{
		"AWS_REGION":                  Region,
		"AWS_ACCESS_KEY_ID":           accessKeyID,
		"AWS_SECRET_ACCESS_KEY":       secretAccessKey,
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_ENDPOINT_URL":            "",
		"AWS_ENDPOINT_URL_DYNAMODB":   s.DynamoDBEndpoint(),
		"AWS_ENDPOINT_URL_S3":         s.S3Endpoint(),
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(name, value)
	}
}
