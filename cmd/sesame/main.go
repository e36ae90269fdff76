// Command sesame runs the demo system, probes a deployment for cookie and CORS
// misconfigurations, and prints signing keys.
//
//	sesame demo     the seeds' system: an API with cookie sessions and its front end
//	sesame doctor   behave as a browser would against any backend and explain what fails
//	sesame keygen   print a fresh signing key
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "keygen":
		return keygen(args[1:], stdout, stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "doctor":
		return doctor(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "sesame: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: sesame <command> [flags]

commands:
  demo     run the demo API and its front end on two origins
  doctor   probe a backend as a browser on another origin would, and explain what fails
  keygen   print a fresh 32-byte signing key (base64url)
`)
}
