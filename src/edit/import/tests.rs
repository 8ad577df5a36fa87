//! Unit tests of `import`: the written YAML reads back, and nothing is overwritten or
//! written outside the site.

use super::*;
use crate::load::citations::read_file;

const JSON: &str = include_str!("../../load/citations/fixtures/relactation.json");
const BIB: &str = include_str!("../../load/citations/fixtures/relactation.bib");
const RIS: &str = include_str!("../../load/citations/fixtures/relactation.ris");
const NBIB: &str = include_str!("../../load/citations/fixtures/relactation.nbib");

#[test]
fn written_yaml_reads_back_to_the_same_record() {
    for (ext, text) in [("json", JSON), ("bib", BIB), ("ris", RIS), ("nbib", NBIB)] {
        let mut d = Diagnostics::new();
        let records = read_file(ext, text, "x", &mut d).unwrap();
        for record in records {
            let yaml = to_csl_yaml(&record, "export.x");
            let mut d = Diagnostics::new();
            let back = crate::load::citations::read_csl_yaml(&yaml, "y.yaml", &mut d);
            assert!(d.is_empty(), "{yaml}\n{:?}", d.sorted());
            assert_eq!(back.len(), 1);
            assert_eq!(back[0].csl, record.csl, "{ext}:\n{yaml}");
            assert_eq!(back[0].evidence, record.evidence);
        }
    }
}

/// The abstract an export carries is written, for the quote check (`quote-not-in-source`).
#[test]
fn the_abstract_is_written() {
    let text = "TY  - JOUR\nID  - kites\nTI  - Kites\nPY  - 2020\nAB  - Forty kites: 31 stayed up,\n      for an hour.\nER  - \n";
    let mut d = Diagnostics::new();
    let record = read_file("ris", text, "k.ris", &mut d).unwrap().remove(0);
    let yaml = to_csl_yaml(&record, "k.ris");
    assert!(
        yaml.contains("\nabstract: \"Forty kites: 31 stayed up, for an hour.\"\n"),
        "{yaml}"
    );
}

#[test]
fn awkward_values_round_trip() {
    let json = r##"[{"id": "x", "type": "book", "title": "yes", "note": "a: b #c\nline", "volume": "43",
        "keyword": "'quoted' \u0001\u007f\u0085 \\ \"", "number": "-", "page": "1", "edition": "", "custom": {"a": [1, {"b": null}], "c": []},
        "author": [{"literal": "Null"}], "issued": {"date-parts": [[2001, 2, 3]]}, "design": "rct", "sample_size": 5,
        "retracted": {"date": "2020-01-02", "notice": "Fraud: see notice"}}]"##;
    let mut d = Diagnostics::new();
    let record = crate::load::citations::read_csl_json(json, "x.json", &mut d).remove(0);
    // Control characters are reported and left out of the record (NEL among them).
    let found: Vec<_> = d.clone().sorted().iter().map(|d| d.code).collect();
    assert_eq!(found, [Code::ControlCharacter], "{:?}", d.sorted());
    assert_eq!(record.csl["keyword"], "'quoted'  \\ \"");
    let mut d = Diagnostics::new();
    let yaml = to_csl_yaml(&record, "x.json");
    let back = crate::load::citations::read_csl_yaml(&yaml, "y.yaml", &mut d).remove(0);
    assert!(d.is_empty(), "{yaml}\n{:?}", d.sorted());
    assert_eq!(back.csl, record.csl, "{yaml}");
    assert_eq!(back.evidence, record.evidence, "{yaml}");
}

