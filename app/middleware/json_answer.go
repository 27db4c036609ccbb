package middleware

import (
	"net/http"
	"sync"
)

// JSONAppender is an answer with a hand-written encoder of its fixed shape
// (app.License, app.Introspection, app.UserInfo): the same bytes the
// reflection encoder writes, without reflection or a copy of the value.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// answerBufs keeps the buffers the hand-written encoders fill, so a hot
// answer costs no allocation of its own once the pool is warm.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// WriteAppended answers v as JSON with status. The answer is complete
// before the status goes out, so an encoding failure never follows a
// success status. Headers the door needs besides Content-Type (no-store
// for OAuth answers) are set on w before the call.
func WriteAppended(w http.ResponseWriter, status int, v JSONAppender) error {
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
