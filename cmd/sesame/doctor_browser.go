package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cmd/sesame/internal/browserprobe"
	dr "github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// browserFlags are doctor's --browser options.
type browserFlags struct {
	on          bool
	path        string
	page        string
	wait        time.Duration
	thirdParty  bool
	resolves    []string
	cacert      string
	browserName string // set by the run: Chromium's product and version
}

// browserDoctor runs the HTTP probe and then the same sequence in Chromium (or,
// with --page, the real front end), and merges them: every finding Chromium's
// evidence supports, then the HTTP probe's findings for rules the browser cannot
// see (Vary, exposed headers, other browsers' rules). Without a Chromium it says
// so on stderr and returns the HTTP probe's report.
func browserDoctor(ctx context.Context, cfg dr.ProbeConfig, bf *browserFlags, stderr io.Writer) (*dr.Report, error) {
	httpReport, err := dr.Probe(ctx, cfg)
	if err != nil {
		return httpReport, err
	}
	label(httpReport, dr.ProbeHTTP)
	path, err := browserprobe.Find(bf.path)
	if err != nil {
		fmt.Fprintf(stderr, "sesame doctor: %v; falling back to the HTTP probe\n", err)
		return httpReport, nil
	}
	resolve, err := resolverMap(bf.resolves)
	if err != nil {
		return httpReport, err
	}
	spki, err := spkiHashes(bf.cacert)
	if err != nil {
		return httpReport, err
	}
	if bf.cacert != "" {
		// Chromium matches the SPKI list against the chain the server sends,
		// which rarely holds the CA: add the leaf of each https host, once Go
		// has verified it against --cacert.
		for _, raw := range []string{cfg.URL, cfg.LoginURL, bf.page} {
			if h, err := leafSPKI(ctx, raw, bf.resolves, bf.cacert); err != nil {
				return httpReport, err
			} else if h != "" && !slices.Contains(spki, h) {
				spki = append(spki, h)
			}
		}
	}
	res, err := browserprobe.Run(ctx, browserprobe.Config{
		Probe: cfg, BrowserPath: path, Page: bf.page, Wait: bf.wait,
		ThirdPartyCookies: bf.thirdParty, Resolve: resolve, TrustSPKI: spki,
	})
	if res != nil {
		bf.browserName = res.Browser
	}
	if err != nil {
		return httpReport, fmt.Errorf("in Chromium (%s): %w", path, err)
	}
	return mergeReports(httpReport, res.Report), nil
}

// mergeReports puts the browser's exchanges and findings first, then the HTTP
// probe's exchanges, and its findings for the rules the browser did not report.
//
// Chromium's third-party cookie blocking hides every other reason it has to
// refuse a cookie (the e2e notes: UserPreferences "hides any other reason").
// When the HTTP probe finds an error in the same Set-Cookie, that error is the
// one to fix first: the browser's words are added to its evidence instead of
// standing as a finding of their own.
func mergeReports(h, b *dr.Report) *dr.Report {
	out := &dr.Report{Origin: h.Origin, URL: h.URL, Relation: h.Relation}
	out.Exchanges = append(append(out.Exchanges, b.Exchanges...), h.Exchanges...)
	hf := slices.Clone(h.Findings)
	seen := map[problem.ID]bool{}
	// A CORS refusal the HTTP probe traced to its cause (SES035, SES011) is what
	// Chromium's CORS errors only show the symptom of: a refused preflight
	// without Access-Control-Allow-Origin reads as SES010 to it. Its words join
	// the cause's evidence instead of standing as findings of their own.
	refusal := map[problem.ID]int{}
	for i := range hf {
		if _, ok := refusal[hf[i].Rule]; hf[i].Refusal && !ok {
			refusal[hf[i].Rule] = i
		}
	}
	for _, f := range b.Findings {
		if len(refusal) > 0 && (f.Rule == problem.PreflightNotReached || f.Rule == problem.OriginMismatch || f.Rule == problem.PreflightDenied) {
			i, ok := refusal[f.Rule]
			if !ok {
				i = slices.Min(slices.Collect(maps.Values(refusal)))
			}
			line, _, _ := strings.Cut(f.Evidence, "\n")
			if !strings.Contains(hf[i].Evidence, line) {
				hf[i].Evidence += "\n" + line + " (at " + f.Step + ")"
			}
			continue
		}
		if f.Rule == problem.ThirdPartyBlocking {
			line, words, _ := strings.Cut(f.Evidence, "\n")
			folded := false
			for i := range hf {
				first, _, _ := strings.Cut(hf[i].Evidence, "\n")
				if hf[i].Severity == problem.Error && hf[i].Rule != problem.ThirdPartyBlocking && cookieShape(first) == cookieShape(line) {
					hf[i].Evidence += "\n" + words + " (third-party cookie blocking, which hides any other reason)"
					folded = true
				}
			}
			if folded {
				continue
			}
		}
		seen[f.Rule] = true
		out.Findings = append(out.Findings, f)
	}
	for _, f := range hf {
		if !seen[f.Rule] {
			out.Findings = append(out.Findings, f)
		}
	}
	return out
}

