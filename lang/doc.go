// Package lang holds every word hybridsim shows a reader — charts, the
// report, its tables, parameter meanings, preset and variant descriptions,
// the terminal summary — in English and Dutch, one table per language
// (en.go, nl.go), and writes numbers the way each language does (a decimal
// comma in Dutch).
//
// The Dutch uses the words of the chapter the model comes from:
// hybridisering, co-existentie, wij–zij-denken, onbekendheid, onenigheid,
// onbestemdheid, informele partijen, toeleiden, te laat opgeschaald,
// wijktafels, sociale reflectie.
//
// Keys are namespaced:
//
//	ui.NAME              a word or sentence of the charts, report or terminal
//	metric.NAME          an output column of sim.Metrics, in words
//	axis.NAME            a plain-language axis label for an output
//	param.GROUP.KEY      a parameter's meaning (Dutch only: the English is
//	                     sim.Spec.Meaning, the model's own one line)
//	kind.KIND            an intervention kind (sim.Kinds)
//	word.WORD            a value word: end-goal perspectives, facilitators,
//	                     sides, roles, case modes
//	variant.NAME         a variant's name as displayed
//
// The descriptions the preset scenario files give in English (of the area
// and of each variant) have their Dutch in a table keyed by the English
// text ([Lang.Text]), so a user's own description is shown as written.
//
// Lookups never fail: a key without a word in the language falls back to
// English, and then to the key itself; [Missing] lists what a language
// lacks, and the package's tests fail when a word a reader can see has no
// Dutch.
package lang
