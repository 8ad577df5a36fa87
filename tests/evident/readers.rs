//! Source readers on large and hostile inputs: results only (how long they take is
//! `benches/readers.sh`'s business). Many records keep their exact positions, a plain CSL-YAML
//! file of thousands of records loads, a field of 100,000 nested braces is refused with a
//! diagnostic instead of overflowing the stack, impossible dates are warnings at their line,
//! and a 10 MB line is shown as a short excerpt.

use evident::diag::{Code, Diagnostic, Severity};

use crate::harness::{Site, diagnostics_text};

/// A minimal site with one file of sources.
fn site_with(rel: &str, text: &str) -> Site {
    let site = Site::fixture("minimal");
    site.write(rel, text);
    site
}

fn in_file<'a>(diagnostics: &'a [Diagnostic], path: &str) -> Vec<&'a Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.location.path == path)
        .collect()
}

#[test]
fn the_last_of_many_bibtex_entries_is_at_its_line() {
    let mut text = String::new();
    for i in 0..3_000 {
        text.push_str(&format!(
            "@article{{tea{i},\n  author = {{Leaf, Ada}},\n  title = {{Steeping tea {i}}},\n  journal = {{Journal of Tea Studies}},\n  year = {{2019}},\n}}\n\n"
        ));
    }
    // The last entry's year is impossible: its warning must name the entry's own line.
    text.push_str("@article{last,\n  title = {Cups},\n  year = {2019}, month = {13},\n}\n");
    let site = site_with("citations/many.bib", &text);
    let kb = site.check();
    let source = &kb
        .sources
        .get("last")
        .expect("the last entry is read")
        .source;
    assert_eq!((source.pos.line, source.pos.column), (3_000 * 7 + 1, 1));
    assert!(kb.sources.contains_key("tea2999"));
    let (diagnostics, _) = diagnostics_text(&kb);
    let dates: Vec<_> = in_file(&diagnostics, "citations/many.bib")
        .into_iter()
        .filter(|d| d.code == Code::ImpossibleDate)
        .map(|d| (d.severity, d.location.line, d.location.column))
        .collect();
    assert_eq!(dates, vec![(Severity::Warning, 3_000 * 7 + 3, 27)]);
}

#[test]
fn a_field_of_100000_nested_braces_is_refused_and_the_rest_read() {
    let depth = 100_000;
    let text = format!(
        "@article{{cups,\n  title = {{Cups}},\n  year = {{2020}},\n}}\n@article{{deep,\n  year = {{2019}},\n  title = {{{}tea{}}},\n}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    );
    let site = site_with("citations/deep.bib", &text);
    let kb = site.check();
    let (diagnostics, _) = diagnostics_text(&kb);
    let refused: Vec<_> = in_file(&diagnostics, "citations/deep.bib")
        .into_iter()
        .filter(|d| d.code == Code::MalformedSource)
        .map(|d| (d.location.line, d.location.column, d.message.clone()))
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0].0, refused[0].1), (7, 3));
    assert!(
        refused[0].2.contains("nested 100000 deep"),
        "{}",
        refused[0].2
    );
    // Both entries are read; the deep one without its title.
    assert!(kb.sources["cups"].source.csl.contains_key("title"));
    assert!(!kb.sources["deep"].source.csl.contains_key("title"));
    assert_eq!(
        kb.sources["deep"].source.csl["issued"]["date-parts"][0][0],
        2019
    );
}

#[test]
fn a_plain_csl_yaml_file_of_7600_records_loads() {
    let mut text = String::new();
    for i in 0..7_600 {
        text.push_str(&format!(
            "- id: tea{i}\n  type: article-journal\n  title: Steeping green tea number {i} in warm cups\n  author:\n    - {{family: Leaf, given: Ada}}\n    - {{family: Pot, given: Ben}}\n  container-title: Journal of Tea Studies\n  issued: {{date-parts: [[2019, 2, 3]]}}\n  volume: '12'\n  page: 1-9\n  DOI: 10.5555/tea.{i}\n  abstract: Cups of tea were steeped for three to five minutes in a warm pot, then poured.\n"
        ));
    }
    assert!(text.len() > 2_000_000);
    let site = site_with("citations/many.yaml", &text);
    let kb = site.check();
    let (diagnostics, _) = diagnostics_text(&kb);
    assert!(
        in_file(&diagnostics, "citations/many.yaml")
            .iter()
            .all(|d| d.code != Code::MalformedYaml),
        "{:?}",
        in_file(&diagnostics, "citations/many.yaml").first()
    );
    assert_eq!(kb.sources["tea7599"].source.pos.line, 7_599 * 12 + 1);
}

