//! RIS (`TY  - JOUR` … `ER  - `), as exported by Zotero, EndNote, Mendeley and databases.
//!
//! A small line parser of our own rather than a crate (the tagged-line reader it shares with
//! MEDLINE, [`super::tagged`]), so a problem is reported at its exact line. Lines are
//! `TAG  - value` with a two-character tag; a line that is not a tag line continues the
//! previous field (exports wrap long abstracts). A record runs from `TY` to `ER`; a missing
//! `ER` ends the record at the next `TY` or at the end of the file.

use crate::diag::{Code, Diagnostic, Diagnostics, Location};

use super::SourceRecord;
use super::design;
use super::item::{self, ItemBuilder, line_pos};
use super::tagged::{self, Boundaries, Record, Shape, Stray};

/// RIS lines: two-character tags, records from `TY` to `ER`, any other line a continuation.
const RIS: Shape = Shape {
    field: tag_line,
    continues: |_| true,
    boundaries: Boundaries::Tags {
        open: "TY",
        close: "ER",
    },
};

/// Reads every record of a RIS file.
pub fn read_ris(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    let (records, strays) = tagged::read(text, &RIS);
    for stray in strays {
        diagnostics.push(match stray {
            Stray::FieldOutsideRecord { line, tag } => Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, count(line), 1),
                format!("RIS field `{tag}` outside a record"),
            )
            .width(2)
            .hint("every RIS record starts with a `TY  - ` line (e.g. `TY  - JOUR`) and ends with `ER  - `"),
            // Every line continues a field in RIS, so a stray one is simply not RIS.
            Stray::Continuation { line, text } | Stray::NotAField { line, text } => Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, count(line), 1),
                "not a RIS line: expected `TAG  - value` (two capitals or a capital and a digit, two spaces, a hyphen)",
            )
            .width(text.chars().count())
            .hint("export the references again as RIS, or move this file out of citations/ if it is not a RIS export"),
        });
    }
    records
        .into_iter()
        .map(|r| to_record(r, path, diagnostics))
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `TY  - JOUR` → ("TY", "JOUR"). Exporters differ in the spaces around the hyphen, so any
/// run of spaces before it and one optional space after it are accepted.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if bytes.len() < 3
        || !bytes[0].is_ascii_uppercase()
        || !(bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
    {
        return None;
    }
    let rest = &line[2..];
    let after_spaces = rest.trim_start_matches(' ');
    if after_spaces.len() == rest.len() {
        return None;
    }
    let value = after_spaces.strip_prefix('-')?;
    let value = value.strip_prefix(' ').unwrap_or(value);
    Some((&line[..2], value.trim_end()))
}

fn csl_type(ris: &str) -> &'static str {
    match ris.trim() {
        "JOUR" | "JFULL" | "EJOUR" | "ABST" | "INPR" => "article-journal",
        "MGZN" => "article-magazine",
        "NEWS" => "article-newspaper",
        "BOOK" | "EBOOK" | "EDBOOK" => "book",
        "CHAP" | "ECHAP" => "chapter",
        "RPRT" | "GOVDOC" => "report",
        "THES" => "thesis",
        "CONF" | "CPAPER" => "paper-conference",
        "ELEC" | "WEB" | "BLOG" => "webpage",
        "DATA" | "DBASE" | "AGGR" => "dataset",
        "STAT" | "LEGAL" => "legislation",
        "PAT" => "patent",
        "UNPB" | "MANSCPT" => "manuscript",
        _ => "document",
    }
}

