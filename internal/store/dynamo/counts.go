package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Bounds on the names a speaker record keeps, so that a speaker quoted for
// years under ever new descriptions stays far below the 400 KB item limit:
// past them, new names are no longer recorded.
const (
	maxRecordNames     = 200
	maxRecordNameBytes = 300
)

// count moves the speaker and topic counts from the quotes removed to the
// quotes added, and records what the added quotes say of their speakers.
func (d *DB) count(ctx context.Context, u *usage, added, removed []quote.Quote) {
	d.countSpeakers(ctx, u, added, removed)
	d.countTopics(ctx, u, added, removed)
}

// speakerChange is what one switch does to a speaker's record.
type speakerChange struct {
	delta int
	// speaker is the speaker of the first added quote; named is false when
	// the speaker only lost quotes.
	speaker        quote.Speaker
	named          bool
	aliases, roles []string
	first, last    time.Time
}

func (c *speakerChange) add(q quote.Quote) {
	if !c.named {
		c.speaker, c.named = q.Speaker, true
	}
	c.delta++
	for _, a := range store.SpeakerAliases(q.Speaker) {
		if len(a) <= maxRecordNameBytes && !slices.Contains(c.aliases, a) {
			c.aliases = append(c.aliases, a)
		}
	}
	if r := q.Speaker.Descriptor; r != "" && len(r) <= maxRecordNameBytes && !slices.Contains(c.roles, r) {
		c.roles = append(c.roles, r)
	}
	if q.Date.IsZero() {
		return
	}
	if c.first.IsZero() || q.Date.Before(c.first) {
		c.first = q.Date
	}
	if c.last.IsZero() || q.Date.After(c.last) {
		c.last = q.Date
	}
}

// countSpeakers applies to each speaker's record the quotes added and
// removed: the count, and its place in the most-quoted list (GSI1), follow
// the difference; names and dates only grow.
func (d *DB) countSpeakers(ctx context.Context, u *usage, added, removed []quote.Quote) {
	changes := map[string]*speakerChange{}
	var order []string
	change := func(sid string) *speakerChange {
		c, ok := changes[sid]
		if !ok {
			c = &speakerChange{}
			changes[sid] = c
			order = append(order, sid)
		}
		return c
	}
	for _, q := range added {
		if indexable(q.Speaker.ID) {
			change(q.Speaker.ID).add(q)
		}
	}
	for _, q := range removed {
		if indexable(q.Speaker.ID) {
			change(q.Speaker.ID).delta--
		}
	}
	inParallel(len(order), func(i int) {
		sid := order[i]
		c := changes[sid]
		if c.delta == 0 && !c.named {
			return
		}
		if err := d.recordSpeaker(ctx, u, sid, c); err != nil {
			d.log.ErrorContext(ctx, "dynamo: record speaker", "speaker_id", sid, "delta", c.delta, "err", err)
		}
	})
}

// recordSpeaker applies one speaker's change in a few single-item writes,
// none a transaction: the count first, since counts are what readers rank
// by; then its rank, the dates when they widen, and the names not yet
// recorded, each of which can only move the record forward.
func (d *DB) recordSpeaker(ctx context.Context, u *usage, sid string, c *speakerChange) error {
	key := itemKey(speakerPK(sid), summarySK)
	update := expression.Add(expression.Name("quoteCount"), expression.Value(c.delta)).
		Set(expression.Name("id"), expression.Value(sid))
	if c.named {
		update = update.Set(expression.Name("name"), expression.Value(c.speaker.Name)).
			Set(expression.Name("kind"), expression.Value(c.speaker.Kind))
	}
	if !c.first.IsZero() {
		update = update.
			Set(expression.Name("firstSeen"), expression.IfNotExists(expression.Name("firstSeen"), expression.Value(dateKey(c.first)))).
			Set(expression.Name("lastSeen"), expression.IfNotExists(expression.Name("lastSeen"), expression.Value(dateKey(c.last))))
	}
	// The record as it was tells which dates widen and which names are
	// new; the count after the ADD is the old one plus delta.
	previous, err := d.updateItem(ctx, u, key, update, nil, types.ReturnValueAllOld)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	var old speakerItem
	if err := unmarshalItem(previous, &old); err != nil {
		return fmt.Errorf("decode previous record: %w", err)
	}

	var errs []error
	if c.delta != 0 {
		if err := d.setRank(ctx, u, key, speakerRankPK, old.QuoteCount+c.delta, sid); err != nil {
			errs = append(errs, err)
		}
	}
	if !c.first.IsZero() {
		if first := dateKey(c.first); old.FirstSeen != "" && first < old.FirstSeen {
			errs = append(errs, d.widenDate(ctx, u, key, "firstSeen", first, expression.Name("firstSeen").GreaterThan(expression.Value(first))))
		}
		if last := dateKey(c.last); old.LastSeen != "" && last > old.LastSeen {
			errs = append(errs, d.widenDate(ctx, u, key, "lastSeen", last, expression.Name("lastSeen").LessThan(expression.Value(last))))
		}
	}
	errs = append(errs, d.addNames(ctx, u, key, old, c))
	return errors.Join(errs...)
}

