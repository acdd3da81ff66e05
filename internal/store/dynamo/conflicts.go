package dynamo

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// conflictScope names the conflict listing to the cursor signer.
const conflictScope = "conflicts"

// quoteAt is where a quote currently lives.
type quoteAt struct{ articleID, generation string }

// AddConflicts stores each pair twice, under each quote, with the article
// and generation each quote currently has; the item under the quote whose
// id sorts first also files the pair in the newest-first list (GSI1).
// Every put is conditional on the item not already holding the pair for
// these same generations, so recording a pair again changes nothing,
// while a pair recorded again after a quote was re-uploaded replaces the
// stale item (and its place in the list). A pair one of whose quotes is
// not stored at present is already over, and is not stored.
func (d *DB) AddConflicts(ctx context.Context, conflicts []store.Conflict) error {
	u := &usage{}
	defer d.finish(ctx, "AddConflicts", u, "conflicts", len(conflicts))
	pairs, err := normalizeConflicts(conflicts)
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range pairs {
		for _, id := range c.QuoteIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	current, err := d.currentQuotes(ctx, u, ids)
	if err != nil {
		return fmt.Errorf("dynamo: add conflicts: %w", err)
	}
	for _, c := range pairs {
		a, okA := current[c.QuoteIDs[0]]
		b, okB := current[c.QuoteIDs[1]]
		if !okA || !okB {
			continue
		}
		listed := conflictItem{
			PK: conflictPK(c.QuoteIDs[0]), SK: c.QuoteIDs[1],
			GSI1PK: conflictListPK, GSI1SK: conflictRank(c.Detected, c.QuoteIDs[0], c.QuoteIDs[1]),
			QuoteA: c.QuoteIDs[0], QuoteB: c.QuoteIDs[1],
			ArticleA: a.articleID, ArticleB: b.articleID, GenA: a.generation, GenB: b.generation,
			Similarity: c.Similarity, Detected: c.Detected,
		}
		reverse := listed
		reverse.PK, reverse.SK = conflictPK(c.QuoteIDs[1]), c.QuoteIDs[0]
		reverse.GSI1PK, reverse.GSI1SK = "", ""
		for _, item := range []conflictItem{listed, reverse} {
			if err := d.putConflict(ctx, u, item); err != nil {
				return fmt.Errorf("dynamo: add conflict %s~%s: %w", c.QuoteIDs[0], c.QuoteIDs[1], err)
			}
		}
	}
	return nil
}

// normalizeConflicts validates the conflicts, sorts each pair's ids and
// drops repeated pairs, keeping the first.
func normalizeConflicts(conflicts []store.Conflict) ([]store.Conflict, error) {
	var pairs []store.Conflict
	for _, c := range conflicts {
		a, b := c.QuoteIDs[0], c.QuoteIDs[1]
		switch {
		case a == "" || b == "" || a == b:
			return nil, quote.Errorf(quote.EInvalid, "a conflict needs two different quote ids, got %q and %q", a, b)
		case !indexable(a) || !indexable(b):
			return nil, quote.Errorf(quote.EInvalid, "conflict quote ids are longer than %d bytes", maxIndexValue)
		case math.IsNaN(c.Similarity) || c.Similarity < 0 || c.Similarity > 1:
			return nil, quote.Errorf(quote.EInvalid, "conflict similarity %v is outside [0, 1]", c.Similarity)
		case c.Detected.IsZero() || c.Detected.UTC().Year() > 9999:
			// The list's sort key is a fixed-width date.
			return nil, quote.Errorf(quote.EInvalid, "conflict detection time %v is unset or out of range", c.Detected)
		}
		if a > b {
			c.QuoteIDs = [2]string{b, a}
		}
		if !slices.ContainsFunc(pairs, func(p store.Conflict) bool { return p.QuoteIDs == c.QuoteIDs }) {
			pairs = append(pairs, c)
		}
	}
	return pairs, nil
}

// currentQuotes finds where each quote id currently lives: one Query of its
// id lookup postings each, then one BatchGetItem of the articles they
// name, both strongly consistent. Ids not stored at present are absent.
func (d *DB) currentQuotes(ctx context.Context, u *usage, ids []string) (map[string]quoteAt, error) {
	byID := make([][]postingItem, len(ids))
	errs := make([]error, len(ids))
	inParallel(len(ids), func(i int) {
		items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(quoteIDPK(ids[i]))), true)
		if err == nil {
			byID[i], err = decodePostings(items)
		}
		if err != nil {
			errs[i] = fmt.Errorf("look up quote %s: %w", ids[i], err)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	gens, err := d.generations(ctx, u, slices.Concat(byID...), nil, true)
	if err != nil {
		return nil, err
	}
	current := map[string]quoteAt{}
	for i, postings := range byID {
		for _, p := range postings {
			if gens[p.ArticleID] == p.Generation {
				current[ids[i]] = quoteAt{p.ArticleID, p.Generation}
			}
		}
	}
	return current, nil
}

// putConflict writes item unless it already holds its pair for the same
// generations.
func (d *DB) putConflict(ctx context.Context, u *usage, item conflictItem) error {
	av, err := marshalItem(item)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", item.PK, item.SK, err)
	}
	fresh := expression.Name(attrPK).AttributeNotExists().
		Or(expression.Name("genA").NotEqual(expression.Value(item.GenA))).
		Or(expression.Name("genB").NotEqual(expression.Value(item.GenB)))
	expr, err := expression.NewBuilder().WithCondition(fresh).Build()
	if err != nil {
		return fmt.Errorf("build condition: %w", err)
	}
	out, err := d.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.table),
		Item:                      av,
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return fmt.Errorf("put %s %s: %w", item.PK, item.SK, err)
	}
	u.add(true, out.ConsumedCapacity)
	return nil
}

