package awstest

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"gopkg.in/yaml.v3"
)

// The template is checked against the code it deploys: which directories
// hold the functions, which table keys the store uses, what each function
// may do. sam validate would catch none of these.

// functionPackages are the functions template.yaml must declare and the
// directory of each one's main package.
var functionPackages = map[string]string{
	"IngestFunction": "functions/ingest",
	"ApiFunction":    "functions/api",
}

func loadTemplate(t *testing.T) *yaml.Node {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	template, err := readTemplate(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return template
}

// at follows keys through nested mappings; nil when one is missing.
func at(n *yaml.Node, keys ...string) *yaml.Node {
	for _, key := range keys {
		n = mappingValue(n, key)
	}
	return n
}

// render writes a scalar or an intrinsic function in the short form used
// in the template ("!Ref QuotesTable", "!GetAtt IngestFailures.Arn"),
// whichever form the template spells it in.
func render(n *yaml.Node) string {
	if n == nil {
		return "<missing>"
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			return n.Tag + " " + n.Value
		}
		return n.Value
	case yaml.MappingNode:
		if len(n.Content) == 2 {
			name, value := n.Content[0].Value, n.Content[1]
			switch name {
			case "Ref":
				return "!Ref " + value.Value
			case "Fn::Sub":
				return "!Sub " + value.Value
			case "Fn::GetAtt":
				if value.Kind == yaml.SequenceNode {
					return "!GetAtt " + strings.Join(scalars(value), ".")
				}
				return "!GetAtt " + value.Value
			}
		}
	case yaml.SequenceNode:
		if n.Tag == "!GetAtt" {
			return "!GetAtt " + strings.Join(scalars(n), ".")
		}
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			// !If [cond, a, b], !Equals [a, b]…
			return n.Tag + " [" + strings.Join(scalars(n), ", ") + "]"
		}
	}
	return "<unrecognised " + n.Tag + ">"
}

func scalars(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var values []string
	for _, item := range n.Content {
		values = append(values, render(item))
	}
	return values
}

// resourcesOfType returns the logical ids of the template's resources of typ.
func resourcesOfType(template *yaml.Node, typ string) []string {
	resources := at(template, "Resources")
	var ids []string
	for i := 0; resources != nil && i+1 < len(resources.Content); i += 2 {
		if render(at(resources.Content[i+1], "Type")) == typ {
			ids = append(ids, resources.Content[i].Value)
		}
	}
	return ids
}

// functionProperty is a function's property with the Globals section's
// value as the fallback, as SAM merges them.
func functionProperty(template *yaml.Node, function string, key string) *yaml.Node {
	if v := at(template, "Resources", function, "Properties", key); v != nil {
		return v
	}
	return at(template, "Globals", "Function", key)
}

func TestTemplateDeclaresTheFunctions(t *testing.T) {
	template := loadTemplate(t)
	got := resourcesOfType(template, "AWS::Serverless::Function")
	slices.Sort(got)
	want := slices.Sorted(maps.Keys(functionPackages))
	if !slices.Equal(got, want) {
		t.Errorf("functions in template.yaml = %v, want %v", got, want)
	}
}

func TestTemplateFunctionRuntime(t *testing.T) {
	template := loadTemplate(t)
	for function := range functionPackages {
		t.Run(function, func(t *testing.T) {
			for _, tt := range []struct{ property, want string }{
				{"Runtime", "provided.al2023"},
				{"Handler", "bootstrap"},
			} {
				if got := render(functionProperty(template, function, tt.property)); got != tt.want {
					t.Errorf("%s = %s, want %s", tt.property, got, tt.want)
				}
			}
			if got := scalars(functionProperty(template, function, "Architectures")); !slices.Equal(got, []string{"arm64"}) {
				t.Errorf("Architectures = %v, want [arm64]", got)
			}
			if got := render(at(functionProperty(template, function, "LoggingConfig"), "LogFormat")); got != "JSON" {
				t.Errorf("LoggingConfig.LogFormat = %s, want JSON", got)
			}
		})
	}
}