// widenDate sets a record's date attr to value on condition, which holds
// while value still widens the range: a concurrent writer may have widened
// it further.
func (d *DB) widenDate(ctx context.Context, u *usage, key map[string]types.AttributeValue, attr, value string, cond expression.ConditionBuilder) error {
	_, err := d.updateItem(ctx, u, key, expression.Set(expression.Name(attr), expression.Value(value)), &cond, "")
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return fmt.Errorf("widen %s: %w", attr, err)
	}
	return nil
}

// addNames adds to the record the aliases and roles its previous state
// lacked, in one write: ADD to the sets, which is idempotent, and an
// append to the order lists. Two concurrent writers may both append one
// name; readers keep its first place.
func (d *DB) addNames(ctx context.Context, u *usage, key map[string]types.AttributeValue, old speakerItem, c *speakerChange) error {
	newAliases := unrecorded(c.aliases, old.Aliases)
	newRoles := unrecorded(c.roles, old.Roles)
	if len(newAliases) == 0 && len(newRoles) == 0 {
		return nil
	}
	var update expression.UpdateBuilder
	for _, names := range []struct {
		set, order string
		add        []string
	}{{"aliases", "aliasOrder", newAliases}, {"roles", "roleOrder", newRoles}} {
		if len(names.add) == 0 {
			continue
		}
		update = update.Add(expression.Name(names.set), expression.Value(&types.AttributeValueMemberSS{Value: names.add})).
			Set(expression.Name(names.order), expression.ListAppend(
				expression.IfNotExists(expression.Name(names.order), expression.Value([]string{})),
				expression.Value(names.add)))
	}
	if _, err := d.updateItem(ctx, u, key, update, nil, ""); err != nil {
		return fmt.Errorf("add names: %w", err)
	}
	return nil
}

// unrecorded returns the names not in recorded, as many as the record
// still has room for.
func unrecorded(names, recorded []string) []string {
	var fresh []string
	for _, n := range names {
		if len(recorded)+len(fresh) < maxRecordNames && !slices.Contains(recorded, n) {
			fresh = append(fresh, n)
		}
	}
	return fresh
}

// countTopics applies to each topic's count the difference between the
// quotes added and removed, and keeps the topic's place in the
// most-quoted list (GSI1) in step with it.
func (d *DB) countTopics(ctx context.Context, u *usage, added, removed []quote.Quote) {
	delta := map[string]int{}
	display := map[string]string{}
	var order []string
	tally := func(q quote.Quote, by int) {
		folded, forms := topicForms(q)
		for i, t := range folded {
			if !indexable(t) {
				continue
			}
			if _, ok := delta[t]; !ok {
				order = append(order, t)
			}
			delta[t] += by
			if _, ok := display[t]; !ok && by > 0 {
				display[t] = forms[i]
			}
		}
	}
	for _, q := range added {
		tally(q, 1)
	}
	for _, q := range removed {
		tally(q, -1)
	}
	inParallel(len(order), func(i int) {
		t := order[i]
		if delta[t] == 0 {
			return
		}
		if err := d.countTopic(ctx, u, t, delta[t], display[t]); err != nil {
			d.log.ErrorContext(ctx, "dynamo: count topic quotes", "topic", t, "delta", delta[t], "err", err)
		}
	})
}

// countTopic adds delta to a topic's count, naming it as display when
// that is known, then ranks it by the new count.
func (d *DB) countTopic(ctx context.Context, u *usage, folded string, delta int, display string) error {
	key := itemKey(topicSummaryPK(folded), summarySK)
	update := expression.Add(expression.Name("quoteCount"), expression.Value(delta))
	if display != "" {
		update = update.Set(expression.Name("topic"), expression.Value(display))
	}
	updated, err := d.updateItem(ctx, u, key, update, nil, types.ReturnValueUpdatedNew)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	count, err := returnedCount(updated)
	if err != nil {
		return err
	}
	return d.setRank(ctx, u, key, topicRankPK, count, folded)
}

func returnedCount(attrs map[string]types.AttributeValue) (int, error) {
	countAttr, ok := attrs["quoteCount"].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("update returned no quote count")
	}
	count, err := strconv.Atoi(countAttr.Value)
	if err != nil {
		return 0, fmt.Errorf("quote count %q: %w", countAttr.Value, err)
	}
	return count, nil
}

// setRank files the item at key in the GSI1 list rankPK by count, or takes
// it off the list at zero: things with no quotes are not listed. The rank
// is a string key, which an ADD cannot maintain, so it is set in a second
// write that only applies while the count is still the one it was
// computed from; a concurrent writer that changed the count sets its own.
func (d *DB) setRank(ctx context.Context, u *usage, key map[string]types.AttributeValue, rankPK string, count int, id string) error {
	var update expression.UpdateBuilder
	if count > 0 {
		update = expression.Set(expression.Name(attrGSI1PK), expression.Value(rankPK)).
			Set(expression.Name(attrGSI1SK), expression.Value(rank(count, id)))
	} else {
		update = expression.Remove(expression.Name(attrGSI1PK)).Remove(expression.Name(attrGSI1SK))
	}
	still := expression.Name("quoteCount").Equal(expression.Value(count))
	_, err := d.updateItem(ctx, u, key, update, &still, "")
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	return nil
}
