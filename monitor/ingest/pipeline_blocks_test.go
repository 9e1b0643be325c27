package ingest

import "testing"

// TestPipelineBlocksBounded: once maxBlocks blocks are made, the decoder's
// side waits for one the reader has finished with instead of making more,
// unless the sink has failed.
func TestPipelineBlocksBounded(t *testing.T) {
	tests := []struct {
		name   string
		failed bool
	}{
		{"waits for a block read", false},
		{"makes one after the sink failed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			free := make(chan []record, 3)
			done := make(chan struct{})
			b := &blockSink{free: free, done: done}
			for range maxBlocks {
				if blk := b.next(); cap(blk) != blockLen {
					t.Fatalf("block of capacity %d, want %d", cap(blk), blockLen)
				}
			}
			read := make([]record, 1, blockLen)
			got := make(chan []record)
			go func() { got <- b.next() }()
			if tt.failed {
				close(done)
			} else {
				free <- read[:0]
			}
			blk := <-got
			if same := &blk[:1][0] == &read[0]; same == tt.failed {
				t.Errorf("returned the block read: %v, want %v", same, !tt.failed)
			}
			if b.made != maxBlocks {
				t.Errorf("made %d blocks, want %d", b.made, maxBlocks)
			}
		})
	}
}
