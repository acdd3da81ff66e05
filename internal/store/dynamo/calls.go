package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Every read this package makes goes through getItem, query or batchGet:
// there is deliberately no Scan anywhere.

// DynamoDB's batch limits.
const (
	batchWriteSize = 25
	batchGetSize   = 100
	// batchWriters bounds the batch writes of one operation in flight.
	batchWriters = 4
	// batchAttempts bounds the retries of unprocessed batch items, which
	// DynamoDB returns when a partition is throttled.
	batchAttempts = 10
	backoffBase   = 20 * time.Millisecond
	backoffMax    = 2 * time.Second
)

func (d *DB) getItem(ctx context.Context, u *usage, pk, sk string, consistent bool) (map[string]types.AttributeValue, error) {
	out, err := d.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              aws.String(d.table),
		Key:                    itemKey(pk, sk),
		ConsistentRead:         aws.Bool(consistent),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, err
	}
	u.add(false, out.ConsumedCapacity)
	return out.Item, nil
}

// updateItem applies update to the item at key, on cond when it is not nil,
// and returns the attributes rv asks for. A refused condition is an error
// matching *types.ConditionalCheckFailedException.
func (d *DB) updateItem(ctx context.Context, u *usage, key map[string]types.AttributeValue, update expression.UpdateBuilder, cond *expression.ConditionBuilder, rv types.ReturnValue) (map[string]types.AttributeValue, error) {
	builder := expression.NewBuilder().WithUpdate(update)
	if cond != nil {
		builder = builder.WithCondition(*cond)
	}
	expr, err := builder.Build()
	if err != nil {
		return nil, fmt.Errorf("build update: %w", err)
	}
	out, err := d.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(d.table),
		Key:                       key,
		UpdateExpression:          expr.Update(),
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ReturnValues:              rv,
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, err
	}
	u.add(true, out.ConsumedCapacity)
	return out.Attributes, nil
}

// queryPage runs one Query call of in on the table (or the index in.IndexName).
func (d *DB) queryPage(ctx context.Context, u *usage, in dynamodb.QueryInput) (*dynamodb.QueryOutput, error) {
	in.TableName = aws.String(d.table)
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := d.client.Query(ctx, &in)
	if err != nil {
		return nil, err
	}
	u.add(false, out.ConsumedCapacity)
	return out, nil
}

// queryAll returns every item a key condition selects, in sort key order.
func (d *DB) queryAll(ctx context.Context, u *usage, cond expression.KeyConditionBuilder, consistent bool) ([]map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(cond).Build()
	if err != nil {
		return nil, fmt.Errorf("build key condition: %w", err)
	}
	in := dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ConsistentRead:            aws.Bool(consistent),
	}
	var items []map[string]types.AttributeValue
	for {
		out, err := d.queryPage(ctx, u, in)
		if err != nil {
			return nil, err
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return items, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// batchGet reads the items at keys, in any order, retrying the keys
// DynamoDB leaves unprocessed. Missing items are simply absent.
func (d *DB) batchGet(ctx context.Context, u *usage, keys []map[string]types.AttributeValue, consistent bool) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += batchGetSize {
		pending := map[string]types.KeysAndAttributes{d.table: {
			Keys:           keys[start:min(start+batchGetSize, len(keys))],
			ConsistentRead: aws.Bool(consistent),
		}}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == batchAttempts {
				return nil, fmt.Errorf("batch get: %d keys still unprocessed after %d attempts", len(pending[d.table].Keys), attempt)
			}
			if attempt > 0 {
				if err := backoff(ctx, attempt); err != nil {
					return nil, err
				}
			}
			out, err := d.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
				RequestItems:           pending,
				ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
			})
			if err != nil {
				return nil, err
			}
			u.addAll(false, out.ConsumedCapacity)
			items = append(items, out.Responses[d.table]...)
			pending = out.UnprocessedKeys
		}
	}
	return items, nil
}

// batchWrite applies requests in batches of 25, a few batches at a time,
// retrying the items DynamoDB leaves unprocessed with exponential backoff.
// The requests must not hold two writes to one key.
func (d *DB) batchWrite(ctx context.Context, u *usage, requests []types.WriteRequest) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		slots    = make(chan struct{}, batchWriters)
		mu       sync.Mutex
		firstErr error
	)
	for start := 0; start < len(requests); start += batchWriteSize {
		batch := requests[start:min(start+batchWriteSize, len(requests))]
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := d.writeBatch(ctx, u, batch); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (d *DB) writeBatch(ctx context.Context, u *usage, batch []types.WriteRequest) error {
	pending := map[string][]types.WriteRequest{d.table: batch}
	for attempt := 0; len(pending[d.table]) > 0; attempt++ {
		if attempt == batchAttempts {
			return fmt.Errorf("batch write: %d items still unprocessed after %d attempts", len(pending[d.table]), attempt)
		}
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
		}
		out, err := d.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems:           pending,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			return err
		}
		u.addAll(true, out.ConsumedCapacity)
		pending = out.UnprocessedItems
	}
	return nil
}

// backoff waits before retry number attempt: exponential, capped, with
// full jitter so that throttled writers spread out.
func backoff(ctx context.Context, attempt int) error {
	limit := min(backoffBase<<attempt, backoffMax)
	t := time.NewTimer(rand.N(limit) + time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inParallel runs do(i) for every i below n, batchWriters at a time: the
// single-item calls of one operation, each on its own item, need not wait
// for one another.
func inParallel(n int, do func(i int)) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, batchWriters)
	for i := range n {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			do(i)
		})
	}
	wg.Wait()
}

func putRequest(item map[string]types.AttributeValue) types.WriteRequest {
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: item}}
}

func deleteRequest(pk, sk string) types.WriteRequest {
	return types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: itemKey(pk, sk)}}
}
