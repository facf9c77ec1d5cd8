// Package serve is hybridsim's live what-if page (`hybridsim serve`): a
// local web server whose page lets a meeting change an area and its
// interventions, press Run and watch the what-if pull away from the area
// as it is.
//
// The page's set-up panel sends a Form; the server writes it as a scenario
// file over the chosen preset (or the file given at start) and loads it
// with the scenario loader, so that invalid input gets the messages a file
// gets. The comparison has two variants, "baseline" and "what-if", and runs
// every replication of both on the same random stream (common random
// numbers, docs/ODD.md §3.2), so their difference is the interventions'.
// Run answers with server-sent events: the first replication week by week
// with its tie network every few weeks, and, as replications finish, the
// mean and 5–95% band of the charted outputs (docs/ODD.md §9) computed by
// package experiment as 'hybridsim run' computes them. The downloads are
// the scenario file (the loaded document, resolved) and the summary.csv
// that 'hybridsim run' writes for it, byte for byte.
//
// Everything the page needs is embedded; it asks nothing of any other
// host. Requests are bounded in size, comparisons in number and in size
// (actors × weeks, replications), a closed page or a newer Run of the same
// page cancels its comparison, and no request reads or writes a file.
package serve
