// Command train-resolver fits the extractor's speaker ranker on the
// hand-resolved PolNeAR train split and writes the model the extractor
// embeds. It reads nothing but -train, so dev stays unseen:
//
//	go run ./cmd/train-resolver -train ../shared/eval/polnear/train -out internal/extract/resolver.json
//
// With -cv K it also reports K-fold cross-validation by article on train,
// and with -eval SET the fitted model's score and calibration on SET.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/extract/train"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train-resolver:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train-resolver", flag.ContinueOnError)
	trainDir := fs.String("train", "../shared/eval/polnear/train", "annotated set to fit on")
	out := fs.String("out", "internal/extract/resolver.json", "model file to write; empty writes none")
	cv := fs.Int("cv", 0, "report K-fold cross-validation by article on the training set")
	evalDir := fs.String("eval", "", "annotated set to score the fitted model on")
	opt := train.DefaultOptions
	fs.IntVar(&opt.Iterations, "iterations", opt.Iterations, "AdaGrad steps")
	fs.IntVar(&opt.Rounds, "rounds", opt.Rounds, "fits in turn, each on features that look back on the previous fit's choices")
	fs.Float64Var(&opt.Rate, "rate", opt.Rate, "AdaGrad learning rate")
	fs.Float64Var(&opt.L2, "l2", opt.L2, "L2 penalty on the weights")
	if err := fs.Parse(args); err != nil {
		return err
	}
	articles, err := train.LoadSet(*trainDir)
	if err != nil {
		return err
	}
	weights, err := train.Fit(articles, opt)
	if err != nil {
		return err
	}
	model, err := extract.NewModel(weights)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "train (fitted on): %s\nright speaker among the candidates: %.3f of matched quotes\n", train.Evaluate(articles, model), train.CandidateRecall(articles))
	if *cv > 1 {
		s, err := train.CrossValidate(articles, *cv, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "train %d-fold cross-validation: %s\n", *cv, s)
	}
	if *evalDir != "" {
		set, err := train.LoadSet(*evalDir)
		if err != nil {
			return err
		}
		s := train.Evaluate(set, model)
		fmt.Fprintf(stdout, "%s: %s\n%s", *evalDir, s, s.Calibration())
	}
	if *out == "" {
		return nil
	}
	data, err := json.MarshalIndent(extract.ModelFile{
		Trained: fmt.Sprintf("go run ./cmd/train-resolver on %d PolNeAR train articles; %d rounds of %d iterations, rate %g, L2 %g",
			len(articles), opt.Rounds, opt.Iterations, opt.Rate, opt.L2),
		Weights: weights,
	}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(data, '\n'), 0o644)
}
