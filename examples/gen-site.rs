//! Writes a synthetic but realistic evident site for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen-site -- --claims 10000 --out /tmp/site-10k [--seed 1]
//! ```
//!
//! N claims (statements whose numbers appear in the quotes they cite, two audience wordings,
//! 1–4 sources each, review histories in every state), N/10 topic pages embedding 10–30
//! claims each with prose citations, and N/5 sources in CSL-YAML, CSL-JSON, BibTeX, RIS and
//! PubMed (.nbib) files.
//! The same seed gives the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: tiny, fast and deterministic; statistical quality is irrelevant here.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const OUTCOMES: &[&str] = &[
    "relactated",
    "breastfed exclusively",
    "resumed lactation",
    "reported sore nipples",
    "needed supplements",
    "stopped within a month",
];
const GROUPS: &[&str] = &[
    "mothers of hospitalised infants",
    "mothers of preterm infants",
    "adoptive mothers",
    "mothers after early weaning",
    "mothers in a community clinic",
];
const DESIGNS: &[(&str, &str)] = &[
    ("rct", "low"),
    ("cohort", "low"),
    ("case-series", "very-low"),
    ("systematic-review", "moderate"),
    ("cross-sectional", "low"),
    ("guideline", "very-low"),
];
const WORDS: &[&str] = &[
    "support",
    "suckling",
    "milk",
    "supply",
    "lactation",
    "infant",
    "mother",
    "feeding",
    "breast",
    "trial",
    "outcome",
    "study",
    "weaning",
    "hormone",
    "clinic",
];

fn main() {
    let mut claims = 1000usize;
    let mut out = PathBuf::from("gen-site");
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--claims" => {
                claims = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--claims N")
            }
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            other => panic!("unknown argument {other}; use --claims N --out DIR [--seed N]"),
        }
    }
    if out.exists() {
        panic!("{} exists; give a fresh folder", out.display());
    }
    generate(&out, claims, seed);
    sign_approvals(&out);
    println!(
        "wrote a site with {claims} claims, {} topics and {} sources to {}",
        claims / 10,
        (claims / 5).max(1),
        out.display()
    );
}

struct Source {
    id: String,
    n: u64,
    year: u64,
    design: usize,
}

