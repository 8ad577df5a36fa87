//! Golden references for every shipped style, on the relactation sources of
//! `load/citations/fixtures/`.

use super::*;
use crate::diag::Diagnostics;
use crate::model::Source;

const JSON: &str = include_str!("../load/citations/fixtures/relactation.json");

fn sources(text: &str) -> Vec<Source> {
    let mut d = Diagnostics::new();
    let records = crate::load::citations::read_csl_json(text, "citations/r.json", &mut d);
    assert!(d.is_empty(), "{:?}", d.sorted());
    records
        .into_iter()
        .map(|r| Source {
            slug: crate::text::slugify(&r.id),
            id: r.id,
            path: r.path,
            pos: r.pos,
            csl: r.csl,
            evidence: r.evidence,
        })
        .collect()
}

fn golden(style: &Style) -> String {
    sources(JSON)
        .iter()
        .map(|s| format!("{}: {}\n", s.id, format_reference(s, style)))
        .collect()
}

#[test]
fn golden_vancouver() {
    let style = Style::by_name("vancouver", std::path::Path::new(".")).unwrap();
    insta::assert_snapshot!("vancouver", golden(&style));
}

#[test]
fn golden_ama() {
    let style = Style::by_name("ama", std::path::Path::new(".")).unwrap();
    insta::assert_snapshot!("ama", golden(&style));
}

#[test]
fn golden_apa() {
    let style = Style::by_name("apa", std::path::Path::new(".")).unwrap();
    insta::assert_snapshot!("apa", golden(&style));
}

/// The site's language picks the locale of the style's terms ("In:", "editors", months).
#[test]
fn the_site_language_chooses_the_locale() {
    let csl: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"id":"tea","type":"chapter","title":"Steeping times","author":[{"family":"Leaf","given":"Ann"}],"editor":[{"family":"Pot","given":"Bo"},{"family":"Cup","given":"Cy"}],"container-title":"The tea book","publisher":"Kettle Press","publisher-place":"Teatown","issued":{"date-parts":[[2001,3]]}}"#,
    )
    .unwrap();
    let source = Source {
        id: "tea".into(),
        slug: "tea".into(),
        path: String::new(),
        pos: Default::default(),
        csl,
        evidence: Default::default(),
    };
    let root = std::path::Path::new(".");
    let english = format_reference(&source, &Style::by_name("vancouver", root).unwrap());
    assert_eq!(
        english,
        "Leaf A. Steeping times. In: Pot B, Cup C, editors. The tea book. Teatown: Kettle Press; 2001."
    );
    let spanish = Style::by_name("vancouver", root).unwrap().in_language("es");
    assert_eq!(
        format_reference(&source, &spanish),
        "Leaf A. Steeping times. En: Pot B, Cup C, editores. The tea book. Teatown: Kettle Press; 2001."
    );
}

#[test]
fn a_csl_file_of_the_site_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("styles")).unwrap();
    // A minimal CSL file written by hand: author-title only.
    std::fs::write(
        dir.path().join("styles/short.csl"),
        r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Short</title><id>short</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout suffix="."><group delimiter=". "><names variable="author"/><text variable="title"/></group></layout></bibliography>
</style>"#,
    )
    .unwrap();
    let style = Style::by_name("styles/short.csl", dir.path()).unwrap();
    let s = &sources(JSON)[0];
    assert_eq!(
        format_reference(s, &style),
        "Seema, A. K. Patwari, L. Satyanarayana. Relactation: an effective intervention to promote exclusive breastfeeding."
    );
    std::fs::write(dir.path().join("styles/bad.csl"), "<style>").unwrap();
    let e = Style::by_name("styles/bad.csl", dir.path()).unwrap_err();
    assert!(e.message.contains("not a valid CSL style"), "{e}");
}
