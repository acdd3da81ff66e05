package awstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// testServers are started once for this test binary by TestMain.
var testServers *Servers

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	servers, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer servers.Stop()
	testServers = servers
	return m.Run()
}

// uniqueName returns a table or bucket name no other test uses.
func uniqueName(t *testing.T) string {
	t.Helper()
	return "t-" + strings.ToLower(rand.Text()[:12])
}

func TestServersListenOnLoopback(t *testing.T) {
	for name, endpoint := range map[string]string{
		"dynalite": testServers.DynamoDBEndpoint(),
		"s3rver":   testServers.S3Endpoint(),
	} {
		u, err := url.Parse(endpoint)
		if err != nil {
			t.Fatalf("%s endpoint %q: %v", name, endpoint, err)
		}
		if got := u.Hostname(); got != "127.0.0.1" {
			t.Errorf("%s listens on host %q, want 127.0.0.1", name, got)
		}
	}
	if testServers.DynamoDBEndpoint() == testServers.S3Endpoint() {
		t.Errorf("both servers on %s", testServers.S3Endpoint())
	}
}

func TestCreateTableFollowsTemplate(t *testing.T) {
	ctx := t.Context()
	name := uniqueName(t)
	if err := testServers.CreateTable(ctx, name); err != nil {
		t.Fatal(err)
	}
	out, err := testServers.DynamoDB().DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	table := out.Table
	if got := table.TableStatus; got != dbtypes.TableStatusActive {
		t.Errorf("status = %s, want ACTIVE", got)
	}
	if table.BillingModeSummary == nil || table.BillingModeSummary.BillingMode != dbtypes.BillingModePayPerRequest {
		t.Errorf("billing mode = %+v, want PAY_PER_REQUEST", table.BillingModeSummary)
	}
	if got, want := keyNames(table.KeySchema), "PK HASH, SK RANGE"; got != want {
		t.Errorf("key schema = %s, want %s", got, want)
	}
	if len(table.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("got %d global secondary indexes, want 1", len(table.GlobalSecondaryIndexes))
	}
	gsi := table.GlobalSecondaryIndexes[0]
	if got := aws.ToString(gsi.IndexName); got != "GSI1" {
		t.Errorf("index name = %s, want GSI1", got)
	}
	if got, want := keyNames(gsi.KeySchema), "GSI1PK HASH, GSI1SK RANGE"; got != want {
		t.Errorf("GSI1 key schema = %s, want %s", got, want)
	}
	if got := gsi.Projection.ProjectionType; got != dbtypes.ProjectionTypeAll {
		t.Errorf("GSI1 projection = %s, want ALL", got)
	}
}

func keyNames(schema []dbtypes.KeySchemaElement) string {
	var parts []string
	for _, k := range schema {
		parts = append(parts, aws.ToString(k.AttributeName)+" "+string(k.KeyType))
	}
	return strings.Join(parts, ", ")
}

func TestTableRoundTrip(t *testing.T) {
	ctx := t.Context()
	table := uniqueName(t)
	if err := testServers.CreateTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	db := testServers.DynamoDB()
	item := map[string]dbtypes.AttributeValue{
		"PK":     &dbtypes.AttributeValueMemberS{Value: "ARTICLE#a1"},
		"SK":     &dbtypes.AttributeValueMemberS{Value: "QUOTE#0001"},
		"GSI1PK": &dbtypes.AttributeValueMemberS{Value: "SPEAKER#jane-doe"},
		"GSI1SK": &dbtypes.AttributeValueMemberS{Value: "2026-11-23#q1"},
		"Text":   &dbtypes.AttributeValueMemberS{Value: "“We will not back down,” she said."},
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}

	got, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]dbtypes.AttributeValue{"PK": item["PK"], "SK": item["SK"]},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := item["Text"].(*dbtypes.AttributeValueMemberS).Value; stringAttr(got.Item, "Text") != want {
		t.Errorf("GetItem Text = %q, want %q", stringAttr(got.Item, "Text"), want)
	}

	byIndex, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(table),
		IndexName:              aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :speaker"),
		ExpressionAttributeValues: map[string]dbtypes.AttributeValue{
			":speaker": &dbtypes.AttributeValueMemberS{Value: "SPEAKER#jane-doe"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(byIndex.Items) != 1 || stringAttr(byIndex.Items[0], "SK") != "QUOTE#0001" {
		t.Errorf("Query GSI1 = %v, want the one item put", byIndex.Items)
	}

	if _, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(table),
		Key:       map[string]dbtypes.AttributeValue{"PK": item["PK"], "SK": item["SK"]},
	}); err != nil {
		t.Fatal(err)
	}
	gone, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key:       map[string]dbtypes.AttributeValue{"PK": item["PK"], "SK": item["SK"]},
	})
	if err != nil {
		t.Fatal(err)
	}
	if gone.Item != nil {
		t.Errorf("GetItem after DeleteItem = %v, want no item", gone.Item)
	}
}

