package api

import (
	"net/http"
	"sync"
)

// jsonAppender is an answer with a hand-written encoder of its fixed shape
// (app.License): byte for byte what app.EncodeJSON writes, without
// reflection or a copy of the value.
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// answerBufs keeps the buffers the hand-written encoders fill, so a hot
// answer costs no allocation of its own once the pool is warm.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeAppended is writeJSON for a jsonAppender: the answer is complete
// before the status goes out, so an encoding failure never follows a
// success status.
func writeAppended(w http.ResponseWriter, status int, v jsonAppender) error {
	buf := answerBufs.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= 64<<10 { // one huge answer should not pin its buffer
			answerBufs.Put(buf)
		}
	}()
	b, err := v.AppendJSON((*buf)[:0])
	if err != nil {
		return err
	}
	b = append(b, '\n')
	*buf = b
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
	return nil
}
