package alerts

import (
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// queue is the bounded FIFO of alerts waiting for one Alertmanager. When it
// is full the oldest alerts are dropped and counted. All methods are safe
// for concurrent use: Sender.Send pushes while the Alertmanager's loop
// takes.
type queue struct {
	capacity int
	length   prometheus.Gauge
	dropped  prometheus.Counter

	// more holds one token while alerts may be waiting; push puts it,
	// the Alertmanager's loop waits for it.
	more chan struct{}

	mu    sync.Mutex
	items []Alert // oldest first; guarded by mu
}

// newQueue returns an empty queue holding at most capacity alerts
// (capacity > 0) whose length and drops are reported on the given series.
func newQueue(capacity int, length prometheus.Gauge, dropped prometheus.Counter) *queue {
	return &queue{
		capacity: capacity,
		length:   length,
		dropped:  dropped,
		more:     make(chan struct{}, 1),
	}
}

// push appends alerts, dropping the oldest ones beyond capacity (which may
// include the oldest of alerts themselves), and returns how many it
// dropped. It never blocks.
func (q *queue) push(alerts []Alert) int {
	if len(alerts) == 0 {
		return 0
	}
	q.mu.Lock()
	n := q.insert(alerts, false)
	q.mu.Unlock()
	q.signal()
	return n
}

// unshift puts a batch that could not be sent because of shutdown back at
// the front of the queue, so that a later Drain sends it first. Alerts that
// no longer fit are dropped oldest first and counted.
func (q *queue) unshift(batch []Alert) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.insert(batch, true)
}

// insert adds alerts at the back (or front) and trims the oldest beyond
// capacity. The caller holds q.mu.
func (q *queue) insert(alerts []Alert, front bool) int {
	var items []Alert
	if front {
		items = make([]Alert, 0, len(alerts)+len(q.items))
		items = append(append(items, alerts...), q.items...)
	} else {
		items = append(q.items, alerts...)
	}
	over := len(items) - q.capacity
	if over > 0 {
		clear(items[:over])
		items = items[over:]
		q.dropped.Add(float64(over))
	} else {
		over = 0
	}
	q.items = items
	q.length.Set(float64(len(q.items)))
	return over
}

// take removes and returns up to max of the oldest alerts; it returns nil
// when the queue is empty.
func (q *queue) take(max int) []Alert {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(max, len(q.items))
	if n == 0 {
		return nil
	}
	batch := make([]Alert, n)
	copy(batch, q.items)
	clear(q.items[:n])
	q.items = q.items[n:]
	if len(q.items) == 0 {
		q.items = nil
	}
	q.length.Set(float64(len(q.items)))
	return batch
}

// snapshot returns a copy of the alerts waiting, oldest first.
func (q *queue) snapshot() []Alert {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.items)
}

// signal tells the Alertmanager's loop that alerts may be waiting.
func (q *queue) signal() {
	select {
	case q.more <- struct{}{}:
	default:
	}
}

// len returns the number of alerts waiting.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