func stringAttr(item map[string]dbtypes.AttributeValue, name string) string {
	if s, ok := item[name].(*dbtypes.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func TestObjectRoundTrip(t *testing.T) {
	ctx := t.Context()
	bucket := uniqueName(t)
	if err := testServers.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	client := testServers.S3()

	large := make([]byte, 3<<20)
	rand.Read(large)
	tests := []struct {
		name, key, contentType string
		body                   []byte
		// s3rver writes a non-ASCII key into its error XML as an HTML
		// entity (&eacute;), which is not XML: the SDK then reports only
		// the status, not the NoSuchKey/NotFound type.
		errorXMLBroken bool
	}{
		{name: "text", key: "articles/2026/budget.txt", contentType: "text/plain; charset=utf-8", body: []byte("“Taxes will rise,” the minister said.\n")},
		{name: "empty", key: "articles/empty.md", contentType: "text/markdown"},
		{name: "key needing escapes", key: "articles/a b+c (1)&d.html", contentType: "text/html", body: []byte("<p>hello</p>")},
		{name: "non-ASCII key", key: "articles/étude.txt", contentType: "text/plain", body: []byte("étude"), errorXMLBroken: true},
		{name: "large binary", key: "articles/large.json", contentType: "application/json", body: large},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket:      aws.String(bucket),
				Key:         aws.String(tt.key),
				Body:        bytes.NewReader(tt.body),
				ContentType: aws.String(tt.contentType),
			}); err != nil {
				t.Fatalf("PutObject: %v", err)
			}

			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.key)})
			if err != nil {
				t.Fatalf("HeadObject: %v", err)
			}
			if got := aws.ToInt64(head.ContentLength); got != int64(len(tt.body)) {
				t.Errorf("HeadObject ContentLength = %d, want %d", got, len(tt.body))
			}
			if got := aws.ToString(head.ContentType); got != tt.contentType {
				t.Errorf("HeadObject ContentType = %q, want %q", got, tt.contentType)
			}

			obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.key)})
			if err != nil {
				t.Fatalf("GetObject: %v", err)
			}
			got, err := io.ReadAll(obj.Body)
			obj.Body.Close()
			if err != nil {
				t.Fatalf("GetObject body: %v", err)
			}
			if !bytes.Equal(got, tt.body) {
				t.Errorf("GetObject body: got %d bytes, want the %d put", len(got), len(tt.body))
			}

			list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(tt.key)})
			if err != nil {
				t.Fatalf("ListObjectsV2: %v", err)
			}
			if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != tt.key {
				t.Errorf("ListObjectsV2 prefix %q = %v, want just %q", tt.key, objectKeys(list.Contents), tt.key)
			}

			if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.key)}); err != nil {
				t.Fatalf("DeleteObject: %v", err)
			}
			_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.key)})
			if status := httpStatus(err); status != http.StatusNotFound {
				t.Errorf("GetObject after DeleteObject: status %d (err %v), want 404", status, err)
			}
			if _, ok := errors.AsType[*s3types.NoSuchKey](err); !ok && !tt.errorXMLBroken {
				t.Errorf("GetObject after DeleteObject: err = %v, want NoSuchKey", err)
			}
			_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.key)})
			if status := httpStatus(err); status != http.StatusNotFound {
				t.Errorf("HeadObject after DeleteObject: status %d (err %v), want 404", status, err)
			}
			if _, ok := errors.AsType[*s3types.NotFound](err); !ok && !tt.errorXMLBroken {
				t.Errorf("HeadObject after DeleteObject: err = %v, want NotFound", err)
			}
		})
	}
}

// httpStatus is the HTTP status of a failed SDK call, or 0.
func httpStatus(err error) int {
	if re, ok := errors.AsType[*awshttp.ResponseError](err); ok {
		return re.HTTPStatusCode()
	}
	return 0
}

func objectKeys(objects []s3types.Object) []string {
	keys := make([]string, 0, len(objects))
	for _, o := range objects {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// Production code builds its clients from an aws.Config alone; Config must
// be enough for that to reach the servers.
func TestConfigReachesServers(t *testing.T) {
	ctx := t.Context()
	table, bucket := uniqueName(t), uniqueName(t)
	if err := testServers.CreateTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	if err := testServers.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	cfg := testServers.Config()

	tables, err := dynamodb.NewFromConfig(cfg).ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if !slices.Contains(tables.TableNames, table) {
		t.Errorf("ListTables = %v, want it to contain %s", tables.TableNames, table)
	}

	client := s3.NewFromConfig(cfg)
	body := []byte("from a client built on Config alone")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("a.txt"), Body: bytes.NewReader(body),
	}); err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a.txt")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	defer obj.Body.Close()
	if got, _ := io.ReadAll(obj.Body); !bytes.Equal(got, body) {
		t.Errorf("GetObject body = %q, want %q", got, body)
	}
}

func TestCreateBucketTwiceFails(t *testing.T) {
	ctx := t.Context()
	bucket := uniqueName(t)
	if err := testServers.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	if err := testServers.CreateBucket(ctx, bucket); err == nil {
		t.Error("second CreateBucket of the same name succeeded, want an error")
	}
}

func TestStopEndsServers(t *testing.T) {
	servers, err := Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	endpoints := []string{servers.DynamoDBEndpoint(), servers.S3Endpoint()}
	dataDir := servers.s3DataDir
	servers.Stop()
	servers.Stop() // a second Stop is harmless

	for _, endpoint := range endpoints {
		u, _ := url.Parse(endpoint)
		if conn, err := net.Dial("tcp", u.Host); err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections after Stop", endpoint)
		}
	}
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("s3rver data directory %s after Stop: stat err = %v, want it removed", dataDir, err)
	}
}

func TestStartWithoutInstalledServers(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	servers, err := start(t.Context(), root)
	if err == nil {
		servers.Stop()
		t.Fatal("Start without infra/local/node_modules succeeded, want an error")
	}
	if !strings.Contains(err.Error(), "infra/local/install.sh") {
		t.Errorf("error %q does not tell to run infra/local/install.sh", err)
	}
}

func BenchmarkStartStop(b *testing.B) {
	for b.Loop() {
		servers, err := Start(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		servers.Stop()
	}
}
