package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// maxSpeakerCandidates bounds the speakers one prefix search ranks: a
// one-letter prefix over a large newsroom's speakers would otherwise read
// thousands of summaries.
const maxSpeakerCandidates = 1000

// Speakers lists the most quoted speakers from the GSI1 ranking for an
// empty prefix; for a prefix, it finds the speakers through their name
// words, reads their summaries with BatchGetItem and ranks them. A prefix
// of several words ("john k") must have each word start a word of the
// name.
func (d *DB) Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
	u := &usage{}
	defer d.finish(ctx, "Speakers", u, "prefix", prefix)
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	limit = min(limit, store.MaxLimit)
	words := quote.Words(prefix)
	if len(words) == 0 {
		return d.mostQuoted(ctx, u, limit)
	}

	first := words[0]
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(speakerWordPK(first))).
			And(expression.Key(attrSK).BeginsWith(first))).Build()
	if err != nil {
		return nil, fmt.Errorf("dynamo: speakers %q: build key condition: %w", prefix, err)
	}
	in := dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
	}
	seen := map[string]bool{}
	var keys []map[string]types.AttributeValue
	for len(keys) < maxSpeakerCandidates {
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return nil, fmt.Errorf("dynamo: speakers %q: %w", prefix, err)
		}
		for _, item := range out.Items {
			var w speakerWordItem
			if err := unmarshalItem(item, &w); err != nil {
				return nil, fmt.Errorf("dynamo: speakers %q: decode name word: %w", prefix, err)
			}
			if !seen[w.SpeakerID] && len(keys) < maxSpeakerCandidates {
				seen[w.SpeakerID] = true
				keys = append(keys, itemKey(speakerPK(w.SpeakerID), summarySK))
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	items, err := d.batchGet(ctx, u, keys, false)
	if err != nil {
		return nil, fmt.Errorf("dynamo: speakers %q: read summaries: %w", prefix, err)
	}
	var found []store.SpeakerSummary
	for _, item := range items {
		var sp speakerItem
		if err := unmarshalItem(item, &sp); err != nil {
			return nil, fmt.Errorf("dynamo: speakers %q: decode summary: %w", prefix, err)
		}
		if sp.QuoteCount > 0 && startsWords(sp.Name, words[1:]) {
			found = append(found, summary(sp))
		}
	}
	slices.SortFunc(found, func(a, b store.SpeakerSummary) int {
		return cmp.Or(cmp.Compare(b.QuoteCount, a.QuoteCount), strings.Compare(a.ID, b.ID))
	})
	return found[:min(limit, len(found))], nil
}

// mostQuoted reads the head of the GSI1 ranking, where only speakers with
// quotes have an entry.
func (d *DB) mostQuoted(ctx context.Context, u *usage, limit int) ([]store.SpeakerSummary, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(speakerRankPK))).Build()
	if err != nil {
		return nil, fmt.Errorf("dynamo: most quoted speakers: build key condition: %w", err)
	}
	out, err := d.queryPage(ctx, u, dynamodb.QueryInput{
		IndexName:                 aws.String(indexGSI1),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: most quoted speakers: %w", err)
	}
	var found []store.SpeakerSummary
	for _, item := range out.Items {
		var sp speakerItem
		if err := unmarshalItem(item, &sp); err != nil {
			return nil, fmt.Errorf("dynamo: most quoted speakers: decode summary: %w", err)
		}
		if sp.QuoteCount > 0 {
			found = append(found, summary(sp))
		}
	}
	return found, nil
}

func summary(sp speakerItem) store.SpeakerSummary {
	return store.SpeakerSummary{ID: sp.ID, Name: sp.Name, Kind: sp.Kind, QuoteCount: sp.QuoteCount}
}

// startsWords reports whether every one of prefixes starts some word of
// name.
func startsWords(name string, prefixes []string) bool {
	words := quote.Words(name)
	for _, p := range prefixes {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, p) }) {
			return false
		}
	}
	return true
}
