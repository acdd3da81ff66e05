package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// cleanupTimeout bounds the work that follows a switch. That work runs
// even when the caller's context ends: the switch is already visible, and
// leaving the speaker counts half-updated would be worse than finishing.
const cleanupTimeout = 2 * time.Minute

// PutArticle writes the new upload's items under a fresh generation, then
// switches the article item to that generation with one conditional write,
// then removes the previous generation's items. Readers trust only
// postings of the generation the article item names, so they see the old
// upload or the new one, never a mix.
func (d *DB) PutArticle(ctx context.Context, a quote.Article, quotes []quote.Quote) error {
	u := &usage{}
	defer d.finish(ctx, "PutArticle", u, "article_id", a.ID, "quotes", len(quotes))

	if err := store.ValidateArticle(a, quotes); err != nil {
		return err
	}
	version, err := sortableVersion(a.Version)
	if err != nil {
		return err
	}
	// A redelivered or late event is refused before anything is written.
	current, err := d.getItem(ctx, u, articlePK(a.ID), metaSK, true)
	if err != nil {
		return fmt.Errorf("dynamo: put article %s: read version: %w", a.ID, err)
	}
	if stored := keyString(current, "version"); stored != "" && stored >= version {
		return quote.Errorf(quote.EConflict, "article %s already reflects version %s or later", a.Key, a.Version)
	}

	gen := newGeneration()
	quotes = slices.Clone(quotes)
	for i := range quotes {
		quotes[i] = withSpeakerID(quotes[i])
	}
	parts := splitText(a.Text)
	requests, words, err := generationItems(a.ID, gen, parts, quotes)
	if err != nil {
		return fmt.Errorf("dynamo: put article %s: %w", a.ID, err)
	}
	if err := d.batchWrite(ctx, u, append(slices.Clip(requests), words...)); err != nil {
		d.discard(ctx, u, a.ID, requests)
		return fmt.Errorf("dynamo: put article %s: write quotes: %w", a.ID, err)
	}

	meta := articleItem{
		PK: articlePK(a.ID), SK: metaSK, Status: string(a.Status), Version: version,
		Generation: gen, TextParts: len(parts), QuoteItems: len(quotes), Article: a,
	}
	meta.Article.Text = ""
	old, err := d.switchArticle(ctx, u, meta)
	if quote.ErrorCode(err) == quote.EConflict && d.switchLanded(ctx, u, a.ID, gen) {
		old, err = decodeArticleItem(current)
	}
	if err != nil {
		if quote.ErrorCode(err) == quote.EConflict {
			d.discard(ctx, u, a.ID, requests)
		}
		// Any other failure may have switched nonetheless (a timeout after
		// the write landed), so the new items stay: unreferenced, they are
		// invisible.
		return err
	}
	d.retire(ctx, u, old, quotes)
	return nil
}

// DeleteArticle switches the article item to a tombstone that remembers
// version, then removes the items of the generation it replaced.
func (d *DB) DeleteArticle(ctx context.Context, key, version string) error {
	id := quote.ArticleID(key)
	u := &usage{}
	defer d.finish(ctx, "DeleteArticle", u, "article_id", id)

	if err := store.ValidateDeletion(key, version); err != nil {
		return err
	}
	sortable, err := sortableVersion(version)
	if err != nil {
		return err
	}
	current, err := d.getItem(ctx, u, articlePK(id), metaSK, true)
	if err != nil {
		return fmt.Errorf("dynamo: delete article %s: read version: %w", id, err)
	}
	// The tombstone gets a generation of its own, so that a switch whose
	// answer was lost can be told from a newer event's.
	tombstone := articleItem{
		PK: articlePK(id), SK: metaSK, Status: statusDeleted, Version: sortable,
		Generation: newGeneration(), Article: quote.Article{ID: id, Key: key, Version: version},
	}
	old, err := d.switchArticle(ctx, u, tombstone)
	if quote.ErrorCode(err) == quote.EConflict && d.switchLanded(ctx, u, id, tombstone.Generation) {
		old, err = decodeArticleItem(current)
	}
	if err != nil {
		return err
	}
	d.retire(ctx, u, old, nil)
	return nil
}