// SAM runs `make build-<LogicalId>` in the function's CodeUri and packages
// $(ARTIFACTS_DIR)/bootstrap; the recipe must build that function's own
// main package for Lambda's arm64 Linux.
func TestTemplateFunctionBuilds(t *testing.T) {
	template := loadTemplate(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for function, pkg := range functionPackages {
		t.Run(function, func(t *testing.T) {
			if got := render(at(template, "Resources", function, "Metadata", "BuildMethod")); got != "makefile" {
				t.Fatalf("Metadata.BuildMethod = %s, want makefile", got)
			}
			codeURI := render(functionProperty(template, function, "CodeUri"))
			recipe, err := makeRecipe(filepath.Join(root, codeURI, "Makefile"), "build-"+function)
			if err != nil {
				t.Fatalf("CodeUri %s: %v", codeURI, err)
			}
			for _, want := range []string{
				"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "go build", "-tags lambda.norpc",
				"-o $(ARTIFACTS_DIR)/bootstrap", "./" + pkg,
			} {
				if !strings.Contains(recipe, want) {
					t.Errorf("recipe of build-%s = %q, want it to contain %q", function, recipe, want)
				}
			}
			if !strings.HasSuffix(strings.TrimSpace(recipe), "./"+pkg) {
				t.Errorf("recipe of build-%s = %q, want it to build ./%s", function, recipe, pkg)
			}
			if err := isMainPackage(filepath.Join(root, codeURI, pkg)); err != nil {
				t.Error(err)
			}
		})
	}
}

// makeRecipe returns the recipe lines of target in the Makefile at path.
func makeRecipe(path, target string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var recipe []string
	inTarget := false
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, target+":"):
			inTarget = true
		case inTarget && strings.HasPrefix(line, "\t"):
			recipe = append(recipe, strings.TrimSpace(line))
		case inTarget:
			return strings.Join(recipe, "\n"), lines.Err()
		}
	}
	if !inTarget {
		return "", fmt.Errorf("%s: no target %s", path, target)
	}
	return strings.Join(recipe, "\n"), lines.Err()
}

// isMainPackage reports whether dir holds a Go main package with func main.
func isMainPackage(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if parsed.Name.Name != "main" {
			return fmt.Errorf("%s: package %s, want package main", file, parsed.Name.Name)
		}
		for _, decl := range parsed.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
				return nil
			}
		}
	}
	return fmt.Errorf("%s: no Go file with func main", dir)
}

// Every environment variable a function reads must be set by the template,
// and the template should set nothing the function ignores. Variables
// Lambda itself provides (AWS_*, _HANDLER, ...) are not the template's.
func TestTemplateFunctionEnvironment(t *testing.T) {
	template := loadTemplate(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for function, pkg := range functionPackages {
		t.Run(function, func(t *testing.T) {
			read, err := envVarsRead(filepath.Join(root, pkg))
			if err != nil {
				t.Fatal(err)
			}
			var set []string
			variables := at(functionProperty(template, function, "Environment"), "Variables")
			for i := 0; variables != nil && i+1 < len(variables.Content); i += 2 {
				set = append(set, variables.Content[i].Value)
			}
			slices.Sort(set)
			if !slices.Equal(read, set) {
				t.Errorf("%s reads environment variables %v; template.yaml sets %v", pkg, read, set)
			}
		})
	}
}

// envVarsRead returns the sorted names passed as literals to os.Getenv or
// os.LookupEnv in dir's non-test Go files, leaving out Lambda's own.
func envVarsRead(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		ast.Inspect(parsed, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			fn, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (fn.Sel.Name != "Getenv" && fn.Sel.Name != "LookupEnv") {
				return true
			}
			if pkg, ok := fn.X.(*ast.Ident); !ok || pkg.Name != "os" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			name, err := strconv.Unquote(lit.Value)
			if err == nil && !strings.HasPrefix(name, "AWS_") && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, "LAMBDA_") {
				names = append(names, name)
			}
			return true
		})
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