#[test]
fn imports_without_overwriting_and_stays_inside_the_site() {
    let site = tempfile::tempdir().unwrap();
    let project = Project::new(site.path().canonicalize().unwrap());
    let citations = project.citations_dir();
    std::fs::create_dir_all(&citations).unwrap();
    // The site already defines one of the records, in another format.
    std::fs::write(citations.join("mine.nbib"), "PMID- 7354969\nTI  - Mine.\n").unwrap();
    // And a file is in the way of another.
    std::fs::write(citations.join("pmid6789296.yaml"), "# in the way\n").unwrap();
    let export = site.path().join("export.ris");
    std::fs::write(&export, RIS).unwrap();

    let report = import(&project, &export, None, false).unwrap();
    let names: Vec<String> = report.written.iter().map(|p| project.relative(p)).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[0], "citations/pmid9283123.yaml");
    assert!(names.contains(&"citations/who-1998-relactation-review-experience.yaml".to_string()));
    assert_eq!(report.conflicts(), 2);
    let d = report.diagnostics.clone().sorted();
    assert_eq!(d[0].code, Code::DuplicateImport);
    assert_eq!(d[0].related[0].location.path, "citations/mine.nbib");
    assert!(d[1].message.contains("already exists"), "{d:?}");
    assert_eq!(
        std::fs::read_to_string(citations.join("pmid6789296.yaml")).unwrap(),
        "# in the way\n"
    );
    // The site now holds every work, and a second import duplicates or conflicts on each.
    let again = import(&project, &export, None, false).unwrap();
    assert!(again.written.is_empty());
    assert_eq!(again.conflicts(), 8);

    assert!(
        import(
            &project,
            &export,
            Some(&site.path().join("../elsewhere")),
            false
        )
        .is_err()
    );
    assert!(import(&project, &export, Some(Path::new("/tmp")), false).is_err());
    let into = site.path().join("citations/imported");
    let report = import(
        &project,
        &site.path().join("export.ris"),
        Some(&into),
        false,
    )
    .unwrap();
    // Works are matched site-wide: only the record whose file was in the way goes in.
    assert_eq!(report.conflicts(), 7);
    assert_eq!(
        project.relative(&report.written[0]),
        "citations/imported/pmid6789296.yaml"
    );

    std::fs::write(site.path().join("broken.bib"), "@article{a, title = {T}").unwrap();
    let report = import(&project, &site.path().join("broken.bib"), None, false).unwrap();
    assert!(report.unreadable && report.written.is_empty());
    assert!(import(&project, &site.path().join("missing.bib"), None, false).is_err());
    assert!(import(&project, &site.path().join("export.txt"), None, false).is_err());
}

/// `--update` splices after the item's last value: comments over the next item stay with it,
/// a block scalar keeps its text, line endings follow the file, flow style is refused.
#[test]
fn merged_fields_go_after_the_items_last_value() {
    let json = r#"[{"id": "pmid1", "type": "book", "title": "Teapots", "PMID": "1", "publisher": "Kiln Press"}]"#;
    let mut d = Diagnostics::new();
    let record = crate::load::citations::read_csl_json(json, "t.json", &mut d).remove(0);
    let merge = |text: &str| merge::merged_text(text, "c.yaml", "t", &record, "t.json");

    let text = "- id: t\n  note: |\n    one\n\n    two\n\n# the next item\n- id: u\n";
    let (out, added) = merge(text).unwrap();
    assert_eq!(added, ["type", "title", "publisher", "PMID"]);
    assert_eq!(
        out,
        "- id: t\n  note: |\n    one\n\n    two\n  # Added from t.json by `evident import --update`.\n  type: book\n  title: Teapots\n  publisher: Kiln Press\n  PMID: \"1\"\n\n# the next item\n- id: u\n"
    );
    let (out, _) = merge("id: t\r\ntitle: Mine\r\n").unwrap();
    assert!(out.ends_with("title: Mine\r\n# Added from t.json by `evident import --update`.\r\ntype: book\r\npublisher: Kiln Press\r\nPMID: \"1\"\r\n"), "{out:?}");
    let (out, added) = merge("id: t\ntitle: Mine\ntype: book\npublisher: Mine\nPMID: '1'").unwrap();
    assert!(added.is_empty());
    assert_eq!(
        out,
        "id: t\ntitle: Mine\ntype: book\npublisher: Mine\nPMID: '1'"
    );
    assert!(
        merge("- {id: t, title: Mine}\n")
            .unwrap_err()
            .contains("flow style")
    );
    assert!(merge("- id: other\n").unwrap_err().contains("no item `t`"));
}

