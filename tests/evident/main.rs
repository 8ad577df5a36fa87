//! The integration test binary: fixture sites under `tests/fixtures/` are copied to a temporary
//! folder and checked or built there, so no test writes into the repository. Every test passes
//! a fixed date; none depends on the real one.

mod harness;

mod approved;
mod browser;
mod bundled;
mod cli;
mod diagnostics;
mod edits;
mod faces;
mod gate;
mod handout;
mod import;
mod incremental;
mod inputs;
mod layout;
mod links;
mod original_page;
mod plain;
mod quotes;
mod readers;
mod review;
mod scripts;
mod serve;
mod site;
mod theme_api;
mod web;
mod writer;
