//! The relactation sources in every format editors have them (fixtures/), read into the same
//! records; biblib as an independent oracle for RIS and PubMed. Fixtures live beside the code
//! (not under tests/) so these stay unit tests.

use serde_json::Value;

use super::*;
use crate::diag::Diagnostics;

const JSON: &str = include_str!("fixtures/relactation.json");
const YAML: &str = include_str!("fixtures/relactation.yaml");
const BIB: &str = include_str!("fixtures/relactation.bib");
const RIS: &str = include_str!("fixtures/relactation.ris");
const NBIB: &str = include_str!("fixtures/relactation.nbib");

fn read(extension: &str, text: &str) -> Vec<SourceRecord> {
    let mut d = Diagnostics::new();
    let records = read_file(extension, text, &format!("citations/r.{extension}"), &mut d)
        .expect("a source format");
    assert!(d.is_empty(), "{extension}: {:?}", d.sorted());
    records
}

/// What every format can hold, normalised the way the formats differ harmlessly: given
/// names as initials (PubMed writes "A K" for "A. K."), journal names compared by their
/// abbreviation (PubMed's full titles are in sentence case).
#[derive(Debug, PartialEq)]
struct Core {
    id: String,
    kind: String,
    title: String,
    authors: Vec<String>,
    journal_short: Option<String>,
    year: Option<i64>,
    month: Option<i64>,
    volume: Option<String>,
    issue: Option<String>,
    page: Option<String>,
    doi: Option<String>,
    pmid: Option<String>,
    pmcid: Option<String>,
}

fn core(r: &SourceRecord) -> Core {
    let s = |k: &str| r.csl.get(k).and_then(Value::as_str).map(str::to_string);
    let authors = r
        .csl
        .get("author")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|n| {
                    if let Some(l) = n.get("literal").and_then(Value::as_str) {
                        return format!("literal:{l}");
                    }
                    let family = n.get("family").and_then(Value::as_str).unwrap_or("");
                    let initials: String = n
                        .get("given")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .split(|c: char| c.is_whitespace() || c == '.' || c == '-')
                        .filter_map(|p| p.chars().next())
                        .collect();
                    format!("{family} {initials}")
                })
                .collect()
        })
        .unwrap_or_default();
    let date = |i: usize| {
        r.csl
            .get("issued")
            .and_then(|d| d.pointer(&format!("/date-parts/0/{i}")))
            .and_then(Value::as_i64)
    };
    Core {
        id: r.id.clone(),
        kind: s("type").unwrap_or_default(),
        title: s("title").unwrap_or_default(),
        authors,
        journal_short: s("container-title-short"),
        year: date(0),
        month: date(1),
        volume: s("volume"),
        issue: s("issue"),
        page: s("page"),
        doi: s("DOI"),
        pmid: s("PMID"),
        pmcid: s("PMCID"),
    }
}

#[test]
fn five_formats_read_to_the_same_records() {
    let truth: Vec<Core> = read("json", JSON).iter().map(core).collect();
    assert_eq!(truth.len(), 8);
    let yaml: Vec<Core> = read("yaml", YAML).iter().map(core).collect();
    assert_eq!(yaml, truth, "CSL-YAML");
    let bib: Vec<Core> = read("bib", BIB).iter().map(core).collect();
    assert_eq!(bib, truth, "BibTeX");
    let ris: Vec<Core> = read("ris", RIS).iter().map(core).collect();
    assert_eq!(ris, truth, "RIS");
    // PubMed holds only the PubMed records; PMIDs are their ids.
    let nbib: Vec<Core> = read("nbib", NBIB).iter().map(core).collect();
    let pubmed: Vec<&Core> = truth.iter().filter(|c| c.pmid.is_some()).collect();
    assert_eq!(nbib.iter().collect::<Vec<_>>(), pubmed, "PubMed");
}

#[test]
fn exports_keep_full_container_titles_and_publishers() {
    let truth = read("json", JSON);
    for (label, records) in [("bib", read("bib", BIB)), ("ris", read("ris", RIS))] {
        for (a, b) in records.iter().zip(&truth) {
            for key in ["container-title", "publisher", "publisher-place", "number"] {
                assert_eq!(a.csl.get(key), b.csl.get(key), "{label} {} {key}", a.id);
            }
        }
    }
}

/// biblib is an independent reader of RIS and MEDLINE: where it and we both read a field,
/// we must agree.
#[test]
fn biblib_agrees_on_ris_and_pubmed() {
    use biblib::CitationParser;
    let ours = read("ris", RIS);
    let theirs = biblib::RisParser::new()
        .parse(RIS)
        .expect("biblib reads RIS");
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.csl["title"], b.title.as_str());
        assert_eq!(a.csl.get("DOI").and_then(Value::as_str), b.doi.as_deref());
        assert_eq!(
            a.csl.get("volume").and_then(Value::as_str),
            b.volume.as_deref()
        );
        let year = a.csl["issued"]["date-parts"][0][0].as_i64();
        assert_eq!(year, b.date.as_ref().map(|d| i64::from(d.year)));
    }
    let ours = read("nbib", NBIB);
    let theirs = biblib::PubMedParser::new()
        .parse(NBIB)
        .expect("biblib reads MEDLINE");
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.csl.get("PMID").and_then(Value::as_str), b.pmid.as_deref());
        assert_eq!(a.csl.get("DOI").and_then(Value::as_str), b.doi.as_deref());
        assert_eq!(
            a.csl.get("PMCID").and_then(Value::as_str),
            b.pmc_id.as_deref()
        );
        assert_eq!(
            a.csl
                .get("author")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            b.authors.len(),
            "{}",
            a.id
        );
        let title = b.title.trim_end_matches('.');
        assert_eq!(a.csl["title"], title);
    }
}

#[test]
fn a_broken_export_is_reported_at_its_line() {
    let broken = BIB.replacen("  volume = {65},\n", "  volume = {65,\n", 1);
    let line = BIB.lines().position(|l| l == "  volume = {65},").unwrap();
    let mut d = Diagnostics::new();
    assert!(read_bibtex(&broken, "citations/r.bib", &mut d).is_empty());
    let d = d.sorted();
    assert_eq!(d[0].code, crate::diag::Code::MalformedSource);
    // The brace opened on the volume line swallows the rest: the parser notices at the end.
    assert!(d[0].location.line as usize > line, "{d:?}");

    let broken = RIS.replacen("VL  - 65", "VL - 65", 1).replacen(
        "TY  - JOUR\r\nTI  - Relactation: a study",
        "Y  - JOUR\r\nTI  - Relactation: a study",
        1,
    );
    let line = RIS
        .lines()
        .position(|l| l.starts_with("TI  - Relactation: a study"))
        .unwrap();
    let mut d = Diagnostics::new();
    read_ris(&broken, "citations/r.ris", &mut d);
    let d = d.sorted();
    // "Y  - JOUR" is no tag: with no record open it is reported at its own line.
    assert_eq!(d[0].location.line as usize, line, "{d:?}");
}
