package story

import (
	"os"
	"testing"
)

// FuzzParse: whatever the bytes, Parse returns a story or an error,
// never panics, and a story it returns has steps with captions.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/good.yaml", "testdata/wrong.yaml", "stories/tour.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte("title: &a x\ntopology: preset:single-worker\nsteps: [{caption: *a, run: 1s, expect: {p99: '< 1ms'}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Parse("f.yaml", "", data, "en")
		if err != nil {
			return
		}
		if len(st.Steps) == 0 || st.Topology == nil {
			t.Fatalf("a story without steps or topology: %+v", st)
		}
		for _, s := range st.Steps {
			if s.Caption == "" {
				t.Fatal("a step without a caption")
			}
		}
	})
}
