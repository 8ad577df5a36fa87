//! PubMed / MEDLINE exports (`.nbib`, PubMed's "Citation manager" download).
//!
//! A small line parser of our own (the tagged-line reader it shares with RIS,
//! [`super::tagged`]) so problems are reported at their exact line. A field is
//! `TAG - value` with the tag left-justified in four columns (`PMID- `, `TI  - `, `FAU - `);
//! continuation lines are indented six spaces and join the value with one space. Records are
//! separated by blank lines and need not end with anything.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};

use super::SourceRecord;
use super::design;
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
    // A record without a PMID (ERIC's exports, which write MEDLINE without them) is read
    // all the same, under the fallback id of records whose export gives none.
    records
        .iter()
        .map(|r| to_record(r, path, diagnostics))
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `FAU - Patwari, A K` → ("FAU", "Patwari, A K"): a tag of capitals and digits in the first
/// four columns, then `- `. A four-letter tag may be followed by a space before the hyphen
/// (ERIC writes `ISSN - EISSN-…`).
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
    let rest = &line[4..];
    let rest = if tag.len() == 4 {
        rest.strip_prefix(' ').unwrap_or(rest)
    } else {
        rest
    };
    let value = rest.strip_prefix('-')?;
    Some((tag, value.strip_prefix(' ').unwrap_or(value).trim_end()))
}

/// The CSL type from the publication types, as Zotero's MEDLINE reader decides it: a type
/// that names a kind of item wins; a "Report" among them (ERIC's "Reports - Research") makes
/// a report only when nothing else says what the item is and ERIC does not file it as a
/// journal article (`OID - EJ…`).
fn csl_type(
    types: &[&str],
    has_book_title: bool,
    has_title: bool,
    eric_journal: bool,
) -> &'static str {
    if has_book_title {
        return if has_title { "chapter" } else { "book" };
    }
    for kind in types {
        let named = match kind.trim() {
            "Book" | "Books" => "book",
            "Book Chapter" => "chapter",
            "Journal Article" | "Journal Articles" | "Case Reports" | "Case Report" => {
                "article-journal"
            }
            "Newspaper Article" => "article-newspaper",
            "Technical Report" => "report",
            "Preprint" => "article",
            "Legislation" => "legislation",
            other if other.contains("Dissertation") => "thesis",
            _ => continue,
        };
        return named;
    }
    if !eric_journal && types.iter().any(|t| t.contains("Report")) {
        return "report";
    }
    "article-journal"
}

