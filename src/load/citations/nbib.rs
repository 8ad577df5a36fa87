//! PubMed / MEDLINE exports (`.nbib`, PubMed's "Citation manager" download).
//!
//! A small line parser of our own (the tagged-line reader it shares with RIS,
//! [`super::tagged`]) so problems are reported at their exact line. A field is
//! `TAG - value` with the tag left-justified in four columns (`PMID- `, `TI  - `, `FAU - `);
//! continuation lines are indented six spaces and join the value with one space. Records are
//! separated by blank lines and need not end with anything.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};

use super::SourceRecord;
use super::item::{self, ItemBuilder, line_pos};
use super::tagged::{self, Boundaries, Field, Record, Shape, Stray};

/// MEDLINE lines: tags in four columns, indented continuations, records between blank lines.
const MEDLINE: Shape = Shape {
    field: tag_line,
    continues: |line| line.starts_with(' ') || line.starts_with('\t'),
    boundaries: Boundaries::BlankLines,
};

/// Reads every record of a MEDLINE file.
pub fn read_nbib(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    let (records, strays) = tagged::read(text, &MEDLINE);
    for stray in strays {
        diagnostics.push(match stray {
            Stray::Continuation { line, .. } => Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, count(line), 1),
                "indented line with no field to continue",
            )
            .hint("continuation lines follow a `TAG - value` line; a record starts with `PMID- `"),
            // MEDLINE opens a record at any field, so a field is never outside one.
            Stray::NotAField { line, text } | Stray::FieldOutsideRecord { line, tag: text } => Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, count(line), 1),
                "not a MEDLINE line: expected `TAG - value` with the tag in the first four columns (`PMID- 9283123`, `TI  - …`)",
            )
            .width(text.chars().count())
            .hint("download the records again from PubMed (Send to → Citation manager), or move this file out of citations/"),
        });
    }
    let mut out = Vec::new();
    for record in records {
        let pmid = record
            .fields
            .iter()
            .find(|f| f.tag == "PMID")
            .and_then(|f| item::clean_pmid(&f.value));
        match pmid {
            Some(pmid) => out.push(to_record(&record, &pmid, path)),
            None => diagnostics.push(
                Diagnostic::error(
                    Code::MalformedSource,
                    Location::new(path, count(record.line), 1),
                    "PubMed record without a PMID (its id would be `pmid<PMID>`)",
                )
                .hint("each record of a PubMed export starts with `PMID- ` and the number; export it again from PubMed"),
            ),
        }
    }
    out
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `FAU - Patwari, A K` → ("FAU", "Patwari, A K"): a tag of capitals and digits in the first
/// four columns, then `- `.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let head = line.get(..4)?;
    let tag = head.trim_end_matches(' ');
    if tag.is_empty()
        || !tag
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return None;
    }
    let value = line[4..].strip_prefix('-')?;
    Some((tag, value.strip_prefix(' ').unwrap_or(value).trim_end()))
}