func label(r *dr.Report, probe string) {
	for i := range r.Exchanges {
		r.Exchanges[i].Probe = probe
	}
	for i := range r.Findings {
		r.Findings[i].Probe = probe
	}
}

// resolverMap turns --resolve host:port:addr into Chromium's host → addr.
func resolverMap(resolves []string) (map[string]string, error) {
	m := map[string]string{}
	for _, r := range resolves {
		parts := strings.SplitN(r, ":", 3)
		if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
			return nil, fmt.Errorf("--resolve %q is not host:port:addr", r)
		}
		addr := parts[2]
		if strings.Contains(addr, ":") && !strings.HasPrefix(addr, "[") {
			addr = "[" + addr + "]"
		}
		m[strings.ToLower(parts[0])] = addr
	}
	return m, nil
}

// leafSPKI connects to the https URL raw (through --resolve), verifies its
// certificate against --cacert and the system roots, and returns the hash of
// the leaf's public key. It returns "" for an http URL or an empty one.
func leafSPKI(ctx context.Context, raw string, resolves []string, cacert string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" {
		return "", nil
	}
	rt, err := transport(resolves, cacert)
	if err != nil {
		return "", err
	}
	t := rt.(*http.Transport)
	port := u.Port()
	if port == "" {
		port = "443"
	}
	conn, err := t.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return "", fmt.Errorf("connecting to %s: %w", u.Host, err)
	}
	defer conn.Close()
	conf := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		conf.RootCAs = t.TLSClientConfig.RootCAs
	}
	tc := tls.Client(conn, conf)
	if err := tc.HandshakeContext(ctx); err != nil {
		return "", fmt.Errorf("TLS with %s: %w", u.Host, err)
	}
	leaf := tc.ConnectionState().PeerCertificates[0]
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// spkiHashes returns base64(SHA-256(SubjectPublicKeyInfo)) of every certificate
// in the --cacert file, which Chromium then accepts
// (--ignore-certificate-errors-spki-list matches any certificate of the chain).
func spkiHashes(file string) ([]string, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--cacert: %w", err)
	}
	var out []string
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("--cacert %s: %w", file, err)
		}
		sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
		out = append(out, base64.StdEncoding.EncodeToString(sum[:]))
	}
	if len(out) == 0 {
		return nil, errors.New("--cacert " + file + ": no PEM certificate in it")
	}
	return out, nil
}

// cookieShape is a "Set-Cookie: name=value; attributes" line without its value:
// the two probes log in separately, so the same cookie has two session IDs.
func cookieShape(line string) string {
	nv, attrs, _ := strings.Cut(strings.TrimPrefix(line, "Set-Cookie: "), ";")
	name, _, _ := strings.Cut(nv, "=")
	return strings.TrimSpace(name) + ";" + strings.ToLower(strings.ReplaceAll(attrs, " ", ""))
}
