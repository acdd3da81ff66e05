package awstest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"gopkg.in/yaml.v3"
)

// tableResource is the logical id of the service's table in template.yaml.
const tableResource = "QuotesTable"

// CreateTable creates a table called name with the key schema, indexes and
// billing mode of template.yaml's QuotesTable, so that tests run against
// exactly the table that is deployed, and waits until it is ACTIVE.
func (s *Servers) CreateTable(ctx context.Context, name string) error {
	input, err := tableInput(filepath.Join(s.root, "template.yaml"), name)
	if err != nil {
		return err
	}
	client := s.DynamoDB()
	if _, err := client.CreateTable(ctx, input); err != nil {
		return fmt.Errorf("awstest: create table %s: %w", name, err)
	}
	// dynalite runs with --createTableMs 0, so the first poll normally finds
	// the table ACTIVE; the waiter's default 20 s between polls is for AWS.
	waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 10 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, startupTimeout); err != nil {
		return fmt.Errorf("awstest: create table %s: wait until active: %w", name, err)
	}
	return nil
}

// tableProperties is the part of an AWS::DynamoDB::Table's Properties that
// shapes the table's data; the rest (point-in-time recovery, encryption,
// tags) only matters in AWS.
type tableProperties struct {
	BillingMode          string `yaml:"BillingMode"`
	AttributeDefinitions []struct {
		AttributeName string `yaml:"AttributeName"`
		AttributeType string `yaml:"AttributeType"`
	} `yaml:"AttributeDefinitions"`
	KeySchema              []keyElement `yaml:"KeySchema"`
	GlobalSecondaryIndexes []struct {
		IndexName  string       `yaml:"IndexName"`
		KeySchema  []keyElement `yaml:"KeySchema"`
		Projection struct {
			ProjectionType   string   `yaml:"ProjectionType"`
			NonKeyAttributes []string `yaml:"NonKeyAttributes"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
}

type keyElement struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

// tableInput reads the QuotesTable resource from the SAM template at path
// and returns the input that creates a table of that shape called name.
func tableInput(path, name string) (*dynamodb.CreateTableInput, error) {
	template, err := readTemplate(path)
	if err != nil {
		return nil, err
	}
	resource := mappingValue(mappingValue(template, "Resources"), tableResource)
	if resource == nil {
		return nil, fmt.Errorf("awstest: %s: no resource %s", path, tableResource)
	}
	if typ := mappingValue(resource, "Type"); typ == nil || typ.Value != "AWS::DynamoDB::Table" {
		return nil, fmt.Errorf("awstest: %s: %s is not an AWS::DynamoDB::Table", path, tableResource)
	}
	properties := mappingValue(resource, "Properties")
	if properties == nil {
		return nil, fmt.Errorf("awstest: %s: %s has no Properties", path, tableResource)
	}
	var props tableProperties
	if err := properties.Decode(&props); err != nil {
		return nil, fmt.Errorf("awstest: %s: %s Properties: %w", path, tableResource, err)
	}
	if len(props.AttributeDefinitions) == 0 || len(props.KeySchema) == 0 {
		return nil, fmt.Errorf("awstest: %s: %s needs AttributeDefinitions and KeySchema", path, tableResource)
	}

	input := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingMode(props.BillingMode),
		KeySchema:   keySchema(props.KeySchema),
	}
	for _, a := range props.AttributeDefinitions {
		input.AttributeDefinitions = append(input.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName),
			AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	for _, gsi := range props.GlobalSecondaryIndexes {
		projection := &types.Projection{ProjectionType: types.ProjectionType(gsi.Projection.ProjectionType)}
		if len(gsi.Projection.NonKeyAttributes) > 0 {
			projection.NonKeyAttributes = gsi.Projection.NonKeyAttributes
		}
		input.GlobalSecondaryIndexes = append(input.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName:  aws.String(gsi.IndexName),
			KeySchema:  keySchema(gsi.KeySchema),
			Projection: projection,
		})
	}
	return input, nil
}

func keySchema(elements []keyElement) []types.KeySchemaElement {
	schema := make([]types.KeySchemaElement, 0, len(elements))
	for _, e := range elements {
		schema = append(schema, types.KeySchemaElement{
			AttributeName: aws.String(e.AttributeName),
			KeyType:       types.KeyType(e.KeyType),
		})
	}
	return schema
}

// readTemplate parses a SAM template into a yaml.Node: CloudFormation's
// short-form intrinsics (!Ref, !GetAtt, !Sub) are YAML tags that a plain
// map would reject or lose.
func readTemplate(path string) (*yaml.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("awstest: read template: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("awstest: parse %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("awstest: parse %s: not a single YAML document", path)
	}
	return doc.Content[0], nil
}

// mappingValue returns the value under key in a YAML mapping, or nil when n
// is nil, not a mapping, or has no such key.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