fn generate(root: &Path, n: usize, seed: u64) {
    let mut rng = Rng(seed);
    // Everything published under banners, as before the public site showed approved
    // content only: the benchmark renders every page, comparable with earlier measurements.
    write(
        root,
        "evident.yaml",
        "title: Synthetic knowledge base\nbase_url: https://example.org/\naudiences:\n  - {id: patient, label: Parent or caregiver}\n  - {id: clinician, label: Healthcare professional}\nreviewers:\n  - {id: author, name: Synthetic Author (fictional), role: author}\n  - {id: reviewer, name: Synthetic Reviewer (fictional), role: clinical reviewer}\nreview:\n  publish: all-with-banner\n  dashboard: public\n",
    );
    let source_count = (n / 5).max(1);
    // Sources come 100 to a file, the files rotating through the five formats editors export.
    // PubMed records are named by their PMID, as evident names them.
    const FORMATS: [&str; 5] = ["yaml", "json", "bib", "ris", "nbib"];
    let sources: Vec<Source> = (0..source_count)
        .map(|i| {
            let id = if FORMATS[(i / 100) % 5] == "nbib" {
                format!("pmid{}", 20_000_000 + i)
            } else {
                format!("src{i:06}")
            };
            Source {
                id,
                n: 20 + rng.below(2000),
                year: 1980 + rng.below(45),
                design: rng.below(DESIGNS.len() as u64) as usize,
            }
        })
        .collect();
    for (f, chunk) in sources.chunks(100).enumerate() {
        let format = FORMATS[f % 5];
        let mut text = String::new();
        for s in chunk {
            let topic = format!("{} in {}", rng.pick(WORDS), rng.pick(WORDS));
            let (volume, first_page) = (1 + rng.below(60), 100 + rng.below(400));
            match format {
                "yaml" => {
                    let _ = write!(
                        text,
                        "- id: {}\n  type: article-journal\n  title: \"A study of {topic} {}\"\n  author:\n    - {{family: Author{}, given: A. B.}}\n  container-title: Journal of Lactation\n  issued: {{date-parts: [[{}]]}}\n  volume: \"{volume}\"\n  page: {first_page}-{}\n  DOI: 10.1000/{}\n  design: {}\n  sample_size: {}\n",
                        s.id,
                        s.year,
                        s.id,
                        s.year,
                        first_page + 7,
                        s.id,
                        DESIGNS[s.design].0,
                        s.n
                    );
                }
                "json" => {
                    let sep = if text.is_empty() { "[\n" } else { ",\n" };
                    let _ = write!(
                        text,
                        "{sep}  {{\"id\": \"{}\", \"type\": \"article-journal\", \"title\": \"A trial of {topic}\", \"author\": [{{\"family\": \"Writer{}\", \"given\": \"C.\"}}], \"container-title\": \"Breastfeeding Research\", \"issued\": {{\"date-parts\": [[{}]]}}, \"volume\": \"{volume}\"}}",
                        s.id, s.id, s.year
                    );
                }
                "bib" => {
                    let _ = write!(
                        text,
                        "@article{{{},\n  title = {{A cohort of {topic}}},\n  author = {{Scholar, Dana and Researcher, Eve}},\n  journal = {{Lactation Studies}},\n  year = {{{}}},\n  volume = {{{volume}}},\n  pages = {{{first_page}--{}}},\n  doi = {{10.2000/{}}},\n}}\n\n",
                        s.id,
                        s.year,
                        first_page + 9,
                        s.id
                    );
                }
                "ris" => {
                    let _ = write!(
                        text,
                        "TY  - JOUR\nID  - {}\nTI  - A case series of {topic}\nAU  - Clinician, Fay\nT2  - Journal of Human Lactation\nPY  - {}\nVL  - {volume}\nSP  - {first_page}\nEP  - {}\nER  - \n\n",
                        s.id,
                        s.year,
                        first_page + 5
                    );
                }
                _ => {
                    let pmid = s.id.trim_start_matches("pmid");
                    let _ = write!(
                        text,
                        "PMID- {pmid}\nTI  - A survey of {topic} among mothers who stopped breastfeeding\n      early.\nAU  - Nurse G\nTA  - Breastfeed Med\nJT  - Breastfeeding medicine\nDP  - {} Mar\nVI  - {volume}\nPG  - {first_page}-9\n\n",
                        s.year
                    );
                }
            }
        }
        if format == "json" {
            text.push_str("\n]\n");
        }
        write(root, &format!("citations/sources-{f:04}.{format}"), &text);
        if format != "yaml" {
            let annotations: String = chunk
                .iter()
                .map(|s| {
                    format!(
                        "- {{id: {}, design: {}, sample_size: {}}}\n",
                        s.id, DESIGNS[s.design].0, s.n
                    )
                })
                .collect();
            write(
                root,
                &format!("citations/evidence-{f:04}.yaml"),
                &annotations,
            );
        }
    }
    // Claims.
    for i in 0..n {
        let id = format!("claim-{i:06}");
        let cited: Vec<&Source> = (0..1 + rng.below(4))
            .map(|_| &sources[rng.below(source_count as u64) as usize])
            .collect();
        let first = cited[0];
        let a = 1 + rng.below(first.n.saturating_sub(1).max(1));
        let pct = a * 100 / first.n;
        let outcome = rng.pick(OUTCOMES);
        let group = rng.pick(GROUPS);
        let mut text = format!(
            "statement: In a study of {} {group}, {pct}% {outcome}.\nkind: finding\naudiences:\n  patient: In one study, about {pct}% of mothers {outcome}.\n  clinician: \"n={}; {a}/{} ({pct}%) {outcome}.\"\ncertainty: {}\ncertainty_reason: Graded from the design of the cited studies.\nsources:\n",
            first.n, first.n, first.n, DESIGNS[first.design].1
        );
        let mut seen = Vec::new();
        for (k, s) in cited.iter().enumerate() {
            if seen.contains(&s.id) {
                continue;
            }
            seen.push(s.id.clone());
            let quote = if k == 0 {
                format!("Of {} participants, {a} ({pct} per cent) {outcome}.", s.n)
            } else {
                format!("Findings on {} were consistent.", rng.pick(WORDS))
            };
            let _ = write!(
                text,
                "  - id: {}\n    locator: abstract\n    quote: \"{quote}\"\n    relation: {}\n",
                s.id,
                if k == 0 { "supports" } else { "qualifies" }
            );
        }
        let _ = writeln!(text, "tags: [{}]", rng.pick(WORDS));
        let state = rng.below(10);
        let review = match state {
            0..=2 => "review:\n  status: draft\n".to_string(),
            3 => "review:\n  status: submitted\n  history:\n    - {date: 2026-03-02, by: author, action: submit}\n".to_string(),
            4..=5 => "review:\n  status: in-review\n  history:\n    - {date: 2026-03-02, by: author, action: submit}\n    - {date: 2026-04-10, by: reviewer, action: start}\n".to_string(),
            6 => "review:\n  status: changes-requested\n  history:\n    - {date: 2026-03-02, by: author, action: submit}\n    - {date: 2026-04-10, by: reviewer, action: start}\n    - {date: 2026-04-12, by: reviewer, action: request-changes, note: Quote the table.}\n".to_string(),
            // Approved; `sign_approvals` later writes the real fingerprint into all but one in
            // ten, which stay stale: shown as changed since approval, as edits after approval are.
            _ => format!("review:\n  status: approved\n  history:\n    - {{date: 2026-03-02, by: author, action: submit}}\n    - {{date: 2026-04-10, by: reviewer, action: start}}\n    - {{date: 2026-05-01, by: reviewer, action: approve, fingerprint: \"{}\"}}\n  next_review: 2027-05-01\n", if rng.below(10) == 0 { STALE } else { UNSIGNED }),
        };
        text.push_str(&review);
        write(
            root,
            &format!("content/claims/{:03}/{id}.yaml", i / 1000),
            &text,
        );
    }
    // Topics: N/10 pages, 10–30 embeds each, with prose citations.
    for t in 0..(n / 10).max(1) {
        let mut body = String::new();
        let _ = write!(
            body,
            "---\ntitle: Topic {t}\nquestion: What is known about {} and {} ({t})?\nsummary: A synthetic topic page.\nreview:\n  status: in-review\n  history:\n    - {{date: 2026-02-01, by: author, action: submit}}\n    - {{date: 2026-02-10, by: reviewer, action: start}}\n---\n\n",
            rng.pick(WORDS),
            rng.pick(WORDS)
        );
        let _ = write!(
            body,
            "Background reading [@{}] and [@{}, p. 3].\n\n",
            sources[rng.below(source_count as u64) as usize].id,
            sources[rng.below(source_count as u64) as usize].id
        );
        let embeds = 10 + rng.below(21);
        for e in 0..embeds {
            if e % 8 == 0 {
                let _ = write!(body, "\n## Section {}\n\n", e / 8 + 1);
            }
            let _ = writeln!(body, "- [[claim-{:06}]]", rng.below(n as u64));
        }
        write(root, &format!("content/topics/topic-{t:05}.md"), &body);
    }
}

