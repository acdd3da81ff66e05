// Command coldstart measures the Lambda functions' cold starts on this
// machine. It builds each function as `sam build` does (linux, static,
// lambda.norpc, stripped) for this machine's architecture, and for arm64
// for its size only; starts dynalite and s3rver (internal/awstest); serves
// an emulation of the Lambda Runtime API on 127.0.0.1; and, run after
// run, starts a fresh function process, hands it one event and times the
// span from process start to its answer: for ingest an S3 put of a new
// object, for the API a /healthz and, apart, a speaker page of what ingest
// stored, whose answer waits for DynamoDB. Run it from the repository root.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

// maxBinarySize is the bar a function's binary must stay under.
const maxBinarySize = 15 << 20

const (
	table     = "coldstart"
	bucket    = "coldstart-articles"
	cursorKey = "coldstart-cursor-key-0123456789abcdef"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

// function is one Lambda function to measure.
type function struct {
	name string
	// what names the event, when a function is measured with several.
	what string
	pkg  string
	// event returns the event of run number i.
	event func(i int) ([]byte, error)
	// check says whether the function's answer is a success.
	check func(answer []byte) error
	// verify, when set, checks the runs' effects once they are over.
	verify func(ctx context.Context, runs int) error
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("coldstart", flag.ContinueOnError)
	runs := fs.Int("runs", 10, "cold starts per function")
	article := fs.String("article", "testdata/seeds/000_f85e6ee46aa384b4.txt", "article the ingest function ingests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	servers, err := awstest.Start(ctx)
	if err != nil {
		return err
	}
	defer servers.Stop()
	if err := servers.CreateTable(ctx, table); err != nil {
		return err
	}
	if err := servers.CreateBucket(ctx, bucket); err != nil {
		return err
	}
	body, err := os.ReadFile(*article)
	if err != nil {
		return err
	}
	// One object per run, so that every cold start ingests a new article
	// instead of skipping a redelivered event.
	for i := range *runs {
		if _, err := servers.S3().PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String(runKey(i)), Body: strings.NewReader(string(body)),
		}); err != nil {
			return fmt.Errorf("put object: %w", err)
		}
	}

	ingest := function{
		name: "ingest", pkg: "./functions/ingest",
		event: func(i int) ([]byte, error) { return s3Event(runKey(i), int64(len(body))) },
		check: func(answer []byte) error {
			if string(answer) != "null" {
				return fmt.Errorf("answer %s, want null", answer)
			}
			return nil
		},
		verify: func(ctx context.Context, runs int) error {
			db := dynamo.New(servers.DynamoDB(), table, dynamo.Options{})
			for i := range runs {
				a, err := db.Article(ctx, quote.ArticleID(runKey(i)))
				if err != nil {
					return fmt.Errorf("ingest run %d: %w", i+1, err)
				}
				if a.Status != quote.StatusExtracted || a.QuoteCount == 0 {
					return fmt.Errorf("ingest run %d: article %s is %s with %d quotes, want extracted with quotes", i+1, a.ID, a.Status, a.QuoteCount)
				}
			}
			return nil
		},
	}
	// The API's cold starts run after ingest's, so the table holds the
	// articles it ingested: a speaker page is a first request that waits
	// for DynamoDB (a Query and a BatchGetItem), as a user's would.
	var speakerPage []byte
	apiAnswers := func(wantQuotes bool) func([]byte) error {
		return func(answer []byte) error {
			var resp events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(answer, &resp); err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d: %s", resp.StatusCode, resp.Body)
			}
			var page struct {
				Quotes []json.RawMessage `json:"quotes"`
			}
			if wantQuotes && (json.Unmarshal([]byte(resp.Body), &page) != nil || len(page.Quotes) == 0) {
				return fmt.Errorf("a speaker page without quotes: %s", resp.Body)
			}
			return nil
		}
	}
	functions := []function{
		ingest,
		{
			name: "api", what: "GET /healthz", pkg: "./functions/api",
			event: func(int) ([]byte, error) { return os.ReadFile("testdata/events/apigw-stage-healthz.json") },
			check: apiAnswers(false),
		},
		{
			name: "api", what: "GET /quotes?speaker= (DynamoDB)", pkg: "./functions/api",
			event: func(int) ([]byte, error) {
				if speakerPage == nil {
					var err error
					if speakerPage, err = speakerEvent(ctx, servers); err != nil {
						return nil, err
					}
				}
				return speakerPage, nil
			},
			check: apiAnswers(true),
		},
	}

	fmt.Printf("# cold starts, %s, %d cores, %s/%s, %d runs each\n", time.Now().UTC().Format("2006-01-02T15:04Z"), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, *runs)
	built := map[string]map[string]int64{}
	for _, fn := range functions {
		native := filepath.Join(dir, fn.name+"-"+runtime.GOARCH)
		sizes := built[fn.pkg]
		if sizes == nil {
			sizes = map[string]int64{}
			for _, arch := range []string{runtime.GOARCH, "arm64"} {
				out := filepath.Join(dir, fn.name+"-"+arch)
				size, err := build(ctx, fn.pkg, arch, out)
				if err != nil {
					return err
				}
				sizes[arch] = size
			}
			built[fn.pkg] = sizes
			fmt.Printf("%-6s binary %s %.1f MB (%d bytes), arm64 %.1f MB (%d bytes) (bar %d MB: %s)\n", fn.name, runtime.GOARCH,
				mb(sizes[runtime.GOARCH]), sizes[runtime.GOARCH], mb(sizes["arm64"]), sizes["arm64"], maxBinarySize>>20, verdict(sizes))
		}
		var starts, inits []time.Duration
		var rss []int64
		for i := range *runs {
			event, err := fn.event(i)
			if err != nil {
				return err
			}
			m, err := coldStart(ctx, native, lambdaEnv(servers, fn.name), event)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", fn.name, i+1, err)
			}
			if err := fn.check(m.answer); err != nil {
				return fmt.Errorf("%s run %d: %w", fn.name, i+1, err)
			}
			starts = append(starts, m.answered)
			inits = append(inits, m.ready)
			rss = append(rss, m.maxRSS)
		}
		if fn.verify != nil {
			if err := fn.verify(ctx, *runs); err != nil {
				return err
			}
		}
		label := fn.name
		if fn.what != "" {
			label += ", " + fn.what + ","
		}
		fmt.Printf("%-6s cold start to first answer: median %s (min %s, max %s); init to first /next: median %s; max RSS median %.1f MB\n",
			label, median(starts), slices.Min(starts).Round(100*time.Microsecond), slices.Max(starts).Round(100*time.Microsecond),
			median(inits), float64(medianInt(rss))/1024)
	}
	return nil
}