#[test]
fn impossible_dates_in_every_format_are_warnings_at_their_line() {
    let site = Site::fixture("minimal");
    site.write(
        "citations/dates.bib",
        "@article{bib0,\n  title = {Saucers},\n  year = {0},\n}\n",
    );
    site.write(
        "citations/dates.ris",
        "TY  - JOUR\nID  - ris32\nTI  - Kettles\nPY  - 2019/08/32\nER  - \n",
    );
    site.write(
        "citations/dates.nbib",
        "PMID- 123\nTI  - Teapots.\nDP  - 2023 Feb 29\n",
    );
    site.write(
        "citations/dates.json",
        "[{\"id\": \"json13\", \"title\": \"Cups\",\n  \"issued\": {\"date-parts\": [[2019, 17]]}}]\n",
    );
    site.write(
        "citations/dates.yaml",
        "- id: yaml99999\n  title: Jugs\n  issued: {date-parts: [[99999]]}\n",
    );
    let kb = site.check();
    let (diagnostics, _) = diagnostics_text(&kb);
    let dates: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::ImpossibleDate)
        .map(|d| {
            (
                d.severity,
                d.location.path.as_str(),
                d.location.line,
                d.location.column,
            )
        })
        .collect();
    assert_eq!(
        dates,
        vec![
            (Severity::Warning, "citations/dates.bib", 3, 11),
            (Severity::Warning, "citations/dates.json", 2, 36),
            (Severity::Warning, "citations/dates.nbib", 3, 7),
            (Severity::Warning, "citations/dates.ris", 4, 7),
            (Severity::Warning, "citations/dates.yaml", 3, 26),
        ],
        "{diagnostics:?}"
    );
}

#[test]
fn many_diagnostics_each_show_their_own_line() {
    let mut text = String::new();
    for i in 0..5_000 {
        text.push_str(&format!(
            "- id: tea{i}\n  title: Tea {i}\n  issued: {{date-parts: [[2019, 2, 30]]}}\n"
        ));
    }
    let site = site_with("citations/many.yaml", &text);
    let kb = site.check();
    let (_, printed) = diagnostics_text(&kb);
    assert_eq!(
        printed
            .matches("warning[impossible-date]: impossible date in `issued`")
            .count(),
        5_000
    );
    assert!(
        printed.contains(
            " --> citations/many.yaml:15000:35\n      |\n15000 |   issued: {date-parts: [[2019, 2, 30]]}\n      |                                   ^^\n"
        ),
        "{}",
        &printed[printed.len().saturating_sub(2_000)..]
    );
}

#[test]
fn a_10_mb_line_is_shown_as_a_short_excerpt() {
    // One CSL-JSON record on one line of 10 MB, with an error at its end.
    let abstract_text = "tea ".repeat(2_500_000);
    let text =
        format!("[{{\"id\": \"tea\", \"title\": \"Cups\", \"abstract\": \"{abstract_text}\"}} x]");
    let site = site_with("citations/long.json", &text);
    let kb = site.check();
    let (diagnostics, printed) = diagnostics_text(&kb);
    let error = in_file(&diagnostics, "citations/long.json")[0];
    assert_eq!(error.code, Code::MalformedYaml);
    assert!(printed.len() < 4_000, "{} bytes printed", printed.len());
    let shown = printed
        .lines()
        .find(|l| l.starts_with("1 | "))
        .expect("the line is shown");
    assert!(
        shown.starts_with("1 | …") && shown.contains("tea tea"),
        "{shown}"
    );
    assert!(shown.ends_with("\"} x]"), "{shown}");
}

#[test]
fn duplicate_keys_are_reported_without_the_parsers_advice() {
    let site = Site::fixture("minimal");
    site.write(
        "citations/twice.yaml",
        "- id: tea\n  title: Tea\n  title: Cups\n",
    );
    site.write(
        "citations/twice.json",
        "[{\"id\": \"pot\", \"title\": \"Pot\",\n  \"title\": \"Kettle\"}]\n",
    );
    let kb = site.check();
    let (diagnostics, printed) = diagnostics_text(&kb);
    assert!(!printed.contains("DuplicateKeyPolicy"), "{printed}");
    assert!(!printed.contains("Options"), "{printed}");
    let yaml = in_file(&diagnostics, "citations/twice.yaml");
    assert_eq!(
        (yaml[0].code, yaml[0].location.line, yaml[0].location.column),
        (Code::MalformedYaml, 3, 3),
        "{yaml:?}"
    );
    assert!(yaml[0].message.contains("title"), "{}", yaml[0].message);
    let json: Vec<_> = in_file(&diagnostics, "citations/twice.json")
        .into_iter()
        .filter(|d| d.code == Code::DuplicateField)
        .collect();
    assert_eq!(
        (json[0].location.line, json[0].location.column),
        (2, 3),
        "{json:?}"
    );
    assert!(
        json[0].message.contains("last value is kept"),
        "{}",
        json[0].message
    );
    assert!(json[0].message.contains("title"), "{}", json[0].message);
}
