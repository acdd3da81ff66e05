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

// maxCandidates bounds the speakers or topics one prefix search ranks: a
// one-letter prefix over a large newsroom's speakers would otherwise read
// thousands of summaries.
const maxCandidates = 1000

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

	ids, err := d.wordMatches(ctx, u, speakerWordPK(words[0]), words[0], func(item map[string]types.AttributeValue) (string, error) {
		var w speakerWordItem
		err := unmarshalItem(item, &w)
		return w.SpeakerID, err
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: speakers %q: %w", prefix, err)
	}
	keys := make([]map[string]types.AttributeValue, len(ids))
	for i, id := range ids {
		keys[i] = itemKey(speakerPK(id), summarySK)
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
	items, err := d.rankHead(ctx, u, speakerRankPK, limit)
	if err != nil {
		return nil, fmt.Errorf("dynamo: most quoted speakers: %w", err)
	}
	var found []store.SpeakerSummary
	for _, item := range items {
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

// rankHead reads the first limit items of the GSI1 list rankPK.
func (d *DB) rankHead(ctx context.Context, u *usage, rankPK string, limit int) ([]map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(rankPK))).Build()
	if err != nil {
		return nil, fmt.Errorf("build key condition: %w", err)
	}
	out, err := d.queryPage(ctx, u, dynamodb.QueryInput{
		IndexName:                 aws.String(indexGSI1),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, err
	}
	return out.Items, nil
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

// wordMatches reads the word partition pk for the words starting with
// prefix and returns the distinct ids that name decodes from them, up to
// maxCandidates, in word order.
func (d *DB) wordMatches(ctx context.Context, u *usage, pk, prefix string, name func(map[string]types.AttributeValue) (string, error)) ([]string, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(pk)).
			And(expression.Key(attrSK).BeginsWith(prefix))).Build()
	if err != nil {
		return nil, fmt.Errorf("build key condition: %w", err)
	}
	in := dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
	}
	seen := map[string]bool{}
	var ids []string
	for len(ids) < maxCandidates {
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return nil, err
		}
		for _, item := range out.Items {
			id, err := name(item)
			if err != nil {
				return nil, fmt.Errorf("decode word %s: %w", keyString(item, attrSK), err)
			}
			if !seen[id] && len(ids) < maxCandidates {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return ids, nil
}
