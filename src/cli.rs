//! The command line, parsed once into validated settings; commands never see raw flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "evident",
    version,
    about = "Evidence-graded knowledge base and static site generator",
    long_about = "evident checks every claim-to-source link of a medical knowledge base and builds a \
                  cross-referenced website in which each statement shows its sources, evidence \
                  grade and review status.",
    after_help = "Exit codes: 0 success (warnings allowed unless --strict), 1 content errors or a refused \
                  action, 2 cannot run (bad arguments, unreadable files, I/O)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The site folder (default: the nearest folder upwards holding evident.yaml, else the current one)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The date used for due dates and new history entries (default: today)
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// Print only diagnostics and errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what is done
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour the output (NO_COLOR is respected)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the site and build it (default output: ./public)
    Build(BuildArgs),
    /// Check the site and report every problem; writes nothing
    Check(CheckArgs),
    /// Create a new site in DIR: a skeleton, or the relactation example
    Init(InitArgs),
    /// Scaffold a claim, topic or source file (never overwrites)
    New(NewArgs),
    /// Record a review decision in place, or list the review queue
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Convert a .bib/.ris/.nbib/CSL-JSON export into CSL-YAML files in citations/, one id per
    /// work (never overwrites; works the site holds are reported, or merged with --update)
    Import(ImportArgs),
    /// Explain a diagnostic code: what it means and how to fix it
    Explain(ExplainArgs),
    /// Write one topic's printable handout (approved statements only unless --draft)
    Handout(HandoutArgs),
    /// Preview the site on 127.0.0.1, rebuilt and reloaded as files change
    Serve(ServeArgs),
    /// Print JSON Schemas of claim files, front matter, sources and evident.yaml, for editors
    Schema(SchemaArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Submit for review (from draft, changes-requested, approved or retired); refused on any
    /// error or unallowed evidence-integrity warning it would have once submitted
    Submit(DecisionArgs),
    /// Start reviewing (from submitted or approved); gated like submit
    Start(DecisionArgs),
    /// Approve the current text (from in-review); gated like submit; records its fingerprint and wording
    Approve(DecisionArgs),
    /// Ask for changes (from in-review); --note says what to change
    RequestChanges(DecisionArgs),
    /// Retire (from any state but retired); --reason is required
    Retire(DecisionArgs),
    /// Print the review queue
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct DecisionArgs {
    /// A claim id, or a topic as topic:<slug> (or its bare slug when no claim has that id)
    pub id: String,
    /// The reviewer deciding (an id from evident.yaml, whose role must allow the action)
    #[arg(long, value_name = "REVIEWER")]
    pub by: String,
    /// A note kept in the history entry
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Why the claim is retired (retire only)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The claim that replaces a retired one (retire only)
    #[arg(long, value_name = "ID")]
    pub replaced_by: Option<String>,
    /// When the approval is due for review again (approve only; default: today + max_age_days)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub next_review: Option<jiff::civil::Date>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default ./public, or ./preview with --preview)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build the editors' preview (current text, statuses, dashboard, notes) instead of the
    /// public site
    #[arg(long)]
    pub preview: bool,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Also write the editor dashboard into DIR, apart from the site
    #[arg(long, value_name = "DIR")]
    pub dashboard: Option<PathBuf>,
    /// Do not write PDF handouts
    #[arg(long)]
    pub no_pdf: bool,
    /// Do not write the search index
    #[arg(long)]
    pub no_search: bool,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Also ask every external URL and DOI over the network (results cached in .evident/cache/)
    #[arg(long)]
    pub external: bool,
    /// With --external: requests under way at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub external_concurrency: u16,
    /// With --external: seconds one request may take
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub external_timeout: u64,
    /// With --external: seconds the whole external check may take
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub external_deadline: u64,
    /// With --external: days a cached success stands before the URL is asked again (0: always ask)
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub external_max_age_days: u32,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder of the new site (created if missing; must not hold the files to write)
    pub dir: PathBuf,
    /// Write the bundled relactation knowledge base instead of a skeleton
    #[arg(long)]
    pub example: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKindArg,
    /// Its id (claims and topics: lowercase letters, digits and hyphens)
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKindArg {
    Claim,
    Topic,
    Source,
}

#[derive(Debug, Args)]
pub struct HandoutArgs {
    /// The topic, as its slug or topic:<slug>
    pub topic: String,
    /// Whose wording to use (an audience id from evident.yaml; default: the first)
    #[arg(long, value_name = "ID")]
    pub audience: Option<String>,
    /// Paper size (default: from the site's language; A4 unless its region uses Letter)
    #[arg(long, value_enum)]
    pub paper: Option<PaperArg>,
    /// Include statements not yet approved, and mark every page "DRAFT — not reviewed"
    #[arg(long)]
    pub draft: bool,
    /// Large print: a 16pt body, every smaller text scaled up to match (it may take more than
    /// two pages); named <topic>-large-print.* in the output folder
    #[arg(long)]
    pub large_print: bool,
    /// Write this one file; its extension (.pdf or .html) picks the format (default: both
    /// into the output folder's handouts/)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on
    #[arg(long, default_value_t = evident::serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on; anything but 127.0.0.1 exposes the preview to the network
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the browser once it is served
    #[arg(long)]
    pub open: bool,
    /// Serve the public face (what `evident build` writes) instead of the editors' preview
    #[arg(long)]
    pub public: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write claim, topic, source and evident schemas (*.schema.json) into DIR instead of
    /// printing them
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The export: BibTeX/BibLaTeX (.bib), RIS (.ris), PubMed (.nbib) or CSL-JSON (.json)
    pub file: PathBuf,
    /// Where to write the files (citations/ or a folder inside it; default: citations/)
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// A record that is a work the site already holds in a CSL-YAML file adds the fields that
    /// file lacks (those it has, and its comments, are kept) instead of being reported
    #[arg(long)]
    pub update: bool,
    /// How to print conflicts and problems
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code, e.g. unknown-source (omit to list them all)
    pub code: Option<String>,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    evident::text::fields::parse_date(text).map_err(|why| format!("{why} (e.g. 2025-10-29)"))
}
