package awstest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"gopkg.in/yaml.v3"
)

// Calls records the IAM action each AWS call a client makes needs
// ("dynamodb:Query", "s3:GetObject"), so that a test can check a
// function's calls against the actions template.yaml grants it.
type Calls struct {
	mu      sync.Mutex
	actions map[string]int
}

// actionOf names the IAM action an operation needs where it is not the
// operation's own name.
var actionOf = map[string]string{
	"s3:HeadObject": "s3:GetObject",
}

// APIOptions adds the recorder to a client's stack, as
// config.WithAPIOptions and a service's Options.APIOptions take it.
func (c *Calls) APIOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("awstestRecordCall",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				service := strings.ToLower(strings.ReplaceAll(awsmiddleware.GetServiceID(ctx), " ", ""))
				action := service + ":" + awsmiddleware.GetOperationName(ctx)
				if a, ok := actionOf[action]; ok {
					action = a
				}
				c.mu.Lock()
				if c.actions == nil {
					c.actions = map[string]int{}
				}
				c.actions[action]++
				c.mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}}
}

// Actions returns the actions recorded, sorted.
func (c *Calls) Actions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var actions []string
	for a := range c.actions {
		actions = append(actions, a)
	}
	slices.Sort(actions)
	return actions
}

// Granted returns the IAM actions template.yaml grants function, sorted:
// the Action lists of the Allow statements of its inline policies. A SAM
// policy template (DynamoDBCrudPolicy…) is refused, since what it grants
// is not written in the template.
func (s *Servers) Granted(function string) ([]string, error) {
	template, err := readTemplate(filepath.Join(s.root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	return grantedActions(template, function)
}

func grantedActions(template *yaml.Node, function string) ([]string, error) {
	policies := mappingValue(mappingValue(mappingValue(mappingValue(template, "Resources"), function), "Properties"), "Policies")
	if policies == nil || policies.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("awstest: %s has no Policies list", function)
	}
	var actions []string
	for _, policy := range policies.Content {
		statements := mappingValue(policy, "Statement")
		if statements == nil || statements.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("awstest: %s has a policy without a Statement list (a SAM policy template?)", function)
		}
		for _, st := range statements.Content {
			if effect := mappingValue(st, "Effect"); effect == nil || effect.Value != "Allow" {
				return nil, fmt.Errorf("awstest: %s has a statement that is not Effect: Allow", function)
			}
			action := mappingValue(st, "Action")
			switch {
			case action == nil:
				return nil, fmt.Errorf("awstest: %s has a statement without Action", function)
			case action.Kind == yaml.ScalarNode:
				actions = append(actions, action.Value)
			default:
				for _, a := range action.Content {
					actions = append(actions, a.Value)
				}
			}
		}
	}
	slices.Sort(actions)
	return slices.Compact(actions), nil
}

// Ungranted returns the recorded actions function is not granted.
func (s *Servers) Ungranted(function string, calls *Calls) ([]string, error) {
	granted, err := s.Granted(function)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, a := range calls.Actions() {
		if !slices.Contains(granted, a) {
			missing = append(missing, a)
		}
	}
	return missing, nil
}