func TestTemplateTable(t *testing.T) {
	template := loadTemplate(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	input, err := tableInput(filepath.Join(root, "template.yaml"), "quotes")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(input.BillingMode); got != "PAY_PER_REQUEST" {
		t.Errorf("BillingMode = %s, want PAY_PER_REQUEST", got)
	}
	if got, want := keyNames(input.KeySchema), "PK HASH, SK RANGE"; got != want {
		t.Errorf("KeySchema = %s, want %s", got, want)
	}
	var attributes []string
	for _, a := range input.AttributeDefinitions {
		attributes = append(attributes, aws.ToString(a.AttributeName)+" "+string(a.AttributeType))
	}
	slices.Sort(attributes)
	if want := []string{"GSI1PK S", "GSI1SK S", "PK S", "SK S"}; !slices.Equal(attributes, want) {
		t.Errorf("AttributeDefinitions = %v, want %v", attributes, want)
	}
	if len(input.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("got %d GlobalSecondaryIndexes, want 1", len(input.GlobalSecondaryIndexes))
	}
	gsi := input.GlobalSecondaryIndexes[0]
	if got := aws.ToString(gsi.IndexName); got != "GSI1" {
		t.Errorf("index = %s, want GSI1", got)
	}
	if got, want := keyNames(gsi.KeySchema), "GSI1PK HASH, GSI1SK RANGE"; got != want {
		t.Errorf("GSI1 KeySchema = %s, want %s", got, want)
	}
	if got := string(gsi.Projection.ProjectionType); got != "ALL" {
		t.Errorf("GSI1 Projection = %s, want ALL", got)
	}
	if got := render(at(template, "Resources", tableResource, "Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")); got != "true" {
		t.Errorf("PointInTimeRecoveryEnabled = %s, want true", got)
	}
}

func TestTemplateBucket(t *testing.T) {
	bucket := at(loadTemplate(t), "Resources", "ArticlesBucket", "Properties")
	for _, tt := range []struct {
		path []string
		want string
	}{
		{[]string{"VersioningConfiguration", "Status"}, "Enabled"},
		{[]string{"PublicAccessBlockConfiguration", "BlockPublicAcls"}, "true"},
		{[]string{"PublicAccessBlockConfiguration", "BlockPublicPolicy"}, "true"},
		{[]string{"PublicAccessBlockConfiguration", "IgnorePublicAcls"}, "true"},
		{[]string{"PublicAccessBlockConfiguration", "RestrictPublicBuckets"}, "true"},
	} {
		if got := render(at(bucket, tt.path...)); got != tt.want {
			t.Errorf("ArticlesBucket %s = %s, want %s", strings.Join(tt.path, "."), got, tt.want)
		}
	}
	rules := at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration")
	if rules == nil || len(rules.Content) != 1 || render(at(rules.Content[0], "ServerSideEncryptionByDefault", "SSEAlgorithm")) != "AES256" {
		t.Errorf("ArticlesBucket encryption is not AES256 by default")
	}
}

// policies returns a function's SAM policy templates by name.
// statements returns a function's inline policy statements by Sid,
// failing t on a SAM policy template, whose grants the template does not
// spell out, and on a statement that is not Effect: Allow.
func statements(t *testing.T, template *yaml.Node, function string) map[string]*yaml.Node {
	t.Helper()
	list := at(template, "Resources", function, "Properties", "Policies")
	if list == nil || list.Kind != yaml.SequenceNode {
		t.Fatalf("%s has no Policies list", function)
	}
	bySid := make(map[string]*yaml.Node)
	for _, p := range list.Content {
		sts := at(p, "Statement")
		if sts == nil || sts.Kind != yaml.SequenceNode {
			t.Fatalf("%s has a policy that is not a list of statements: %s", function, render(p))
		}
		for _, st := range sts.Content {
			if got := render(at(st, "Effect")); got != "Allow" {
				t.Errorf("%s statement %s Effect = %s, want Allow", function, render(at(st, "Sid")), got)
			}
			bySid[render(at(st, "Sid"))] = st
		}
	}
	return bySid
}

// checkGrants checks a function's statements: their Sids, each one's
// resources, and that no action is a wildcard or a Scan (every read is a
// Query, GetItem or BatchGetItem on a known key).
func checkGrants(t *testing.T, template *yaml.Node, function string, resources map[string][]string) {
	t.Helper()
	got := statements(t, template, function)
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(resources))) {
		t.Errorf("%s statements %v, want %v", function, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(resources)))
	}
	for sid, want := range resources {
		node := at(got[sid], "Resource")
		res := scalars(node)
		if node != nil && node.Kind != yaml.SequenceNode {
			res = []string{render(node)}
		}
		if !slices.Equal(res, want) {
			t.Errorf("%s statement %s Resource = %q, want %q", function, sid, res, want)
		}
	}
	actions, err := grantedActions(template, function)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range actions {
		if strings.Contains(a, "*") || a == "dynamodb:Scan" {
			t.Errorf("%s is granted %s; grant only the actions the code calls, and never Scan", function, a)
		}
	}
}

