package orders

import (
	"net/http/httptest"
	"testing"
)

func TestList(t *testing.T) {
	recorder := httptest.NewRecorder()
	List(recorder, httptest.NewRequest("GET", "/orders", nil))
	if recorder.Code != 200 {
		t.Fatalf("status %d", recorder.Code)
	}
}
