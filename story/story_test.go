package story

import (
	"bytes"
	"testing"
)

func TestTourChecks(t *testing.T) {
	for _, lang := range []string{"en", "zh-TW"} {
		st, err := Load("tour", lang)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Check(st, st.Seeds(3))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		r.WriteText(&b)
		if !r.OK() {
			t.Errorf("%s:\n%s", lang, b.String())
		}
	}
}
