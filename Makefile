# Lambda builds for `sam build` (template.yaml: BuildMethod makefile, CodeUri .).
# SAM copies the repository (CodeUri) to a scratch directory, runs the
# build-<LogicalId> target there and packages what lands in $(ARTIFACTS_DIR):
# for provided.al2023 that is one executable called bootstrap. SAM never
# merges makefile builds that share a CodeUri, so each target runs.
# lambda.norpc leaves out the RPC server only the retired go1.x runtime used.

.PHONY: build-IngestFunction build-ApiFunction require-artifacts-dir

build-IngestFunction: require-artifacts-dir
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/ingest

build-ApiFunction: require-artifacts-dir
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/api

# Without ARTIFACTS_DIR (a make run by hand rather than by sam build) the
# output would be /bootstrap.
require-artifacts-dir:
ifndef ARTIFACTS_DIR
	$(error ARTIFACTS_DIR is not set: run `sam build`, or `make $(MAKECMDGOALS) ARTIFACTS_DIR=DIR` to build DIR/bootstrap)
endif