fn to_record(record: &Record, pmid: &str, path: &str) -> SourceRecord {
    let mut b = ItemBuilder::new();
    let get = |tag: &str| {
        record
            .fields
            .iter()
            .find(|f| f.tag == tag && !f.value.trim().is_empty())
            .map(|f| f.value.as_str())
    };
    let all = |tag: &'static str| record.fields.iter().filter(move |f| f.tag == tag);
    let is_book = get("BTI").is_some();
    b.text(
        "type",
        match (is_book, get("TI")) {
            (true, Some(_)) => "chapter",
            (true, None) => "book",
            _ => "article-journal",
        },
    );
    // MEDLINE ends titles with a period that is not part of the title (and brackets titles
    // translated into English); CSL keeps the title itself.
    let title = get("TI").or_else(|| get("BTI")).unwrap_or("");
    let title = title.strip_suffix('.').unwrap_or(title);
    b.text("title", title);
    if is_book && get("TI").is_some() {
        b.text("container-title", get("BTI").unwrap_or(""));
    }
    b.text("container-title", get("JT").unwrap_or(""));
    b.text("container-title-short", get("TA").unwrap_or(""));
    // Full names (FAU) when present, else the initials form (AU "Patwari AK"), which has no
    // comma and is split at its last space; collective names (CN) are organisations.
    let full: Vec<&Field> = all("FAU").collect();
    if full.is_empty() {
        for f in all("AU") {
            let value = f.value.trim();
            match value.rsplit_once(' ') {
                Some((family, initials)) if initials.bytes().all(|c| c.is_ascii_uppercase()) => {
                    b.name("author", item::person(family, initials));
                }
                _ if !value.is_empty() => b.name("author", item::person(value, "")),
                _ => {}
            }
        }
    } else {
        for f in full {
            if let Some(name) = item::name_with_comma(&f.value) {
                b.name("author", name);
            }
        }
    }
    for f in all("CN") {
        if !f.value.trim().is_empty() {
            b.name("author", item::literal(&f.value));
        }
    }
    for f in all("FED") {
        if let Some(name) = item::name_with_comma(&f.value) {
            b.name("editor", name);
        }
    }
    if let Some(date) = get("DP").and_then(item::parse_date) {
        b.issued(date);
    }
    b.text("volume", get("VI").unwrap_or(""));
    b.text("issue", get("IP").unwrap_or(""));
    if let Some(pages) = get("PG") {
        b.text("page", &item::expand_pages(pages));
    }
    b.text("publisher", get("PB").unwrap_or(""));
    b.text(
        "publisher-place",
        get("PL").filter(|_| is_book).unwrap_or(""),
    );
    b.text("abstract", get("AB").unwrap_or(""));
    // "0142-6338 (Print)": the first ISSN, without its medium.
    if let Some(issn) = get("IS") {
        b.text("ISSN", issn.split(" (").next().unwrap_or(issn));
    }
    if let Some(isbn) = get("ISBN") {
        b.text("ISBN", isbn);
    }
    for tag in ["AID", "LID"] {
        for f in all(tag) {
            if let Some(doi) = f.value.trim().strip_suffix("[doi]") {
                b.doi(doi);
            }
        }
    }
    b.pmid(pmid);
    if let Some(pmc) = get("PMC") {
        b.pmcid(pmc);
    }
    b.finish(
        format!("pmid{pmid}"),
        path,
        line_pos(record.line, record.offset),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "PMID- 18507654\nOWN - NLM\nTI  - Dose-effect study of domperidone as a galactagogue in preterm mothers with\n      insufficient milk supply, and its transfer into milk.\nPG  - 283-9\nFAU - Wan, Elise W-X\nAU  - Wan EW\nFAU - Davey, Kaye\nAU  - Davey K\nCN  - Some Study Group\nTA  - Br J Clin Pharmacol\nJT  - British journal of clinical pharmacology\nDP  - 2008 Aug\nVI  - 66\nIP  - 2\nAID - BCP3207 [pii]\nAID - 10.1111/j.1365-2125.2008.03207.x [doi]\nPMC - PMC2492930\n";

    #[test]
    fn reads_a_record_with_continuations() {
        let mut d = Diagnostics::new();
        let text = format!(
            "{RECORD}\n\nPMID- 7354969\nTI  - Relactation: a study of 366 cases.\nDP  - 1980 Feb\n"
        );
        let r = read_nbib(&text, "citations/a.nbib", &mut d);
        assert!(d.is_empty());
        assert_eq!(r.len(), 2);
        let c = &r[0].csl;
        assert_eq!(r[0].id, "pmid18507654");
        assert_eq!(
            c["title"],
            "Dose-effect study of domperidone as a galactagogue in preterm mothers with insufficient milk supply, and its transfer into milk"
        );
        assert_eq!(c["page"], "283-289");
        assert_eq!(c["author"][0]["given"], "Elise W-X");
        assert_eq!(c["author"][2]["literal"], "Some Study Group");
        assert_eq!(c["DOI"], "10.1111/j.1365-2125.2008.03207.x");
        assert_eq!(c["PMCID"], "PMC2492930");
        assert_eq!(c["issued"]["date-parts"][0], serde_json::json!([2008, 8]));
        assert_eq!((r[1].id.as_str(), r[1].pos.line), ("pmid7354969", 21));
        assert!(r[1].csl.get("author").is_none());
    }

    #[test]
    fn problems_at_their_lines() {
        let mut d = Diagnostics::new();
        let r = read_nbib(
            "      orphan\nPMID- 1\nTI  - T.\nthis is not medline\n\nTI  - No pmid\n",
            "a.nbib",
            &mut d,
        );
        assert_eq!(r.len(), 1);
        let at: Vec<_> = d.sorted().iter().map(|d| d.location.line).collect();
        assert_eq!(at, vec![1, 4, 6]);
    }
}