func runKey(i int) string { return fmt.Sprintf("coldstart/run %02d.txt", i) }

// speakerEvent is testdata/events/apigw-stage-healthz.json asking instead
// for the page of the first person quoted in the first ingested article.
func speakerEvent(ctx context.Context, servers *awstest.Servers) ([]byte, error) {
	db := dynamo.New(servers.DynamoDB(), table, dynamo.Options{})
	quotes, err := db.ArticleQuotes(ctx, quote.ArticleID(runKey(0)))
	if err != nil {
		return nil, fmt.Errorf("speaker page: %w", err)
	}
	if len(quotes) == 0 {
		return nil, errors.New("speaker page: the first ingested article has no quotes")
	}
	data, err := os.ReadFile("testdata/events/apigw-stage-healthz.json")
	if err != nil {
		return nil, err
	}
	var event events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(data, &event); err != nil {
		return nil, fmt.Errorf("decode apigw-stage-healthz.json: %w", err)
	}
	event.RawPath = "/prod/quotes"
	event.RequestContext.HTTP.Path = event.RawPath
	sp := quotes[0].Speaker
	for _, q := range quotes {
		if q.Speaker.Kind == quote.Person {
			sp = q.Speaker
			break
		}
	}
	event.RawQueryString = "speaker=" + url.QueryEscape(sp.ID)
	return json.Marshal(event)
}