// generationItems lists the puts of one upload's items: the text parts,
// the quote list, the id lookups and index postings; and apart, the words
// of its speakers' names and of its topics, which belong to no generation
// (other uploads may have written the same ones) and so are never deleted.
func generationItems(articleID, gen string, parts []string, quotes []quote.Quote) (requests, words []types.WriteRequest, err error) {
	seen := map[[2]string]bool{}
	put := func(to *[]types.WriteRequest, pk, sk string, v any) error {
		if seen[[2]string{pk, sk}] {
			return nil
		}
		seen[[2]string{pk, sk}] = true
		item, err := marshalItem(v)
		if err != nil {
			return fmt.Errorf("encode item %s %s: %w", pk, sk, err)
		}
		*to = append(*to, putRequest(item))
		return nil
	}
	add := func(pk, sk string, v any) error { return put(&requests, pk, sk, v) }
	addWord := func(pk, sk string, v any) error {
		if len(sk) > maxIndexValue {
			return nil
		}
		return put(&words, pk, sk, v)
	}
	pk := articlePK(articleID)
	for i, text := range parts {
		if err := add(pk, bodySK(gen, i), bodyItem{PK: pk, SK: bodySK(gen, i), Text: text}); err != nil {
			return nil, nil, err
		}
	}
	for i, q := range quotes {
		sk := quoteItemSK(gen, i)
		if err := add(pk, sk, postingItem{PK: pk, SK: sk, ArticleID: articleID, Generation: gen, Quote: q}); err != nil {
			return nil, nil, err
		}
		for _, key := range quoteKeys(q, gen) {
			if err := add(key[0], key[1], postingItem{PK: key[0], SK: key[1], ArticleID: articleID, Generation: gen, Quote: q}); err != nil {
				return nil, nil, err
			}
		}
		if sid := q.Speaker.ID; indexable(sid) {
			for _, w := range distinctWords(q.Speaker.Name) {
				wpk, wsk := speakerWordPK(w), speakerWordSK(w, sid)
				if err := addWord(wpk, wsk, speakerWordItem{PK: wpk, SK: wsk, SpeakerID: sid}); err != nil {
					return nil, nil, err
				}
			}
		}
		folded, display := topicForms(q)
		for i, t := range folded {
			if !indexable(t) {
				continue
			}
			for _, w := range distinctWords(display[i]) {
				wpk, wsk := topicWordPK(w), topicWordSK(w, t)
				if err := addWord(wpk, wsk, topicWordItem{PK: wpk, SK: wsk, Folded: t}); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return requests, words, nil
}

// switchArticle writes the article item unless the stored one is at or
// after its version, and returns the item it replaced (nil if none).
func (d *DB) switchArticle(ctx context.Context, u *usage, meta articleItem) (*articleItem, error) {
	item, err := marshalItem(meta)
	if err != nil {
		return nil, fmt.Errorf("dynamo: switch article %s: encode: %w", meta.Article.ID, err)
	}
	newer := expression.Name(attrPK).AttributeNotExists().
		Or(expression.Name("version").LessThan(expression.Value(meta.Version)))
	expr, err := expression.NewBuilder().WithCondition(newer).Build()
	if err != nil {
		return nil, fmt.Errorf("dynamo: switch article %s: build condition: %w", meta.Article.ID, err)
	}
	out, err := d.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.table),
		Item:                      item,
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ReturnValues:              types.ReturnValueAllOld,
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil, quote.Errorf(quote.EConflict, "article %s already reflects version %s or later", meta.Article.Key, meta.Article.Version)
	}
	if err != nil {
		return nil, fmt.Errorf("dynamo: switch article %s to version %s: %w", meta.Article.ID, meta.Article.Version, err)
	}
	u.add(true, out.ConsumedCapacity)
	if len(out.Attributes) == 0 {
		return nil, nil
	}
	var old articleItem
	if err := unmarshalItem(out.Attributes, &old); err != nil {
		return nil, fmt.Errorf("dynamo: switch article %s: decode previous item: %w", meta.Article.ID, err)
	}
	return &old, nil
}

// switchLanded reports whether the article item names generation gen. A
// conditional switch refused as stale may be the SDK's retry of our own
// switch whose answer was lost (a timeout after the write landed): the
// retry then meets its own version. Only our switch can have written gen.
func (d *DB) switchLanded(ctx context.Context, u *usage, articleID, gen string) bool {
	item, err := d.getItem(ctx, u, articlePK(articleID), metaSK, true)
	return err == nil && keyString(item, "gen") == gen
}

// decodeArticleItem decodes the article item read before a switch: the
// item the switch replaced, or nil when there was none.
func decodeArticleItem(item map[string]types.AttributeValue) (*articleItem, error) {
	if len(item) == 0 {
		return nil, nil
	}
	var old articleItem
	if err := unmarshalItem(item, &old); err != nil {
		return nil, fmt.Errorf("dynamo: decode article item: %w", err)
	}
	return &old, nil
}

// retire runs after a switch: it moves the speaker records and topic
// counts from the old generation's quotes to the new ones and deletes the
// old generation's items. Failures are logged, not returned: the switch already happened,
// and stale items are invisible to readers.
func (d *DB) retire(ctx context.Context, u *usage, old *articleItem, added []quote.Quote) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if old == nil || old.Generation == "" {
		d.count(ctx, u, added, nil)
		return
	}
	var requests []types.WriteRequest
	for i := range old.TextParts {
		requests = append(requests, deleteRequest(old.PK, bodySK(old.Generation, i)))
	}
	var removed []quote.Quote
	if old.QuoteItems > 0 {
		items, err := d.queryAll(ctx, u, expression.Key(attrPK).Equal(expression.Value(old.PK)).
			And(expression.Key(attrSK).BeginsWith(quoteItemPrefix(old.Generation))), true)
		if err != nil {
			d.log.ErrorContext(ctx, "dynamo: read replaced quotes", "article_id", old.Article.ID, "err", err)
		}
		for _, item := range items {
			var p postingItem
			if err := unmarshalItem(item, &p); err != nil {
				d.log.ErrorContext(ctx, "dynamo: decode replaced quote", "article_id", old.Article.ID, "sk", keyString(item, attrSK), "err", err)
				continue
			}
			removed = append(removed, p.Quote)
			requests = append(requests, deleteRequest(p.PK, p.SK))
			for _, key := range quoteKeys(p.Quote, old.Generation) {
				requests = append(requests, deleteRequest(key[0], key[1]))
			}
		}
	}
	d.count(ctx, u, added, removed)
	d.dropReplacedConflicts(ctx, u, old.Article.ID, old.Generation, removed)
	if err := d.batchWrite(ctx, u, requests); err != nil {
		d.log.ErrorContext(ctx, "dynamo: delete replaced items", "article_id", old.Article.ID, "items", len(requests), "err", err)
	}
}

// discard deletes the items of a generation that never became current.
func (d *DB) discard(ctx context.Context, u *usage, articleID string, puts []types.WriteRequest) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	deletes := make([]types.WriteRequest, 0, len(puts))
	for _, p := range puts {
		item := p.PutRequest.Item
		deletes = append(deletes, deleteRequest(keyString(item, attrPK), keyString(item, attrSK)))
	}
	if err := d.batchWrite(ctx, u, deletes); err != nil {
		d.log.ErrorContext(ctx, "dynamo: discard unused generation", "article_id", articleID, "items", len(deletes), "err", err)
	}
}
