package browserprobe

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chromedp/chromedp"
)

// A browser is one Chromium process group with a fresh profile.
type browser struct {
	ctx     context.Context // the page's context
	cancel  func()          // closes the page, the browser, and kills the group
	pgid    int
	dataDir string
}

// launch starts Chromium in its own process group with a fresh profile. Third
// party cookies are blocked as in a default profile, unless
// cfg.ThirdPartyCookies. On an error after the process started, the browser
// returned holds its (ended) process group.
func launch(ctx context.Context, cfg *Config, path string) (*browser, error) {
	dataDir, err := os.MkdirTemp("", "sesame-doctor-browser-")
	if err != nil {
		return nil, err
	}
	mode := 1 // profile.cookie_controls_mode: 1 blocks third-party cookies (the default)
	if cfg.ThirdPartyCookies {
		mode = 0
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "Default"), 0o700); err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}
	prefs := fmt.Sprintf(`{"profile":{"cookie_controls_mode":%d}}`, mode)
	if err := os.WriteFile(filepath.Join(dataDir, "Default", "Preferences"), []byte(prefs), 0o600); err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}

	var cmd *exec.Cmd
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dataDir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.ModifyCmdFunc(func(c *exec.Cmd) {
			// Its own process group, so every helper process (zygote, network
			// service, renderers) dies with it; and killed if this process dies.
			c.SysProcAttr = ownGroup()
			cmd = c
		}),
	}
	if rules := resolverRules(cfg.Resolve); rules != "" {
		// Names mapped to local addresses are a test of a deployment, not the
		// deployment: Local Network Access (a public page calling a loopback
		// address) would refuse every request for a reason the real one does
		// not have.
		opts = append(opts, chromedp.Flag("host-resolver-rules", rules),
			chromedp.Flag("disable-features", "LocalNetworkAccessChecks"))
	}
	if len(cfg.TrustSPKI) > 0 {
		opts = append(opts, chromedp.Flag("ignore-certificate-errors-spki-list", strings.Join(cfg.TrustSPKI, ",")))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	pctx, pcancel := chromedp.NewContext(actx)
	b := &browser{ctx: pctx, dataDir: dataDir}
	b.cancel = func() {
		// Close gracefully first (bounded by chromedp), then kill whatever of
		// the group is left, and wait for it to be gone.
		pcancel()
		acancel()
		if b.pgid > 0 {
			killGroup(b.pgid)
		}
		os.RemoveAll(dataDir)
	}
	if err := chromedp.Do(pctx); err != nil { // starts the browser and opens a tab
		if cmd != nil && cmd.Process != nil {
			b.pgid = cmd.Process.Pid
		}
		b.cancel()
		return b, fmt.Errorf("starting %s: %w", path, err)
	}
	b.pgid = cmd.Process.Pid
	return b, nil
}

// resolverRules turns host → address pairs into Chromium's --host-resolver-rules.
func resolverRules(m map[string]string) string {
	hosts := make([]string, 0, len(m))
	for h := range m {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	var rules []string
	for _, h := range hosts {
		rules = append(rules, "MAP "+h+" "+m[h])
	}
	return strings.Join(rules, ", ")
}