// QuoteConflicts reads the pairs stored under the quote, then the article
// items of both sides in one BatchGetItem, both strongly consistent, and
// returns the pairs whose quotes are both still current, newest first.
func (d *DB) QuoteConflicts(ctx context.Context, quoteID string) ([]store.Conflict, error) {
	u := &usage{}
	defer d.finish(ctx, "QuoteConflicts", u, "quote_id", quoteID)
	found := []store.Conflict{}
	if !indexable(quoteID) {
		return found, nil
	}
	items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(conflictPK(quoteID))), true)
	if err != nil {
		return nil, fmt.Errorf("dynamo: conflicts of quote %s: %w", quoteID, err)
	}
	pairs, err := decodeConflicts(items)
	if err != nil {
		return nil, fmt.Errorf("dynamo: conflicts of quote %s: %w", quoteID, err)
	}
	live, _, err := d.liveConflicts(ctx, u, pairs, nil, true)
	if err != nil {
		return nil, fmt.Errorf("dynamo: conflicts of quote %s: %w", quoteID, err)
	}
	slices.SortFunc(live, func(a, b conflictItem) int {
		return cmp.Or(b.Detected.Compare(a.Detected), strings.Compare(a.QuoteA, b.QuoteA), strings.Compare(a.QuoteB, b.QuoteB))
	})
	for _, c := range live {
		found = append(found, c.conflict())
	}
	return found, nil
}