func TestTemplateIngestFunction(t *testing.T) {
	template := loadTemplate(t)
	const function = "IngestFunction"

	t.Run("S3 events", func(t *testing.T) {
		var types []string
		events := at(template, "Resources", function, "Properties", "Events")
		for i := 0; events != nil && i+1 < len(events.Content); i += 2 {
			event := events.Content[i+1]
			if render(at(event, "Type")) != "S3" {
				continue
			}
			if got := render(at(event, "Properties", "Bucket")); got != "!Ref ArticlesBucket" {
				t.Errorf("event %s Bucket = %s, want !Ref ArticlesBucket", events.Content[i].Value, got)
			}
			types = append(types, scalars(at(event, "Properties", "Events"))...)
		}
		for _, want := range []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*"} {
			if !slices.Contains(types, want) {
				t.Errorf("S3 events %v lack %s", types, want)
			}
		}
	})

	t.Run("failures go to the queue", func(t *testing.T) {
		config := at(template, "Resources", function, "Properties", "EventInvokeConfig")
		if got := render(at(config, "MaximumRetryAttempts")); got != "2" {
			t.Errorf("MaximumRetryAttempts = %s, want 2", got)
		}
		onFailure := at(config, "DestinationConfig", "OnFailure")
		if got := render(at(onFailure, "Type")); got != "SQS" {
			t.Errorf("OnFailure Type = %s, want SQS", got)
		}
		if got := render(at(onFailure, "Destination")); got != "!GetAtt IngestFailures.Arn" {
			t.Errorf("OnFailure Destination = %s, want !GetAtt IngestFailures.Arn", got)
		}
		if got := render(at(template, "Resources", "IngestFailures", "Type")); got != "AWS::SQS::Queue" {
			t.Errorf("IngestFailures Type = %s, want AWS::SQS::Queue", got)
		}
	})

	t.Run("policies", func(t *testing.T) {
		// The bucket is named through the expression its name is made of:
		// !Ref ArticlesBucket would make the bucket, its notification, the
		// function and its role depend on each other in a circle
		// CloudFormation rejects.
		bucketName := render(at(template, "Resources", "ArticlesBucket", "Properties", "BucketName"))
		if !strings.HasPrefix(bucketName, "!Sub ") {
			t.Fatalf("ArticlesBucket BucketName = %s, want a !Sub the policy can repeat", bucketName)
		}
		checkGrants(t, template, function, map[string][]string{
			"Table":        {"!GetAtt QuotesTable.Arn", "!Sub ${QuotesTable.Arn}/index/*"},
			"Articles":     {"!Sub arn:${AWS::Partition}:s3:::" + strings.TrimPrefix(bucketName, "!Sub ") + "/*"},
			"FailedEvents": {"!GetAtt IngestFailures.Arn"},
		})
	})

	if got := render(at(template, "Resources", function, "Properties", "Environment", "Variables", "TABLE_NAME")); got != "!Ref "+tableResource {
		t.Errorf("TABLE_NAME = %s, want !Ref %s", got, tableResource)
	}
}

