// Package gate decides whether a fine-tuned candidate may ship.
//
// It is pure: paired scorecards and a Policy in, a Decision out, no I/O.
// The decision is an intersection–union test (Berger 1982): PASS needs the
// candidate to beat the baseline on quality (acceptance rate) and on cost
// per accepted outcome, each by a one-sided test at level alpha, with no
// blocking regression in any workflow and every hard constraint held.
// FAIL needs evidence against the candidate; anything else is INCONCLUSIVE,
// and the Decision says how many more cases would settle it.
package gate