// Conflicts reads the GSI1 conflict list newest first, keeps the pairs
// whose quotes are both current (one BatchGetItem of the article items not
// yet seen per Query), and loops until the page is full plus one pair, or
// the list ends, or the read budget is spent, as Quotes does.
func (d *DB) Conflicts(ctx context.Context, limit int, cursor string) (store.ConflictPage, error) {
	u := &usage{}
	defer d.finish(ctx, "Conflicts", u, "limit", limit)
	var start map[string]types.AttributeValue
	if cursor != "" {
		position, err := d.cursors.DecodeScope(conflictScope, cursor)
		if err != nil {
			return store.ConflictPage{}, err
		}
		if start, err = decodeConflictPosition(position); err != nil {
			return store.ConflictPage{}, err
		}
	}
	if limit < 1 || limit > store.MaxLimit {
		return store.ConflictPage{}, quote.Errorf(quote.EInvalid, "limit must be between 1 and %d", store.MaxLimit)
	}
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(conflictListPK))).Build()
	if err != nil {
		return store.ConflictPage{}, fmt.Errorf("dynamo: conflicts: build key condition: %w", err)
	}
	in := dynamodb.QueryInput{
		IndexName:                 aws.String(indexGSI1),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(false),
		ExclusiveStartKey:         start,
	}

	var hits []conflictItem
	gens := map[string]string{}
	// resume is where the next page starts when this one stops at the read
	// budget before it is full.
	var resume map[string]types.AttributeValue
	for examined := 0; len(hits) <= limit; {
		if examined >= d.maxExamined {
			resume = in.ExclusiveStartKey
			break
		}
		// Pairs of replaced quotes are rare and cleaned up as they are
		// met, so the read asks for exactly what the page still needs.
		in.Limit = aws.Int32(int32(min(limit+1-len(hits), d.maxExamined-examined)))
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return store.ConflictPage{}, fmt.Errorf("dynamo: conflicts: %w", err)
		}
		examined += len(out.Items)
		pairs, err := decodeConflicts(out.Items)
		if err != nil {
			return store.ConflictPage{}, fmt.Errorf("dynamo: conflicts: %w", err)
		}
		// Pairs whose quotes were replaced are dropped by the write that
		// replaced them (see dropReplacedConflicts); one that write failed
		// to drop is skipped here, never deleted: reads do not write.
		live, _, err := d.liveConflicts(ctx, u, pairs, gens, false)
		if err != nil {
			return store.ConflictPage{}, fmt.Errorf("dynamo: conflicts: %w", err)
		}
		hits = append(hits, live...)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}

	var page store.ConflictPage
	for _, h := range hits[:min(limit, len(hits))] {
		page.Conflicts = append(page.Conflicts, h.conflict())
	}
	switch {
	case len(hits) > limit:
		last := hits[limit-1]
		page.NextCursor, err = d.conflictCursor(map[string]types.AttributeValue{
			attrPK: &types.AttributeValueMemberS{Value: last.PK}, attrSK: &types.AttributeValueMemberS{Value: last.SK},
			attrGSI1PK: &types.AttributeValueMemberS{Value: last.GSI1PK}, attrGSI1SK: &types.AttributeValueMemberS{Value: last.GSI1SK},
		})
	case resume != nil:
		page.NextCursor, err = d.conflictCursor(resume)
	}
	if err != nil {
		return store.ConflictPage{}, fmt.Errorf("dynamo: conflicts: %w", err)
	}
	return page, nil
}

// conflictPosition is a place in the GSI1 conflict list: the index key
// and the table key, all of which a Query on an index needs to resume.
type conflictPosition struct {
	PK     string `json:"pk"`
	SK     string `json:"sk"`
	GSI1SK string `json:"gsk"`
}

func (d *DB) conflictCursor(key map[string]types.AttributeValue) (string, error) {
	position, err := json.Marshal(conflictPosition{
		PK: keyString(key, attrPK), SK: keyString(key, attrSK), GSI1SK: keyString(key, attrGSI1SK),
	})
	if err != nil {
		return "", fmt.Errorf("encode cursor: %w", err)
	}
	return d.cursors.EncodeScope(conflictScope, position), nil
}

func decodeConflictPosition(position []byte) (map[string]types.AttributeValue, error) {
	var p conflictPosition
	if err := json.Unmarshal(position, &p); err != nil || p.PK == "" || p.SK == "" || p.GSI1SK == "" {
		// Signed by this store, so only a change of format gets here.
		return nil, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
	}
	return map[string]types.AttributeValue{
		attrPK:     &types.AttributeValueMemberS{Value: p.PK},
		attrSK:     &types.AttributeValueMemberS{Value: p.SK},
		attrGSI1PK: &types.AttributeValueMemberS{Value: conflictListPK},
		attrGSI1SK: &types.AttributeValueMemberS{Value: p.GSI1SK},
	}, nil
}

