package main

import (
	"crypto/sha256"
	"crypto/subtle"
)

// demoAccounts are the demo's users. DEMO ONLY: hard-coded plain-text passwords
// exist so the front end has someone to sign in as; a real application keeps
// password hashes (OWASP Password Storage Cheat Sheet: Argon2id, scrypt or bcrypt).
var demoAccounts = map[string]string{
	"alice": "wonderland",
	"bob":   "builder",
}

// checkPassword reports whether password is user's. Unknown users are compared
// against a dummy so the answer takes the same time either way, and the comparison
// of digests is constant-time.
func checkPassword(user, password string) bool {
	want, known := demoAccounts[user]
	if !known {
		want = "\x00not a password"
	}
	a := sha256.Sum256([]byte(password))
	b := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && known
}
