// Package problem is the leaf of sesame's layers: the vocabulary every other
// package reports in. An ID names a rule of the catalogue (SES001…) and knows its
// short Title and the URL of its documentation; a Problem is one finding (rule,
// Severity, what was found, what to change) and an error, so constructors join
// them with errors.Join and callers find them with errors.As. Response is the one
// RFC 9457 application/problem+json body the stages answer an error with (the
// CSRF stage's 403, the session stage's 503 and 500): type (the rule's docs),
// title, status, detail, rule and fix.
//
// The catalogue's prose (symptom, cause, fix, references) lives in package
// doctor, which no library package imports; this package imports only the
// standard library.
package problem