func decodeConflicts(items []map[string]types.AttributeValue) ([]conflictItem, error) {
	pairs := make([]conflictItem, len(items))
	for i, item := range items {
		if err := unmarshalItem(item, &pairs[i]); err != nil {
			return nil, fmt.Errorf("decode conflict %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
	}
	return pairs, nil
}

// liveConflicts splits pairs into those whose quotes both still have the
// generation they were recorded with, and the stale rest, reading the
// article items not in known.
func (d *DB) liveConflicts(ctx context.Context, u *usage, pairs []conflictItem, known map[string]string, consistent bool) (live, stale []conflictItem, err error) {
	var ids []string
	for _, c := range pairs {
		ids = append(ids, c.ArticleA, c.ArticleB)
	}
	gens, err := d.articleGenerations(ctx, u, ids, known, consistent)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range pairs {
		if gens[c.ArticleA] == c.GenA && gens[c.ArticleB] == c.GenB {
			live = append(live, c)
		} else {
			stale = append(stale, c)
		}
	}
	return live, stale, nil
}

// dropReplacedConflicts deletes the pairs recorded for quotes of the
// generation gen of an article, which a switch has just replaced: the
// writer that ends a pair removes it, so the API, which only reads, never
// has to. It is cleanup, run after the switch: failures are logged, and a
// pair left behind stays filtered out on read.
func (d *DB) dropReplacedConflicts(ctx context.Context, u *usage, articleID, gen string, removed []quote.Quote) {
	var ids []string
	for _, q := range removed {
		if indexable(q.ID) && !slices.Contains(ids, q.ID) {
			ids = append(ids, q.ID)
		}
	}
	found := make([][]conflictItem, len(ids))
	inParallel(len(ids), func(i int) {
		items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(conflictPK(ids[i]))), true)
		if err == nil {
			found[i], err = decodeConflicts(items)
		}
		if err != nil {
			d.log.ErrorContext(ctx, "dynamo: read conflicts of a replaced quote", "article_id", articleID, "quote_id", ids[i], "err", err)
		}
	})
	var stale []conflictItem
	for _, pairs := range found {
		for _, c := range pairs {
			if (c.ArticleA == articleID && c.GenA == gen) || (c.ArticleB == articleID && c.GenB == gen) {
				stale = append(stale, c)
			}
		}
	}
	d.dropConflicts(ctx, u, stale)
}

// dropConflicts deletes both items of each stale pair, on condition that
// they still hold the stale generations (the pair may have been recorded
// again since). A generation, once replaced, never comes back. Failures
// are logged, and the pair stays filtered out on read.
func (d *DB) dropConflicts(ctx context.Context, u *usage, stale []conflictItem) {
	for _, c := range stale {
		for _, key := range [][2]string{{conflictPK(c.QuoteA), c.QuoteB}, {conflictPK(c.QuoteB), c.QuoteA}} {
			if err := d.deleteConflict(ctx, u, key, c.GenA, c.GenB); err != nil {
				d.log.ErrorContext(ctx, "dynamo: drop stale conflict", "pk", key[0], "sk", key[1], "err", err)
			}
		}
	}
}

func (d *DB) deleteConflict(ctx context.Context, u *usage, key [2]string, genA, genB string) error {
	same := expression.Name("genA").Equal(expression.Value(genA)).
		And(expression.Name("genB").Equal(expression.Value(genB)))
	expr, err := expression.NewBuilder().WithCondition(same).Build()
	if err != nil {
		return fmt.Errorf("build condition: %w", err)
	}
	out, err := d.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(d.table),
		Key:                       itemKey(key[0], key[1]),
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return err
	}
	u.add(true, out.ConsumedCapacity)
	return nil
}

func (c conflictItem) conflict() store.Conflict {
	return store.Conflict{QuoteIDs: [2]string{c.QuoteA, c.QuoteB}, Similarity: c.Similarity, Detected: c.Detected}
}