func TestTemplateApiFunction(t *testing.T) {
	template := loadTemplate(t)
	const function = "ApiFunction"

	t.Run("reads the table only", func(t *testing.T) {
		checkGrants(t, template, function, map[string][]string{
			"Table": {"!GetAtt QuotesTable.Arn", "!Sub ${QuotesTable.Arn}/index/*"},
		})
		actions, err := grantedActions(template, function)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if !slices.Contains([]string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}, a) {
				t.Errorf("%s is granted %s; the API only reads", function, a)
			}
		}
	})

	t.Run("environment", func(t *testing.T) {
		variables := at(template, "Resources", function, "Properties", "Environment", "Variables")
		for name, want := range map[string]string{"TABLE_NAME": "!Ref " + tableResource, "CURSOR_KEY": "!Ref CursorKey"} {
			if got := render(at(variables, name)); got != want {
				t.Errorf("%s = %s, want %s", name, got, want)
			}
		}
		if got := render(at(template, "Parameters", "CursorKey", "NoEcho")); got != "true" {
			t.Errorf("CursorKey NoEcho = %s, want true", got)
		}
	})

	t.Run("routes", func(t *testing.T) {
		if events := at(template, "Resources", function, "Properties", "Events"); events != nil {
			t.Errorf("%s has SAM events; its routes are AWS::ApiGatewayV2::Route resources", function)
		}
		var routes []string
		for _, id := range resourcesOfType(template, "AWS::ApiGatewayV2::Route") {
			props := at(template, "Resources", id, "Properties")
			for field, want := range map[string]string{
				"ApiId":             "!Ref QuotesApi",
				"Target":            "!Sub integrations/${QuotesApiIntegration}",
				"AuthorizationType": "!If [AuthJwt, JWT, !If [AuthIam, AWS_IAM, NONE]]",
				"AuthorizerId":      "!If [AuthJwt, !Ref QuotesApiJwtAuthorizer, !Ref AWS::NoValue]",
			} {
				if got := render(at(props, field)); got != want {
					t.Errorf("route %s %s = %s, want %s", id, field, got, want)
				}
			}
			routes = append(routes, render(at(props, "RouteKey")))
		}
		slices.Sort(routes)
		if want := []string{"GET /", "GET /{proxy+}", "POST /verify", "POST /{proxy+}"}; !slices.Equal(routes, want) {
			t.Errorf("routes = %v, want %v", routes, want)
		}
		integration := at(template, "Resources", "QuotesApiIntegration", "Properties")
		for field, want := range map[string]string{
			"ApiId": "!Ref QuotesApi", "IntegrationType": "AWS_PROXY",
			"IntegrationUri": "!GetAtt ApiFunction.Arn", "PayloadFormatVersion": "2.0",
		} {
			if got := render(at(integration, field)); got != want {
				t.Errorf("QuotesApiIntegration %s = %s, want %s", field, got, want)
			}
		}
		permission := at(template, "Resources", "ApiFunctionInvokedByApi", "Properties")
		if render(at(permission, "FunctionName")) != "!Ref ApiFunction" || render(at(permission, "Principal")) != "apigateway.amazonaws.com" ||
			render(at(permission, "SourceArn")) != "!Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${QuotesApi}/*" {
			t.Errorf("ApiFunctionInvokedByApi does not let QuotesApi, and only it, invoke %s", function)
		}
	})

	t.Run("authorization", func(t *testing.T) {
		if got := scalars(at(template, "Parameters", "ApiAuth", "AllowedValues")); !slices.Equal(got, []string{"none", "iam", "jwt"}) {
			t.Errorf("ApiAuth AllowedValues = %v, want none, iam, jwt", got)
		}
		if got := render(at(template, "Parameters", "ApiAuth", "Default")); got != "none" {
			t.Errorf("ApiAuth Default = %s, want none", got)
		}
		for cond, want := range map[string]string{"AuthIam": "!Equals [!Ref ApiAuth, iam]", "AuthJwt": "!Equals [!Ref ApiAuth, jwt]"} {
			if got := render(at(template, "Conditions", cond)); got != want {
				t.Errorf("condition %s = %s, want %s", cond, got, want)
			}
		}
		authorizer := at(template, "Resources", "QuotesApiJwtAuthorizer")
		props := at(authorizer, "Properties")
		if render(at(authorizer, "Condition")) != "AuthJwt" || render(at(props, "AuthorizerType")) != "JWT" ||
			render(at(props, "ApiId")) != "!Ref QuotesApi" ||
			!slices.Equal(scalars(at(props, "IdentitySource")), []string{"$request.header.Authorization"}) ||
			render(at(props, "JwtConfiguration", "Issuer")) != "!Ref JwtIssuer" ||
			!slices.Equal(scalars(at(props, "JwtConfiguration", "Audience")), []string{"!Ref JwtAudience"}) {
			t.Errorf("QuotesApiJwtAuthorizer is not a JWT authorizer of JwtIssuer for JwtAudience, made only with ApiAuth jwt")
		}
	})

	t.Run("API", func(t *testing.T) {
		api := at(template, "Resources", "QuotesApi")
		if got := render(at(api, "Type")); got != "AWS::ApiGatewayV2::Api" || render(at(api, "Properties", "ProtocolType")) != "HTTP" {
			t.Errorf("QuotesApi Type = %s, want an HTTP AWS::ApiGatewayV2::Api", got)
		}
		stage := at(template, "Resources", "QuotesApiStage")
		if render(at(stage, "Properties", "ApiId")) != "!Ref QuotesApi" || render(at(stage, "Properties", "StageName")) != "$default" ||
			render(at(stage, "Properties", "AutoDeploy")) != "true" {
			t.Errorf("QuotesApiStage is not the API's auto-deployed $default stage")
		}
		// The route settings name the route, which must exist first.
		if !slices.Contains(scalars(at(stage, "DependsOn")), "QuotesApiVerifyRoute") {
			t.Errorf("QuotesApiStage does not depend on QuotesApiVerifyRoute, which its RouteSettings name")
		}
		for _, limit := range []string{"ThrottlingBurstLimit", "ThrottlingRateLimit"} {
			byDefault := render(at(stage, "Properties", "DefaultRouteSettings", limit))
			if byDefault == "<missing>" || byDefault == "0" {
				t.Errorf("DefaultRouteSettings %s = %s, want a limit", limit, byDefault)
			}
			// POST /verify is a route of its own (see "routes") with a
			// lower limit.
			verify := render(at(stage, "Properties", "RouteSettings", "POST /verify", limit))
			if n, err := strconv.Atoi(verify); err != nil || n < 1 || byDefault == "<missing>" || n >= mustAtoi(t, byDefault) {
				t.Errorf("RouteSettings POST /verify %s = %s, want a limit below the default %s", limit, verify, byDefault)
			}
		}
		cors := at(api, "Properties", "CorsConfiguration")
		for field, want := range map[string][]string{
			"AllowOrigins": {"*"},
			"AllowMethods": {"GET", "POST", "OPTIONS"},
			"AllowHeaders": {"Authorization", "Content-Type"},
		} {
			if got := scalars(at(cors, field)); !slices.Equal(got, want) {
				t.Errorf("CorsConfiguration %s = %v, want %v", field, got, want)
			}
		}
	})
}

