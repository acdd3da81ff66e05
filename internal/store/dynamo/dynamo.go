// Package dynamo is the DynamoDB implementation of store.Store: one table,
// single-table design, read only through Query, GetItem and BatchGetItem.
// ACCESS_PATTERNS.md beside this file describes every key and which call
// serves each read.
package dynamo

import (
	"context"
	"log/slog"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/store"
)

// Options configures a DB.
type Options struct {
	// CursorKey signs page cursors so that clients cannot forge or replay
	// them on another query.
	CursorKey []byte
	// Logger receives debug lines with the capacity each operation
	// consumed, and errors of the best-effort cleanup that follows a
	// replacement. Nil discards them.
	Logger *slog.Logger
}

// DB is a store.Store on one DynamoDB table laid out as template.yaml
// defines it: PK/SK strings and the GSI1 index on GSI1PK/GSI1SK.
type DB struct {
	client  *dynamodb.Client
	table   string
	cursors store.Cursors
	log     *slog.Logger
	// maxExamined bounds the postings one page of Quotes reads: the
	// constant of that name, lowered by tests.
	maxExamined int

	mu       sync.Mutex
	consumed Capacity
}

var _ store.Store = (*DB)(nil)

// New returns a DB on table. It makes no call: the client comes configured
// from the caller, which loads the AWS config once.
func New(client *dynamodb.Client, table string, opts Options) *DB {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &DB{client: client, table: table, cursors: store.NewCursors(opts.CursorKey), log: log, maxExamined: maxExamined}
}

// Capacity is a count of DynamoDB capacity units, as DynamoDB reports them
// with ReturnConsumedCapacity TOTAL.
type Capacity struct {
	ReadUnits  float64 `json:"read_units"`
	WriteUnits float64 `json:"write_units"`
}

// ConsumedCapacity returns the capacity every call made through d has
// consumed so far, for cost reports.
func (d *DB) ConsumedCapacity() Capacity {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.consumed
}

// usage accumulates the capacity one store operation consumes; batch
// writes run concurrently, hence the lock.
type usage struct {
	mu sync.Mutex
	Capacity
}

func (u *usage) add(write bool, ccs ...*types.ConsumedCapacity) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, cc := range ccs {
		if cc == nil || cc.CapacityUnits == nil {
			continue
		}
		if write {
			u.WriteUnits += *cc.CapacityUnits
		} else {
			u.ReadUnits += *cc.CapacityUnits
		}
	}
}

func (u *usage) addAll(write bool, ccs []types.ConsumedCapacity) {
	for i := range ccs {
		u.add(write, &ccs[i])
	}
}

// finish adds what one operation consumed to d's totals and logs it.
func (d *DB) finish(ctx context.Context, op string, u *usage, attrs ...any) {
	u.mu.Lock()
	c := u.Capacity
	u.mu.Unlock()
	d.mu.Lock()
	d.consumed.ReadUnits += c.ReadUnits
	d.consumed.WriteUnits += c.WriteUnits
	d.mu.Unlock()
	d.log.DebugContext(ctx, "dynamo: consumed capacity",
		append([]any{"op", op, "read_units", c.ReadUnits, "write_units", c.WriteUnits}, attrs...)...)
}