const STALE: &str = "v1:0000";
const UNSIGNED: &str = "v1:unsigned";

/// Approvals carry the fingerprint of what was approved; computing it needs the loaded site,
/// so the generator loads what it wrote and fills them in.
fn sign_approvals(root: &Path) {
    let project = evident::project::Project::new(root);
    let today = jiff::civil::date(2026, 11, 29);
    let kb = evident::check(&project, today).expect("load the generated site");
    for resolved in kb.claims.values() {
        let path = root.join(&resolved.claim.path);
        let text = std::fs::read_to_string(&path).expect("read claim");
        if text.contains(UNSIGNED) {
            let signed = text.replace(UNSIGNED, &resolved.fingerprint);
            std::fs::write(&path, signed).expect("write claim");
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    std::fs::write(&path, text).expect("write file");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn site(claims: usize, seed: u64) -> BTreeMap<String, Vec<u8>> {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        generate(&root, claims, seed);
        sign_approvals(&root);
        walkdir::WalkDir::new(&root)
            .into_iter()
            .map(|e| e.expect("walk"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&root).expect("inside");
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect()
    }

    #[test]
    fn the_same_seed_writes_the_same_site_and_another_seed_another() {
        let first = site(200, 7);
        assert!(first.len() > 200, "{} files", first.len());
        assert_eq!(first, site(200, 7));
        assert_ne!(first, site(200, 8));
    }
}