func TestTemplateOutputs(t *testing.T) {
	outputs := at(loadTemplate(t), "Outputs")
	for name, want := range map[string]string{
		"ApiUrl":                 "!Sub https://${QuotesApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
		"ArticlesBucketName":     "!Ref ArticlesBucket",
		"QuotesTableName":        "!Ref " + tableResource,
		"IngestFailuresQueueUrl": "!Ref IngestFailures",
		"IngestFunctionArn":      "!GetAtt IngestFunction.Arn",
		"ReindexJobRoleArn":      "!GetAtt ReindexJobRole.Arn",
		"BatchReportsBucketName": "!Ref BatchReports",
	} {
		if got := render(at(outputs, name, "Value")); got != want {
			t.Errorf("output %s = %s, want %s", name, got, want)
		}
	}
}

func TestTableInputRejectsBadTemplates(t *testing.T) {
	tests := []struct {
		name, template, wantErr string
	}{
		{"not YAML", "Resources: [", "parse"},
		{"no table", "Resources:\n  Other:\n    Type: AWS::SQS::Queue\n", "no resource QuotesTable"},
		{"not a table", "Resources:\n  QuotesTable:\n    Type: AWS::Serverless::SimpleTable\n", "not an AWS::DynamoDB::Table"},
		{"no properties", "Resources:\n  QuotesTable:\n    Type: AWS::DynamoDB::Table\n", "no Properties"},
		{"no key schema", "Resources:\n  QuotesTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: !Sub x\n", "needs AttributeDefinitions and KeySchema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "template.yaml")
			if err := os.WriteFile(path, []byte(tt.template), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := tableInput(path, "quotes")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("tableInput error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return n
}

// TestTemplateReindexJobRole checks the role an S3 Batch Operations job
// re-extracting the bucket runs with: only S3 Batch Operations assumes it,
// and it may only list the articles bucket, invoke the ingest function and
// write reports outside the articles bucket.
func TestTemplateReindexJobRole(t *testing.T) {
	template := loadTemplate(t)
	role := at(template, "Resources", "ReindexJobRole")
	if got := render(at(role, "Type")); got != "AWS::IAM::Role" {
		t.Fatalf("ReindexJobRole Type = %s, want AWS::IAM::Role", got)
	}
	trust := at(role, "Properties", "AssumeRolePolicyDocument", "Statement")
	if trust == nil || len(trust.Content) != 1 ||
		render(at(trust.Content[0], "Principal", "Service")) != "batchoperations.s3.amazonaws.com" ||
		render(at(trust.Content[0], "Action")) != "sts:AssumeRole" {
		t.Errorf("ReindexJobRole may be assumed by other than S3 Batch Operations")
	}
	policies := at(role, "Properties", "Policies")
	if policies == nil || len(policies.Content) != 1 {
		t.Fatalf("ReindexJobRole has %d policies, want 1", len(policies.Content))
	}
	bucketName := strings.TrimPrefix(render(at(template, "Resources", "ArticlesBucket", "Properties", "BucketName")), "!Sub ")
	want := map[string]struct {
		actions   []string
		resources []string
	}{
		"InvokeIngest": {[]string{"lambda:InvokeFunction"}, []string{"!GetAtt IngestFunction.Arn", "!Sub ${IngestFunction.Arn}:*"}},
		"ListArticles": {[]string{"s3:ListBucket"}, []string{"!Sub arn:${AWS::Partition}:s3:::" + bucketName}},
		"WriteReports": {[]string{"s3:PutObject"}, []string{"!Sub ${BatchReports.Arn}/*"}},
	}
	statements := at(policies.Content[0], "PolicyDocument", "Statement")
	if statements == nil || len(statements.Content) != len(want) {
		t.Fatalf("ReindexJobRole statements = %s, want %d", render(statements), len(want))
	}
	for _, st := range statements.Content {
		sid := render(at(st, "Sid"))
		w, ok := want[sid]
		resources := scalars(at(st, "Resource"))
		if r := at(st, "Resource"); r != nil && r.Kind != yaml.SequenceNode {
			resources = []string{render(r)}
		}
		if !ok || render(at(st, "Effect")) != "Allow" || !slices.Equal(scalars(at(st, "Action")), w.actions) || !slices.Equal(resources, w.resources) {
			t.Errorf("ReindexJobRole statement %s: actions %v on %v, want %v on %v", sid, scalars(at(st, "Action")), resources, w.actions, w.resources)
		}
	}
	if got := render(at(template, "Resources", "BatchReports", "Type")); got != "AWS::S3::Bucket" {
		t.Errorf("BatchReports Type = %s, want a bucket of its own", got)
	}
}
