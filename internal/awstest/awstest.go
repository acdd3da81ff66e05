// Package awstest starts real, API-compatible stand-ins for the AWS services
// the service uses — dynalite for DynamoDB and s3rver for S3 — so that
// integration tests exercise the production aws-sdk-go-v2 code over HTTP
// instead of a hand-written fake.
//
// The servers are the npm packages pinned in infra/local (installed by
// infra/local/install.sh) and listen on 127.0.0.1 only. Start them once per
// test binary, from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(run(m)) }
//
//	func run(m *testing.M) int {
//		servers, err := awstest.Start(context.Background())
//		if err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			return 1
//		}
//		defer servers.Stop()
//		testServers = servers
//		return m.Run()
//	}
//
// Tests then isolate themselves by creating their own table or bucket with a
// unique name (CreateTable, CreateBucket).
//
// Where the stand-ins differ from AWS (code must not depend on these, or
// must be tested another way):
//   - dynalite 4 has no transactions (TransactWriteItems, TransactGetItems),
//     no PartiQL (ExecuteStatement) and no UpdateTimeToLive: they fail with
//     UnknownOperationException.
//   - s3rver 3.7 has no bucket versioning (PutBucketVersioning fails, objects
//     get no VersionId) and sends no event notifications.
//   - s3rver writes a non-ASCII key into its error XML as an HTML entity,
//     which the SDK cannot parse: GetObject or HeadObject of a missing
//     non-ASCII key fails with a bare 404 response error, not NoSuchKey or
//     NotFound. Code that treats "missing" specially should also accept
//     HTTP 404.
package awstest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Region is the region the clients sign for; neither server cares which.
const Region = "us-east-1"

// s3rver accepts only its built-in account's key pair (anything else is
// InvalidAccessKeyId); dynalite accepts any, so both share this one.
const (
	accessKeyID     = "S3RVER"
	secretAccessKey = "S3RVER"
)

// startupTimeout bounds how long Start waits for a server to listen. It is
// generous because test packages start their servers concurrently on a
// small, shared machine.
const startupTimeout = 60 * time.Second

// Servers are dynalite and s3rver processes started for one test binary.
type Servers struct {
	root      string
	dynamo    *nodeServer
	s3        *nodeServer
	s3DataDir string
	stopOnce  sync.Once
}

// Start starts dynalite and s3rver on free 127.0.0.1 ports and returns once
// both are listening. The caller must call Stop; the processes are also
// killed if the test binary dies without doing so (on Linux).
func Start(ctx context.Context) (*Servers, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	return start(ctx, root)
}

func start(ctx context.Context, root string) (*Servers, error) {
	dynaliteCLI := filepath.Join(root, "infra", "local", "node_modules", "dynalite", "cli.js")
	s3rverCLI := filepath.Join(root, "infra", "local", "node_modules", "s3rver", "bin", "s3rver.js")
	for _, cli := range []string{dynaliteCLI, s3rverCLI} {
		if _, err := os.Stat(cli); err != nil {
			return nil, fmt.Errorf("awstest: %w: run infra/local/install.sh to install the local AWS servers", err)
		}
	}

	s3DataDir, err := os.MkdirTemp("", "awstest-s3rver-")
	if err != nil {
		return nil, fmt.Errorf("awstest: s3rver data directory: %w", err)
	}
	s := &Servers{root: root, s3DataDir: s3DataDir}

	ctx, cancel := context.WithTimeout(ctx, startupTimeout)
	defer cancel()
	var wg sync.WaitGroup
	var dynamoErr, s3Err error
	wg.Go(func() { s.dynamo, dynamoErr = startDynalite(ctx, root, dynaliteCLI) })
	wg.Go(func() { s.s3, s3Err = startS3rver(ctx, root, s3rverCLI, s3DataDir) })
	wg.Wait()
	if err := errors.Join(dynamoErr, s3Err); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop kills both servers and removes their data. It is safe to call more
// than once.
func (s *Servers) Stop() {
	s.stopOnce.Do(func() {
		if s.dynamo != nil {
			s.dynamo.stop()
		}
		if s.s3 != nil {
			s.s3.stop()
		}
		os.RemoveAll(s.s3DataDir)
	})
}

// DynamoDBEndpoint is dynalite's base URL, e.g. http://127.0.0.1:41234.
func (s *Servers) DynamoDBEndpoint() string { return s.dynamo.url }

// S3Endpoint is s3rver's base URL, e.g. http://127.0.0.1:41235.
func (s *Servers) S3Endpoint() string { return s.s3.url }

// Config is an aws.Config for the servers, as production code gets one from
// config.LoadDefaultConfig: region us-east-1, static dummy credentials, and
// per-service endpoints (the mechanism behind the shared config file's
// "services" section), so dynamodb.NewFromConfig and s3.NewFromConfig reach
// dynalite and s3rver without further options. S3 requests go path-style
// because the endpoint is an IP address.
//
// Checksums are computed and validated only where an operation requires
// them: the CRC32 checksums the SDK adds by default are an S3 feature
// s3rver predates.
//
// Over s3rver's plain HTTP the SDK must sign the payload itself, so an
// upload's Body must be seekable (bytes.Reader, strings.Reader, *os.File).
//
// An AWS_ENDPOINT_URL set in the environment without the per-service
// variable makes the SDK ignore these endpoints; the clients from DynamoDB
// and S3 are immune to that.
func (s *Servers) Config() aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, ""),
		ConfigSources: []any{config.SharedConfig{Services: config.Services{
			ServiceValues: map[string]map[string]string{
				"dynamodb": {"endpoint_url": s.dynamo.url},
				"s3":       {"endpoint_url": s.s3.url},
			},
		}}},
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
}

// DynamoDB returns a client for dynalite.
func (s *Servers) DynamoDB() *dynamodb.Client {
	return dynamodb.NewFromConfig(s.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(s.dynamo.url)
	})
}

// S3 returns a client for s3rver, with path-style addressing: s3rver serves
// buckets as path segments, not as host names.
func (s *Servers) S3() *s3.Client {
	return s3.NewFromConfig(s.Config(), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.s3.url)
		o.UsePathStyle = true
	})
}

// CreateBucket creates an empty bucket.
func (s *Servers) CreateBucket(ctx context.Context, name string) error {
	if _, err := s.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		return fmt.Errorf("awstest: create bucket %s: %w", name, err)
	}
	return nil
}

// repoRoot is the nearest directory at or above the working directory that
// holds go.mod; go test runs a package's tests in the package's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("awstest: find repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("awstest: find repository root: no go.mod at or above the working directory")
		}
		dir = parent
	}
}