// s3Event is testdata/events/s3-put.json for key in the bucket.
func s3Event(key string, size int64) ([]byte, error) {
	data, err := os.ReadFile("testdata/events/s3-put.json")
	if err != nil {
		return nil, err
	}
	var event events.S3Event
	if err := json.Unmarshal(data, &event); err != nil {
		return nil, fmt.Errorf("decode s3-put.json: %w", err)
	}
	for i := range event.Records {
		event.Records[i].S3.Bucket.Name = bucket
		event.Records[i].S3.Bucket.Arn = "arn:aws:s3:::" + bucket
		event.Records[i].S3.Object.Key = strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
		event.Records[i].S3.Object.Size = size
	}
	return json.Marshal(event)
}

// build compiles pkg as the Makefile does for arch and returns the
// binary's size.
func build(ctx context.Context, pkg, arch, out string) (int64, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("build %s for %s: %w\n%s", pkg, arch, err, output)
	}
	info, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// lambdaEnv is the environment Lambda gives the function, with the AWS
// endpoints pointed at the local servers and no shared AWS files.
func lambdaEnv(servers *awstest.Servers, name string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"TABLE_NAME=" + table,
		"CURSOR_KEY=" + cursorKey,
		"AWS_REGION=" + awstest.Region,
		"AWS_DEFAULT_REGION=" + awstest.Region,
		"AWS_ACCESS_KEY_ID=S3RVER",
		"AWS_SECRET_ACCESS_KEY=S3RVER",
		"AWS_ENDPOINT_URL_DYNAMODB=" + servers.DynamoDBEndpoint(),
		"AWS_ENDPOINT_URL_S3=" + servers.S3Endpoint(),
		"AWS_CONFIG_FILE=/nonexistent/aws-config",
		"AWS_SHARED_CREDENTIALS_FILE=/nonexistent/aws-credentials",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_LAMBDA_FUNCTION_NAME=quotes-" + name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/quotes-" + name,
		"AWS_LAMBDA_LOG_STREAM_NAME=coldstart",
		"AWS_LAMBDA_RUNTIME_API=", // set per run
	}
}

// measurement is one cold start.
type measurement struct {
	// ready is when the function first asked for an event: its init.
	ready time.Duration
	// answered is when it posted the event's answer.
	answered time.Duration
	answer   []byte
	maxRSS   int64 // KB
}

// coldStart starts binary against a fresh Runtime API holding event and
// waits for the answer.
func coldStart(ctx context.Context, binary string, env []string, event []byte) (measurement, error) {
	rt, err := newRuntimeAPI(event)
	if err != nil {
		return measurement{}, err
	}
	defer rt.close()
	env[len(env)-1] = "AWS_LAMBDA_RUNTIME_API=" + rt.addr

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.Command(binary)
	cmd.Env = env
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	rt.start = start
	if err := cmd.Start(); err != nil {
		return measurement{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var m measurement
	var runErr error
	select {
	case out := <-rt.done:
		m = measurement{ready: out.ready, answered: out.at, answer: out.body}
		if out.err != nil {
			runErr = out.err
		}
	case err := <-exited:
		return measurement{}, fmt.Errorf("function exited before answering: %v\n%s", err, logs.String())
	case <-ctx.Done():
		runErr = ctx.Err()
	}
	_ = cmd.Process.Kill()
	<-exited
	if runErr != nil {
		return measurement{}, fmt.Errorf("%w\n%s", runErr, logs.String())
	}
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = usage.Maxrss
	}
	return m, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(100 * time.Microsecond)
}

func medianInt(v []int64) int64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func verdict(sizes map[string]int64) string {
	for _, size := range sizes {
		if size > maxBinarySize {
			return "OVER"
		}
	}
	return "ok"
}

var errInvocation = errors.New("the function reported an error")
