package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

var _ store.Insights = (*DB)(nil)

// Speaker reads the speaker's summary item, which carries the whole
// record, strongly consistent like the other reads of one thing.
func (d *DB) Speaker(ctx context.Context, id string) (store.SpeakerRecord, error) {
	u := &usage{}
	defer d.finish(ctx, "Speaker", u, "speaker_id", id)
	if !indexable(id) {
		// Such ids are never counted (key size limits).
		return store.SpeakerRecord{}, quote.Errorf(quote.ENotFound, "speaker %q not found", id)
	}
	item, err := d.getItem(ctx, u, speakerPK(id), summarySK, true)
	if err != nil {
		return store.SpeakerRecord{}, fmt.Errorf("dynamo: get speaker %s: %w", id, err)
	}
	var sp speakerItem
	if item != nil {
		if err := unmarshalItem(item, &sp); err != nil {
			return store.SpeakerRecord{}, fmt.Errorf("dynamo: decode speaker %s: %w", id, err)
		}
	}
	if sp.QuoteCount <= 0 {
		return store.SpeakerRecord{}, quote.Errorf(quote.ENotFound, "speaker %s not found", id)
	}
	rec := store.SpeakerRecord{
		SpeakerSummary: summary(sp),
		Aliases:        firstSeenOrder(sp.AliasOrder, sp.Aliases),
		Roles:          firstSeenOrder(sp.RoleOrder, sp.Roles),
	}
	if rec.FirstSeen, err = d.seenAt(ctx, u, id, true); err != nil {
		return store.SpeakerRecord{}, fmt.Errorf("dynamo: speaker %s: first seen: %w", id, err)
	}
	if rec.LastSeen, err = d.seenAt(ctx, u, id, false); err != nil {
		return store.SpeakerRecord{}, fmt.Errorf("dynamo: speaker %s: last seen: %w", id, err)
	}
	return rec, nil
}

// seenPage is how many postings seenAt reads at a time: the first one
// is current but for a switch in progress.
const seenPage = 5

// seenAt returns the date of the speaker's oldest (or newest) dated
// current quote: the first posting of their partition, in that direction,
// whose generation is its article's current one. Undated quotes sort
// first and are skipped; zero means the speaker has no dated quote.
func (d *DB) seenAt(ctx context.Context, u *usage, id string, oldest bool) (time.Time, error) {
	cond := expression.Key(attrPK).Equal(expression.Value(speakerPostingPK(quote.Fold(id))))
	if oldest {
		cond = cond.And(expression.Key(attrSK).GreaterThan(expression.Value(dateKeyEnd(time.Time{}))))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return time.Time{}, fmt.Errorf("build key condition: %w", err)
	}
	in := dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(oldest),
		ConsistentRead:            aws.Bool(true),
		Limit:                     aws.Int32(seenPage),
	}
	gens := map[string]string{}
	for examined := 0; examined < d.maxExamined; {
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return time.Time{}, err
		}
		examined += len(out.Items)
		postings, err := decodePostings(out.Items)
		if err != nil {
			return time.Time{}, err
		}
		if gens, err = d.generations(ctx, u, postings, gens, true); err != nil {
			return time.Time{}, err
		}
		for _, p := range postings {
			if gens[p.ArticleID] == p.Generation && !p.Quote.Date.IsZero() {
				return p.Quote.Date, nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return time.Time{}, nil
}

// firstSeenOrder returns the names of set in the order the list recorded
// them, then any the list missed (a write that failed between the two),
// sorted.
func firstSeenOrder(order, set []string) []string {
	names := make([]string, 0, len(set))
	for _, n := range order {
		if slices.Contains(set, n) && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	var missed []string
	for _, n := range set {
		if !slices.Contains(names, n) {
			missed = append(missed, n)
		}
	}
	slices.Sort(missed)
	return append(names, missed...)
}

// Topics lists the most quoted topics from the GSI1 ranking for an empty
// prefix; for a prefix, it finds the topics through their words, reads
// their counts with BatchGetItem and ranks them, as Speakers does.
func (d *DB) Topics(ctx context.Context, prefix string, limit int) ([]store.TopicSummary, error) {
	u := &usage{}
	defer d.finish(ctx, "Topics", u, "prefix", prefix)
	if limit < 1 || limit > store.MaxLimit {
		return nil, quote.Errorf(quote.EInvalid, "limit must be between 1 and %d", store.MaxLimit)
	}
	words := quote.Words(prefix)
	var items []map[string]types.AttributeValue
	if len(words) == 0 {
		var err error
		if items, err = d.rankHead(ctx, u, topicRankPK, limit); err != nil {
			return nil, fmt.Errorf("dynamo: most quoted topics: %w", err)
		}
	} else {
		topics, err := d.wordMatches(ctx, u, topicWordPK(words[0]), words[0], func(item map[string]types.AttributeValue) (string, error) {
			var w topicWordItem
			err := unmarshalItem(item, &w)
			return w.Folded, err
		})
		if err != nil {
			return nil, fmt.Errorf("dynamo: topics %q: %w", prefix, err)
		}
		keys := make([]map[string]types.AttributeValue, len(topics))
		for i, t := range topics {
			keys[i] = itemKey(topicSummaryPK(t), summarySK)
		}
		if items, err = d.batchGet(ctx, u, keys, false); err != nil {
			return nil, fmt.Errorf("dynamo: topics %q: read counts: %w", prefix, err)
		}
	}
	var found []store.TopicSummary
	for _, item := range items {
		var t topicItem
		if err := unmarshalItem(item, &t); err != nil {
			return nil, fmt.Errorf("dynamo: topics %q: decode count: %w", prefix, err)
		}
		if t.Topic == "" {
			// Only counted down so far, never named: its folded form will do.
			t.Topic = strings.TrimPrefix(t.PK, topicSummaryPK(""))
		}
		if t.QuoteCount > 0 && startsWords(t.Topic, words[min(1, len(words)):]) {
			found = append(found, store.TopicSummary{Topic: t.Topic, QuoteCount: t.QuoteCount})
		}
	}
	slices.SortStableFunc(found, func(a, b store.TopicSummary) int {
		return cmp.Or(cmp.Compare(b.QuoteCount, a.QuoteCount), strings.Compare(quote.Fold(a.Topic), quote.Fold(b.Topic)))
	})
	return found[:min(limit, len(found))], nil
}