#[test]
fn merging_into_text_ending_in_a_wide_character_does_not_panic() {
    let json = r#"[{"id": "p", "type": "book", "title": "Tè", "PMID": "1", "publisher": "Kiln"}]"#;
    let mut d = Diagnostics::new();
    let record = crate::load::citations::read_csl_json(json, "t.json", &mut d).remove(0);
    for text in [
        "id: t\ntitle: Té",
        "id: t\ntitle: Té\n# ü",
        "id: t\ntitle: \"é\"\n\n\n",
    ] {
        let (out, added) = merge::merged_text(text, "c.yaml", "t", &record, "t.json").unwrap();
        let block = "# Added from t.json by `evident import --update`.\ntype: book\npublisher: Kiln\nPMID: \"1\"\n";
        assert_eq!(
            out.replace(block, "").trim_end(),
            text.trim_end(),
            "{out:?}"
        );
        assert_eq!(added, ["type", "publisher", "PMID"], "{out:?}");
    }
}

/// A work matched by one identifier is known by the record's others from then on: a later
/// record of the export carrying only its DOI is a duplicate too.
#[test]
fn a_matched_work_learns_the_records_identifiers() {
    let site = tempfile::tempdir().unwrap();
    let project = Project::new(site.path().canonicalize().unwrap());
    std::fs::create_dir_all(project.citations_dir()).unwrap();
    std::fs::write(
        project.citations_dir().join("tea.yaml"),
        "id: tea\ntype: book\ntitle: Tea\nPMID: '77'\n",
    )
    .unwrap();
    let export = site.path().join("tea.json");
    std::fs::write(
        &export,
        r#"[{"id": "a", "type": "book", "title": "Tea", "PMID": "77", "DOI": "10.5555/Tea"},
            {"id": "b", "type": "book", "title": "Tea, second printing", "DOI": "10.5555/TEA"}]"#,
    )
    .unwrap();
    let report = import(&project, &export, None, false).unwrap();
    assert!(report.written.is_empty(), "{:?}", report.written);
    let d = report.diagnostics.sorted();
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|d| d.code == Code::DuplicateImport));
    assert!(
        d[1].message.contains("(same DOI 10.5555/tea) is `tea`"),
        "{}",
        d[1].message
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    /// Whatever the values, and whichever fields the site's file already has, `--update`
    /// yields the file's record with exactly the missing fields added, its own text kept.
    #[test]
    fn update_adds_exactly_the_missing_fields(
        values in proptest::collection::vec("[ -~éü\n]{0,30}", 6),
        kept in proptest::collection::vec(proptest::bool::ANY, 6),
        listed in proptest::bool::ANY,
    ) {
        let keys = ["title", "publisher", "volume", "note", "page", "URL"];
        let mut full = serde_json::Map::new();
        full.insert("id".into(), "t".into());
        for (key, value) in keys.iter().zip(&values) {
            full.insert((*key).into(), value.clone().into());
        }
        let json = serde_json::Value::Array(vec![serde_json::Value::Object(full)]).to_string();
        let mut d = Diagnostics::new();
        let record = crate::load::citations::read_csl_json(&json, "t.json", &mut d).remove(0);
        let mut partial = record.clone();
        for (key, keep) in keys.iter().zip(&kept) {
            if !keep {
                partial.csl.remove(*key);
            }
        }
        let mut file = to_csl_yaml(&partial, "site.yaml");
        if listed {
            // The same item as the first of a list, another item after it.
            file = format!("- {}", file.lines().skip(1).collect::<Vec<_>>().join("\n  ")) + "\n- id: other\n";
        }
        let (out, added) = merge::merged_text(&file, "c.yaml", "t", &record, "t.json").unwrap();
        // Empty values are not worth a line in the site's file.
        let expected: Vec<&str> = keys
            .iter()
            .zip(&kept)
            .zip(&values)
            .filter(|((_, k), v)| !**k && !v.trim().is_empty())
            .map(|((key, _), _)| *key)
            .collect();
        let mut added_sorted = added.clone();
        added_sorted.sort();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort_unstable();
        proptest::prop_assert_eq!(added_sorted, expected_sorted);
        let back = crate::load::citations::read_csl_yaml(&out, "c.yaml", &mut d);
        let mut wanted = record.csl.clone();
        wanted.retain(|key, value| {
            value.as_str().is_none_or(|v| !v.trim().is_empty()) || partial.csl.contains_key(key)
        });
        proptest::prop_assert_eq!(&back[0].csl, &wanted, "{}", out);
        proptest::prop_assert_eq!(back.len(), if listed { 2 } else { 1 });
    }
}
