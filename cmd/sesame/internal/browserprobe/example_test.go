package browserprobe_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/cmd/sesame/internal/browserprobe"
	"github.com/sesame-go/sesame/doctor"
)

// Run the doctor's probe in Chromium and print each finding with the probe that
// made it. Without a Chromium, Run returns ErrNoBrowser: use doctor.Probe.
func ExampleRun() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := browserprobe.Run(ctx, browserprobe.Config{
		Probe: doctor.ProbeConfig{
			Origin:    "https://app.example.com",
			URL:       "https://api.example.com/api/me",
			LoginURL:  "https://api.example.com/api/login",
			LoginBody: `{"user":"ann","password":"secret"}`,
		},
	})
	if errors.Is(err, browserprobe.ErrNoBrowser) {
		fmt.Println("no Chromium here; run doctor.Probe instead")
		return
	}
	if err != nil {
		fmt.Println("could not probe:", err)
		return
	}
	for _, f := range res.Report.Findings {
		fmt.Println(f.Rule, f.Severity, f.Probe, f.Detail)
	}
}

// Find the Chromium to run: the given path, else the usual names on PATH.
func ExampleFind() {
	path, err := browserprobe.Find("")
	if err != nil {
		fmt.Println(err) // names what was looked for, and --browser-path
		return
	}
	fmt.Println("would run", path)
}