fn to_record(record: &Record, path: &str, diagnostics: &mut Diagnostics) -> SourceRecord {
    if let Some(dp) = record
        .fields
        .iter()
        .find(|f| f.tag == "DP" && !f.value.trim().is_empty())
        && let Some(problem) = item::read_date(&dp.value).problem
    {
        diagnostics.push(item::impossible_date_warning(
            Location::new(path, count(dp.line), count(dp.column)),
            "DP",
            &problem,
            dp.value.chars().count(),
        ));
    }
    let mut b = ItemBuilder::new();
    let get = |tag: &str| {
        record
            .fields
            .iter()
            .find(|f| f.tag == tag && !f.value.trim().is_empty())
            .map(|f| f.value.as_str())
    };
    let all = |tag: &'static str| record.fields.iter().filter(move |f| f.tag == tag);
    let types: Vec<&str> = all("PT").map(|f| f.value.as_str()).collect();
    let eric_journal = get("OID").is_some_and(|o| o.trim().starts_with("EJ"));
    let book_title = get("BTI");
    let kind = csl_type(
        &types,
        book_title.is_some(),
        get("TI").is_some(),
        eric_journal,
    );
    b.text("type", kind);
    // MEDLINE ends titles with a period that is not part of the title (and brackets titles
    // translated into English); CSL keeps the title itself.
    let title = get("TI").or(book_title).unwrap_or("");
    let title = title.strip_suffix('.').unwrap_or(title);
    b.text("title", title);
    // A chapter's book (BTI), else the collection it belongs to (CTI); a book's collection.
    if kind == "chapter" {
        b.text("container-title", book_title.or(get("CTI")).unwrap_or(""));
    }
    b.text("collection-title", get("CTI").unwrap_or(""));
    if matches!(kind, "report" | "book") {
        // Zotero's reading: what MEDLINE calls the journal is a report's institution.
        b.text("publisher", get("PB").or(get("JT")).unwrap_or(""));
    } else {
        b.text("container-title", get("JT").unwrap_or(""));
        b.text("container-title-short", get("TA").unwrap_or(""));
    }
    // Full names (FAU, FED) when present, else the short forms (AU "Patwari AK", ED), which
    // are split at the last space (ERIC writes AU with a comma, "van Groen, Maaike M.");
    // collective names (CN) are organisations.
    for (role, full, short) in [("author", "FAU", "AU"), ("editor", "FED", "ED")] {
        let names: Vec<&Field> = all(full).collect();
        if names.is_empty() {
            for f in all(short) {
                if let Some(name) = item::initials_name(&f.value) {
                    b.name(role, name);
                }
            }
        } else {
            for f in names {
                if let Some(name) = item::name_with_comma(&f.value) {
                    b.name(role, name);
                }
            }
        }
        if role == "author" {
            for f in all("CN") {
                if !f.value.trim().is_empty() {
                    b.name("author", item::literal(&f.value));
                }
            }
        }
    }
    if let Some(date) =
        get("DP").and_then(|dp| item::parse_date(dp).or_else(|| item::year_among_words(dp)))
    {
        b.issued(date);
    }
    b.text("volume", get("VI").unwrap_or(""));
    b.text("issue", get("IP").unwrap_or(""));
    b.text("edition", get("EN").unwrap_or(""));
    if let Some(pages) = get("PG") {
        b.text("page", &item::expand_pages(pages));
    }
    // An article without pages (an online-only journal's) is located by its article number,
    // which PubMed gives as the location id `LID - 1042 [pii]`; Zotero uses it as the pages.
    // AID's [pii] is the publisher's internal id (`S0140-6736(…)`), not a location.
    for f in all("LID") {
        if let Some(("pii", pii)) = item::bracketed_identifier(&f.value)
            .as_ref()
            .map(|(k, v)| (k.as_str(), *v))
        {
            b.text("page", pii);
        }
    }
    b.text("publisher", get("PB").unwrap_or(""));
    b.text(
        "publisher-place",
        get("PL")
            .filter(|_| matches!(kind, "book" | "chapter" | "report"))
            .unwrap_or(""),
    );
    b.text("abstract", get("AB").unwrap_or(""));
    b.text("language", get("LA").unwrap_or(""));
    // "0142-6338 (Print)": the first ISSN, without its medium; ERIC writes `EISSN-…`.
    for tag in ["IS", "ISSN"] {
        if let Some(issn) = get(tag) {
            let issn = issn.split(" (").next().unwrap_or(issn).trim();
            let issn = issn
                .strip_prefix("EISSN-")
                .or_else(|| issn.strip_prefix("ISSN-"))
                .unwrap_or(issn);
            b.text("ISSN", issn);
        }
    }
    if let Some(isbn) = get("ISBN") {
        b.text("ISBN", isbn.strip_prefix("ISBN-").unwrap_or(isbn));
    }
    for tag in ["AID", "LID"] {
        for f in all(tag) {
            let value = f.value.trim();
            if let Some(doi) = value.strip_suffix("[doi]") {
                b.doi(doi);
            } else if let Some(doi) = item::doi_from_url(value) {
                b.doi(&doi);
            }
        }
    }
    // ERIC's AID holds the publisher's link (LID is ERIC's own catalogue page).
    for f in all("AID") {
        let value = f.value.trim();
        if value.starts_with("http") && item::doi_from_url(value).is_none() {
            b.text("URL", value);
        }
    }
    let pmid = get("PMID").and_then(item::clean_pmid);
    if let Some(pmid) = &pmid {
        b.pmid(pmid);
    }
    if let Some(pmc) = get("PMC") {
        b.pmcid(pmc);
    }
    let id = match &pmid {
        Some(pmid) => format!("pmid{pmid}"),
        None => b.fallback_id(),
    };
    let mut source = b.finish(id, path, line_pos(record.line, record.offset));
    source.evidence.design = design::design_from_types(types.iter().copied());
    source
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

    /// An impossible `DP` is warned at its value; the possible part is kept.
    #[test]
    fn impossible_dates_are_warnings_at_their_field() {
        let mut d = Diagnostics::new();
        let text = "PMID- 1\nTI  - Teapots.\nDP  - 2019 Feb 30\n\nPMID- 2\nTI  - Cups.\nDP  - 0\n";
        let r = read_nbib(text, "citations/a.nbib", &mut d);
        let d = d.sorted();
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            at,
            vec![(Code::ImpossibleDate, 3, 7), (Code::ImpossibleDate, 7, 7)],
            "{d:?}"
        );
        assert!(d[0].message.contains("February 2019 has no day 30"));
        assert_eq!(
            r[0].csl["issued"]["date-parts"][0],
            serde_json::json!([2019, 2])
        );
        assert!(r[1].csl.get("issued").is_none());
    }

    #[test]
    fn problems_at_their_lines() {
        let mut d = Diagnostics::new();
        let r = read_nbib(
            "      orphan\nPMID- 1\nTI  - T.\nthis is not medline\n\nTI  - No pmid\n",
            "a.nbib",
            &mut d,
        );
        // The record without a PMID is read, under the fallback id.
        assert_eq!(
            r.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            vec!["pmid1", "anon-nd-no"]
        );
        let at: Vec<_> = d.sorted().iter().map(|d| d.location.line).collect();
        assert_eq!(at, vec![1, 4]);
    }

    fn read_one(text: &str) -> SourceRecord {
        let mut d = Diagnostics::new();
        let mut r = read_nbib(text, "citations/a.nbib", &mut d);
        assert!(d.is_empty(), "{:?}", d.sorted());
        assert_eq!(r.len(), 1);
        r.remove(0)
    }

    /// ERIC's MEDLINE: no PMID, names with commas in AU, `ISSN - `, a date among words, the
    /// DOI as a link, "Journal Articles" and "Reports - Research" together.
    #[test]
    fn reads_an_eric_export() {
        let mut d = Diagnostics::new();
        let r = read_nbib(
            "\nOWN - ERIC\nTI  - Pruning Schedules for Espaliered Pears: A Comparison\nAU  - van Hoek, Marta J.\nAU  - Ortega, Luis\nJT  - Journal of Orchard Practice\nSO  - v9 Article 10 2019\nAID - http://dx.doi.org/10.5555/orchard.2019.10\nOID - EJ1000001\nVI  - 9\nDP  - Article 10 2019\nLID - http://eric.ed.gov/?id=EJ1000001\nISSN - EISSN-1234-5678\nPT  - Journal Articles\nPT  - Reports - Research\n\nOWN - ERIC\nTI  - Tea Blending at Scale. Research Report 2019-2\nAU  - Moore, Ada\nJT  - Tea Council, Inc.\nOID - ED1000002\nDP  - 2019\nPT  - Reports - Research\n",
            "citations/eric.nbib",
            &mut d,
        );
        assert!(d.is_empty(), "{:?}", d.sorted());
        let c = &r[0].csl;
        assert_eq!(r[0].id, "vanhoek-2019-pruning");
        assert_eq!(c["type"], "article-journal");
        assert_eq!(
            c["author"][0],
            serde_json::json!({"family": "van Hoek", "given": "Marta J."})
        );
        assert_eq!(c["issued"]["date-parts"][0], serde_json::json!([2019]));
        assert_eq!(c["DOI"], "10.5555/orchard.2019.10");
        assert_eq!(c["ISSN"], "1234-5678");
        assert_eq!(c["container-title"], "Journal of Orchard Practice");
        assert!(c.get("PMID").is_none());
        // An ERIC document (ED…) filed as a report: its "journal" is its institution.
        let c = &r[1].csl;
        assert_eq!(c["type"], "report");
        assert_eq!(c["publisher"], "Tea Council, Inc.");
        assert!(c.get("container-title").is_none());
    }

    /// A Bookshelf chapter: the book (BTI) is the container, FED/ED the editors.
    #[test]
    fn reads_a_bookshelf_chapter() {
        let r = read_one(
            "PMID- 20000001\nPB  - Garden Press (US)\nDP  - 2009 Mar 4\nTI  - Raised Beds\nBTI - Kitchen Gardens\nFED - Lindqvist, Anna B\nED  - Lindqvist AB\nED  - Okafor C\nFAU - Berg, Tomas\nAU  - Berg T\nPT  - Book Chapter\nPL  - Uppsala\nAID - NBK0001 [bookaccession]\n",
        );
        let c = &r.csl;
        assert_eq!(c["type"], "chapter");
        assert_eq!(c["title"], "Raised Beds");
        assert_eq!(c["container-title"], "Kitchen Gardens");
        // FED is there, so the short forms of ED are not read a second time.
        assert_eq!(
            c["editor"],
            serde_json::json!([{"family": "Lindqvist", "given": "Anna B"}])
        );
        assert_eq!(c["publisher-place"], "Uppsala");
        assert_eq!(
            c["issued"]["date-parts"][0],
            serde_json::json!([2009, 3, 4])
        );
        // Only editors in short form: split at the last space, as authors are.
        let r = read_one("PMID- 2\nTI  - Sheds\nBTI - Outbuildings\nED  - Okafor CN\n");
        assert_eq!(
            r.csl["editor"],
            serde_json::json!([{"family": "Okafor", "given": "CN"}])
        );
    }

    /// An online-only article: no PG, its article number in `LID - … [pii]`; a publisher's
    /// internal id in AID is not a location.
    #[test]
    fn article_numbers_from_the_pii_location() {
        let r = read_one(
            "PMID- 3\nTI  - Bridge Decks in Frost.\nDP  - 2021\nLID - 1042 [pii]\nLID - 10.5555/decks.1042 [doi]\nAID - 1042 [pii]\n",
        );
        assert_eq!(r.csl["page"], "1042");
        assert_eq!(r.csl["DOI"], "10.5555/decks.1042");
        let r = read_one("PMID- 4\nTI  - Arches.\nPG  - 12-9\nLID - e12 [pii]\n");
        assert_eq!(r.csl["page"], "12-19");
        let r = read_one("PMID- 5\nTI  - Piers.\nAID - S0000-0000(22)00001-1 [pii]\n");
        assert!(r.csl.get("page").is_none());
    }

    #[test]
    fn designs_from_publication_types() {
        let design = |types: &str| {
            read_one(&format!("PMID- 6\nTI  - Tea.\n{types}"))
                .evidence
                .design
        };
        assert_eq!(
            design("PT  - Journal Article\nPT  - Randomized Controlled Trial\nPT  - Clinical Trial, Phase III\n").as_deref(),
            Some("rct")
        );
        assert_eq!(
            design("PT  - Systematic Review\nPT  - Meta-Analysis\n").as_deref(),
            Some("meta-analysis")
        );
        assert_eq!(design("PT  - Journal Article\nPT  - Review\n"), None);
        assert_eq!(design("PT  - Observational Study\n"), None);
    }
}