fn to_record(record: Record, path: &str, diagnostics: &mut Diagnostics) -> SourceRecord {
    for f in record
        .fields
        .iter()
        .filter(|f| matches!(f.tag.as_str(), "PY" | "Y1" | "DA"))
    {
        if let Some(problem) = item::read_date(&f.value).problem {
            diagnostics.push(item::impossible_date_warning(
                Location::new(path, count(f.line), count(f.column)),
                &f.tag,
                &problem,
                f.value.chars().count(),
            ));
        }
    }
    let mut b = ItemBuilder::new();
    let get = |tags: &[&str]| -> Option<&str> {
        tags.iter().find_map(|tag| {
            record
                .fields
                .iter()
                .find(|f| f.tag == *tag && !f.value.trim().is_empty())
                .map(|f| f.value.as_str())
        })
    };
    let all = |tag: &'static str| record.fields.iter().filter(move |f| f.tag == tag);
    let kind = csl_type(get(&["TY"]).unwrap_or(""));
    b.text("type", kind);
    b.text("title", get(&["TI", "T1", "CT"]).unwrap_or(""));
    if kind == "book" {
        // Zotero: a book's BT is its title (a chapter's, its book).
        b.text("title", get(&["BT"]).unwrap_or(""));
    }
    // Journal names: T2/JF are full titles in most exports, J2/JA the abbreviations (EndNote
    // puts the abbreviation in J2, Zotero in J2 and JA). JO is the abbreviation when a full
    // title is there too (Zotero reads it so); alone it is the only name the record has
    // ("Jpn. Dent. Sci. Rev.", or "Frontiers in oral health"), so the container's title.
    let container = if kind == "article-journal" {
        get(&["T2", "JF", "BT"])
    } else {
        get(&["T2", "BT", "JF"])
    };
    match container {
        Some(full) => {
            b.text("container-title", full);
            b.text(
                "container-title-short",
                get(&["J2", "JA", "JO"]).unwrap_or(""),
            );
        }
        None => {
            b.text("container-title", get(&["JO"]).unwrap_or(""));
            b.text("container-title-short", get(&["J2", "JA"]).unwrap_or(""));
        }
    }
    b.text("collection-title", get(&["T3"]).unwrap_or(""));
    for tag in ["AU", "A1"] {
        for f in all(tag) {
            if let Some(name) = item::name_with_comma(&f.value) {
                b.name("author", name);
            }
        }
    }
    // Editors as Zotero reads them: ED always; A2 the editor, except of a book, where it is
    // the series' editor; A3 a book's editor, else the series' editor.
    for (tag, role) in [
        ("ED", "editor"),
        (
            "A2",
            if kind == "book" {
                "collection-editor"
            } else {
                "editor"
            },
        ),
        (
            "A3",
            if kind == "book" {
                "editor"
            } else {
                "collection-editor"
            },
        ),
    ] {
        for f in all(tag) {
            if let Some(name) = item::name_with_comma(&f.value) {
                b.name(role, name);
            }
        }
    }
    if let Some(date) = ["PY", "Y1", "DA"]
        .iter()
        .filter_map(|t| get(&[t]))
        .find_map(item::parse_date)
    {
        // PY often holds only the year while Y1 or DA (`2019/2//`) has the month and day:
        // the fullest date of the same year is kept.
        let fuller = ["Y1", "DA"]
            .iter()
            .filter_map(|t| get(&[t]).and_then(item::parse_date))
            .filter(|d| d.year == date.year && d.month.is_some())
            .filter(|d| date.month.is_none() || d.month == date.month)
            .max_by_key(|d| d.day.is_some());
        b.issued(match fuller {
            Some(fuller) if date.month.is_none() || date.day.is_none() => fuller,
            _ => date,
        });
    }
    b.text("volume", get(&["VL"]).unwrap_or(""));
    b.text("issue", get(&["IS"]).unwrap_or(""));
    match (get(&["SP"]), get(&["EP"])) {
        (Some(sp), Some(ep)) if !sp.contains('-') => {
            b.text(
                "page",
                &item::expand_pages(&format!("{}-{}", sp.trim(), ep.trim())),
            );
        }
        // A whole book's or thesis's SP is its number of pages (RIS, and Zotero's reading).
        (Some(sp), None) if matches!(kind, "book" | "thesis") => {
            b.text("number-of-pages", sp);
        }
        (Some(sp), _) => b.text("page", &item::expand_pages(sp)),
        _ => {}
    }
    // The article number (Scopus writes C7 for online-only journals, without pages):
    // kept as CSL's number, and as the location when the record has no pages, as PubMed
    // cites such articles ("2022;12:861324").
    if let Some(article) = get(&["C7"]).filter(|_| kind == "article-journal") {
        b.text("number", article);
        b.text("page", article);
    }
    b.text("publisher", get(&["PB"]).unwrap_or(""));
    b.text("publisher-place", get(&["CY", "PP"]).unwrap_or(""));
    b.text("edition", get(&["ET"]).unwrap_or(""));
    b.text("URL", get(&["UR", "L2"]).unwrap_or(""));
    // M3, the type of work: a report's or thesis's genre (Zotero's reading); other records
    // carry anything there (Scopus "Article", Taylor & Francis a DOI).
    let work_type = get(&["M3"]);
    if matches!(kind, "report" | "thesis" | "manuscript" | "webpage") {
        b.text("genre", work_type.unwrap_or(""));
    }
    b.text("abstract", get(&["AB", "N2"]).unwrap_or(""));
    b.text("language", get(&["LA"]).unwrap_or(""));
    if matches!(kind, "report" | "document") {
        b.text("number", get(&["M1"]).unwrap_or(""));
    }
    if let Some(sn) = get(&["SN"]) {
        let key = match kind {
            "book" | "chapter" => "ISBN",
            // Zotero reads a report's SN as its number; EndNote writes its ISBN there.
            "report" if !item::is_issn_or_isbn(sn) => "number",
            "report" => "ISBN",
            _ => "ISSN",
        };
        b.text(key, sn);
    }
    let keywords: Vec<&str> = all("KW").map(|f| f.value.trim()).collect();
    if !keywords.is_empty() {
        b.text("keyword", &keywords.join(", "));
    }
    for f in all("DO") {
        b.doi(&f.value);
    }
    // The accession number is a PMID only when the record says it comes from PubMed, or
    // names no database and AN is PMID-sized (up to 8 digits): Web of Science, Embase,
    // CINAHL and Scopus numbers live in the same field but are prefixed or longer.
    let database = get(&["DB", "DP"]).unwrap_or("").to_ascii_lowercase();
    let from_pubmed = ["pubmed", "medline", "nlm"]
        .iter()
        .any(|d| database.contains(d));
    if let Some(an) = get(&["AN"]) {
        let an = an.trim();
        let pmid_sized = an.len() <= 8 && an.bytes().all(|b| b.is_ascii_digit());
        if from_pubmed || an.starts_with("PMID") || (database.is_empty() && pmid_sized) {
            b.pmid(an);
        }
    }
    // Links to PubMed, PubMed Central and DOI resolvers name their identifier for sure.
    for f in all("UR").chain(all("L2")) {
        if let Some(pmid) = item::pmid_from_url(&f.value) {
            b.pmid(&pmid);
        }
        if let Some(pmcid) = item::pmcid_from_url(&f.value) {
            b.pmcid(&pmcid);
        }
        if let Some(doi) = item::doi_from_url(&f.value) {
            b.doi(&doi);
        }
    }
    // Custom fields and notes: EndNote's PubMed import puts the PMCID in C2, Zotero writes
    // "PMID: …"/"PMCID: …" lines into notes, PubMed-derived exports `35548170[pmid]`, and
    // EndNote a bare DOI. Only values that are unmistakably one are used.
    for f in record
        .fields
        .iter()
        .filter(|f| (f.tag.starts_with('C') && f.tag != "C7") || f.tag == "N1" || f.tag == "M2")
    {
        for part in f.value.split(['\n', ';']) {
            let part = part.trim();
            if let Some((kind, value)) = item::bracketed_identifier(part) {
                match kind.as_str() {
                    "pmid" => b.pmid(value),
                    "pmc" | "pmcid" => b.pmcid(value),
                    "doi" => b.doi(value),
                    _ => {}
                }
            } else if part.starts_with("PMCID")
                || (part.starts_with("PMC") && item::clean_pmcid(part).is_some())
            {
                b.pmcid(part);
            } else if part.starts_with("PMID") {
                b.pmid(part);
            } else if part.to_ascii_lowercase().starts_with("doi:")
                || (part.starts_with("10.") && !part.contains(' '))
            {
                b.doi(part);
            }
        }
    }
    let id = match get(&["ID"]) {
        Some(id) => id.trim().to_string(),
        None => match b.get_str("PMID") {
            Some(pmid) => format!("pmid{pmid}"),
            None => b.fallback_id(),
        },
    };
    let mut source = b.finish(id, path, line_pos(record.line, record.offset));
    // EndNote writes PubMed's publication types into M3, separated by semicolons.
    source.evidence.design =
        design::design_from_types(work_type.into_iter().flat_map(|t| t.split(';')));
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<SourceRecord>, Vec<Diagnostic>) {
        let mut d = Diagnostics::new();
        let r = read_ris(text, "citations/a.ris", &mut d);
        (r, d.sorted())
    }

    #[test]
    fn reads_a_zotero_record() {
        let (r, d) = read(
            "\u{feff}TY  - JOUR\r\nTI  - Relactation: an effective intervention\r\n  to promote exclusive breastfeeding\r\nAU  - Seema\r\nAU  - Patwari, A. K.\r\nT2  - Journal of Tropical Pediatrics\r\nJ2  - J Trop Pediatr\r\nPY  - 1997\r\nDA  - 1997/08//\r\nVL  - 43\r\nIS  - 4\r\nSP  - 213\r\nEP  - 216\r\nDO  - 10.1093/tropej/43.4.213\r\nAN  - 9283123\r\nDB  - PubMed\r\nER  - \r\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = &r[0].csl;
        assert_eq!(r[0].id, "pmid9283123");
        assert_eq!(
            c["title"],
            "Relactation: an effective intervention to promote exclusive breastfeeding"
        );
        assert_eq!(c["author"][0], serde_json::json!({"family": "Seema"}));
        assert_eq!(c["author"][1]["given"], "A. K.");
        assert_eq!(c["issued"]["date-parts"][0], serde_json::json!([1997, 8]));
        assert_eq!(c["page"], "213-216");
        assert_eq!(c["DOI"], "10.1093/tropej/43.4.213");
    }

    #[test]
    fn ids_from_id_then_fallback() {
        let (r, d) = read(
            "TY  - RPRT\nID  - who1998\nAU  - World Health Organization\nTI  - X\nER  - \n\nTY  - JOUR\nAU  - Ó Briain, Seán\nPY  - 2001\nTI  - The 2nd study\nAN  - WOS:0001\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r[0].id, "who1998");
        assert_eq!(
            r[0].csl["author"][0],
            serde_json::json!({"literal": "World Health Organization"})
        );
        assert_eq!(r[1].id, "obriain-2001-the");
        assert!(r[1].csl.get("PMID").is_none());
        assert_eq!(r[1].pos.line, 7);
    }

    #[test]
    fn stray_lines_are_errors_at_their_line() {
        let (r, d) = read("hello\nAU  - X\nTY  - JOUR\nTI  - T\n");
        assert_eq!(r.len(), 1);
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            at,
            vec![(Code::MalformedSource, 1, 1), (Code::MalformedSource, 2, 1)]
        );
    }

    /// Scopus: article numbers in C7 and no pages; the record kept as written otherwise.
    #[test]
    fn scopus_article_numbers() {
        let (r, d) = read(
            "TY  - JOUR\nAU  - Lund, K.\nTI  - Moss on north-facing roofs\nPY  - 2022\nT2  - Frontiers in Roofing\nVL  - 12\nC7  - 861324\nDO  - 10.5555/roof.2022.861324\nUR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&doi=10.5555%2froof&md5=0\nM3  - Review\nDB  - Scopus\nER  -\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = &r[0].csl;
        assert_eq!(c["number"], "861324");
        assert_eq!(c["page"], "861324");
        // Scopus's "Review" is a document type, not a systematic review.
        assert_eq!(r[0].evidence.design, None);
        assert!(c.get("genre").is_none());
    }

    /// PubMed identifiers wherever exports write them: a PubMed link, `N1 - …[pmid]`, an
    /// accession number without a database; JO alone is the journal's only name.
    #[test]
    fn identifiers_in_links_and_notes() {
        let (r, d) = read(
            "TY  - JOUR\nPY  - 2022\nDA  - 2022/4/25\nTI  - Tea terraces after rain\nJO  - Jpn. Tea Sci. Rev.\nSP  - 874332\nEP  - 874332\nUR  - https://pubmed.ncbi.nlm.nih.gov/35500001\nN1  - 35500001[pmid]\nID  - Tanaka2022\nER  - \nTY  - JOUR\nTI  - Gravel paths\nAN  - 1234567\nUR  - http://dx.doi.org/10.5555/gravel\nN1  - PMC7654321[pmc]\nER  - \nTY - JOUR\nTI - Hedges\nAN - WOS:000123\nN1 - 10.5555/hedges.1\nER -\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = &r[0].csl;
        assert_eq!(c["PMID"], "35500001");
        assert_eq!(c["container-title"], "Jpn. Tea Sci. Rev.");
        assert!(c.get("container-title-short").is_none());
        assert_eq!(c["page"], "874332");
        assert_eq!(
            c["issued"]["date-parts"][0],
            serde_json::json!([2022, 4, 25])
        );
        let c = &r[1].csl;
        assert_eq!(
            (c["PMID"].as_str(), r[1].id.as_str()),
            (Some("1234567"), "pmid1234567")
        );
        assert_eq!(c["DOI"], "10.5555/gravel");
        assert_eq!(c["PMCID"], "PMC7654321");
        let c = &r[2].csl;
        assert!(c.get("PMID").is_none());
        assert_eq!(c["DOI"], "10.5555/hedges.1");
    }

    /// Chapters, books and reports: containers, editors by role, numbers and page counts.
    #[test]
    fn chapters_books_and_reports() {
        let (r, d) = read(
            "TY  - CHAP\nTI  - Cable stays\nAU  - Ngata, Rangi\nA2  - Ferreira, Paula\nA3  - Stone, Ivo\nT2  - Bridges of the North\nPY  - 2015\nDA  - 2015/2//\nSP  - 40\nEP  - 55\nER  - \nTY  - BOOK\nTI  - Footbridges\nA2  - Series, Ed\nA3  - Volume, Ed\nSP  - 320\nPY  - 2011\nER  - \nTY  - RPRT\nTI  - Annual shed survey\nAU  - Garden Sheds Council\nSN  - GSC/2019/4\nM3  - Technical Report\nPY  - 2019\nER  - \n",
        );
        assert!(d.is_empty(), "{d:?}");
        let chapter = &r[0].csl;
        assert_eq!(chapter["type"], "chapter");
        assert_eq!(chapter["container-title"], "Bridges of the North");
        assert_eq!(chapter["editor"][0]["family"], "Ferreira");
        assert_eq!(chapter["collection-editor"][0]["family"], "Stone");
        assert_eq!(chapter["page"], "40-55");
        assert_eq!(
            chapter["issued"]["date-parts"][0],
            serde_json::json!([2015, 2])
        );
        // Taylor & Francis: PY the year, Y1 and DA the day.
        let (kiln, _) = read("TY  - JOUR\nTI  - Kilns\nY1  - 2014/06/01\nPY  - 2014\nER  - \n");
        assert_eq!(
            kiln[0].csl["issued"]["date-parts"][0],
            serde_json::json!([2014, 6, 1])
        );
        let book = &r[1].csl;
        assert_eq!(book["editor"][0]["family"], "Volume");
        assert_eq!(book["collection-editor"][0]["family"], "Series");
        assert_eq!(book["number-of-pages"], "320");
        assert!(book.get("page").is_none());
        let report = &r[2].csl;
        assert_eq!(report["number"], "GSC/2019/4");
        assert_eq!(report["genre"], "Technical Report");
        assert_eq!(report["author"][0]["literal"], "Garden Sheds Council");
    }

    /// Impossible dates are warned at their line; the possible part is kept.
    #[test]
    fn impossible_dates_are_warnings_at_their_field() {
        let (r, d) = read(
            "TY  - JOUR\nTI  - Teacups\nPY  - 2019/13/01\nER  - \nTY  - JOUR\nTI  - Saucers\nDA  - 2019/02/30\nPY  - 99999\nER  - \n",
        );
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            at,
            vec![
                (Code::ImpossibleDate, 3, 7),
                (Code::ImpossibleDate, 7, 7),
                (Code::ImpossibleDate, 8, 7)
            ],
            "{d:?}"
        );
        assert!(d[0].message.contains("month 13"), "{}", d[0].message);
        assert_eq!(
            r[0].csl["issued"]["date-parts"][0],
            serde_json::json!([2019])
        );
        assert_eq!(
            r[1].csl["issued"]["date-parts"][0],
            serde_json::json!([2019, 2])
        );
    }

    /// EndNote writes PubMed's publication types into M3.
    #[test]
    fn designs_from_the_type_of_work() {
        let (r, _) = read(
            "TY  - JOUR\nTI  - Kettle descaling\nM3  - Journal Article; Randomized Controlled Trial\nER  - \nTY  - JOUR\nTI  - Teapots\nM3  - doi: 10.5555/teapots\nER  - \n",
        );
        assert_eq!(r[0].evidence.design.as_deref(), Some("rct"));
        assert_eq!(r[1].evidence.design, None);
    }
}
