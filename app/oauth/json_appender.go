package oauth

import (
	"net/http"
	"sync"
)

// jsonAppender is an answer with a hand-written encoder of its fixed shape
// (app.Introspection, app.UserInfo): byte for byte what encoding/json
// writes, without reflection.
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// answerBufs keeps the buffers the hand-written encoders fill, so a hot
// answer costs no allocation of its own once the pool is warm.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// writeNoStoreAppended is writeNoStore for a jsonAppender.
func writeNoStoreAppended(w http.ResponseWriter, v jsonAppender) error {
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
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}
