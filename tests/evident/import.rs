//! `evident import` through the real binary: one id per work whatever the export's format,
//! works the site already holds reported instead of written twice, and `--update` adding
//! new fields to the site's file without losing its comments. The exports are the invented
//! records of `tests/fixtures/import/`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::harness::{Site, TODAY, fixtures};

fn export(name: &str) -> PathBuf {
    fixtures().join("import").join(name)
}

/// `evident --color never --today TODAY import ARGS…`, run from the site's root.
fn import(site: &Site, args: &[&str], file: &Path) -> assert_cmd::assert::Assert {
    Command::new(env!("CARGO_BIN_EXE_evident"))
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--today", TODAY, "import"])
        .args(args)
        .arg(file)
        .assert()
}

/// The files of the site's citations/, sorted.
fn citation_files(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path("citations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn one_work_gets_one_id_whatever_the_format() {
    for (file, written) in [
        ("kettle.nbib", "citations/pmid31415926.yaml"),
        ("kettle.ris", "citations/pmid31415926.yaml"),
        ("kettle.bib", "citations/pmid31415926.yaml"),
        ("kettle.json", "citations/pmid31415926.yaml"),
        ("footbridge.ris", "citations/doi-10-5555-ssb-2021-007.yaml"),
        ("footbridge.bib", "citations/doi-10-5555-ssb-2021-007.yaml"),
        (
            "roses-report.ris",
            "citations/rhswi-2022-pruning-roses-exposed.yaml",
        ),
    ] {
        let site = Site::fixture("minimal");
        import(&site, &[], &export(file))
            .code(0)
            .stdout(format!("{written}\n"));
        let id = written
            .trim_start_matches("citations/")
            .trim_end_matches(".yaml");
        assert!(
            site.read(written).contains(&format!("\nid: {id}\n")),
            "{file}"
        );
        assert!(id.len() <= 40, "{id}");
    }
}

#[test]
fn author_year_title_ids_are_cut_between_words_within_40_characters() {
    let site = Site::fixture("minimal");
    let file = site.beside("long.bib");
    std::fs::write(
        &file,
        "@book{x,\n  title = {Cantilevered Footbridges: An Illustrated Survey of Riveted Spans},\n  author = {Wolstenholme-Fotheringay, Bartholomew},\n  year = {1911}\n}\n",
    )
    .unwrap();
    import(&site, &[], &file)
        .code(0)
        .stdout("citations/wolstenholme-1911-cantilevered.yaml\n");
}

#[test]
fn a_work_the_site_holds_is_reported_not_written_again() {
    let site = Site::fixture("minimal");
    import(&site, &[], &export("kettle.nbib")).code(0);
    for file in ["kettle.ris", "kettle.bib", "kettle.json"] {
        import(&site, &[], &export(file))
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(
                "error[duplicate-import]: source `pmid31415926` not imported: the same work (same PMID 31415926) is `pmid31415926` at citations/pmid31415926.yaml:2:1\n",
            ))
            .stderr(predicate::str::contains(format!("{file}:")))
            .stderr(predicate::str::contains("--update"))
            .stderr(predicate::str::contains("1 not imported"));
    }
    // By DOI, whatever its case; then by title and year, for a report that has neither.
    import(&site, &[], &export("footbridge.ris")).code(0);
    import(&site, &[], &export("footbridge.bib"))
        .code(1)
        .stderr(predicate::str::contains(
            "(same DOI 10.5555/ssb.2021.007) is `doi-10-5555-ssb-2021-007`",
        ));
    import(&site, &[], &export("roses-report.ris")).code(0);
    import(&site, &[], &export("roses-report.ris"))
        .code(1)
        .stderr(predicate::str::contains(
            "(same title and year) is `rhswi-2022-pruning-roses-exposed` at citations/rhswi-2022-pruning-roses-exposed.yaml:2:1",
        ));
    assert_eq!(
        citation_files(&site),
        [
            "doi-10-5555-ssb-2021-007.yaml",
            "pmid31415926.yaml",
            "rhswi-2022-pruning-roses-exposed.yaml",
            "sources.yaml"
        ]
    );
}

#[test]
fn the_second_record_of_one_work_in_an_export_is_the_duplicate() {
    let site = Site::fixture("minimal");
    let report = std::fs::read_to_string(export("roses-report.ris")).unwrap();
    let kettle = std::fs::read_to_string(export("kettle.ris")).unwrap();
    // The same report again, its title in other case and punctuation.
    let again = report.replace(
        "Pruning roses in exposed coastal gardens: annual report",
        "PRUNING ROSES IN EXPOSED COASTAL GARDENS -- ANNUAL REPORT",
    );
    let file = site.beside("library.ris");
    std::fs::write(&file, format!("{report}\n{kettle}\n{again}")).unwrap();
    let second_line = report.lines().count() + kettle.lines().count() + 3;
    import(&site, &[], &file)
        .code(1)
        .stdout("citations/rhswi-2022-pruning-roses-exposed.yaml\ncitations/pmid31415926.yaml\n")
        .stderr(predicate::str::contains(format!(
            "library.ris:{second_line}:1\n"
        )))
        .stderr(predicate::str::contains(
            "library.ris:1:1 (written to citations/rhswi-2022-pruning-roses-exposed.yaml)",
        ))
        .stderr(predicate::str::contains(
            "the same work, earlier in this export",
        ));
}

#[test]
fn update_merges_a_later_record_into_the_file_an_earlier_one_wrote() {
    let site = Site::fixture("minimal");
    let kettle = std::fs::read_to_string(export("kettle.ris")).unwrap();
    let file = site.beside("twice.ris");
    let with_keyword = kettle.replace("ER  - ", "KW  - limescale\nER  - ");
    std::fs::write(&file, format!("{kettle}\n{with_keyword}")).unwrap();
    import(&site, &["--update"], &file)
        .code(0)
        .stdout("citations/pmid31415926.yaml\n")
        .stderr(predicate::str::contains("imported 1 source\n"));
    assert!(
        site.read("citations/pmid31415926.yaml").ends_with(
            "\n# Added from twice.ris by `evident import --update`.\nkeyword: limescale\n"
        )
    );
}

/// A source an editor wrote by hand: its own id, comments, and fewer fields than the export.
const HAND_WRITTEN: &str = "\
# Kettle survey: cited on the descaling page.
- id: kettle-survey
  type: article-journal
  # Title shortened on purpose.
  title: Copper kettle scaling
  PMID: '31415926'
  issued: {date-parts: [[2019]]}   # year only
- id: teapots
  type: book
  title: Teapots of the north
";

#[test]
fn update_adds_new_fields_and_keeps_what_is_written() {
    let site = Site::fixture("minimal");
    site.write("citations/kettles.yaml", HAND_WRITTEN);
    import(&site, &["--update"], &export("kettle.bib"))
        .code(0)
        .stdout("citations/kettles.yaml\n")
        .stderr(predicate::str::contains("updated 1 file"));
    let merged = site.read("citations/kettles.yaml");
    let (first, rest) = HAND_WRITTEN.split_at(HAND_WRITTEN.find("- id: teapots").unwrap());
    // Every line written stays, the new fields come after the item's last line.
    assert!(merged.starts_with(first), "{merged}");
    assert!(merged.ends_with(rest), "{merged}");
    let added = &merged[first.len()..merged.len() - rest.len()];
    assert!(
        added.starts_with("  # Added from kettle.bib by `evident import --update`.\n  author:\n"),
        "{added}"
    );
    assert!(
        added.contains("\n  DOI: 10.5555/jkm.2019.0042\n"),
        "{added}"
    );
    assert!(added.contains("\n  page: 101-109\n"), "{added}");
    for kept in ["id:", "title:", "PMID:", "issued:", "type:"] {
        assert!(
            !added.contains(&format!("\n  {kept}")),
            "{kept} is written already: {added}"
        );
    }
    let mut problems = evident::diag::Diagnostics::new();
    let records = evident::load::citations::read_csl_yaml(&merged, "k.yaml", &mut problems);
    assert!(problems.is_empty(), "{:?}", problems.sorted());
    assert_eq!(records[0].csl["title"], "Copper kettle scaling");
    assert_eq!(
        records[0].csl["container-title"],
        "Journal of Kitchen Metallurgy"
    );
    assert_eq!(records[1].id, "teapots");

    // Nothing left to add: the file stays as it is.
    import(&site, &["--update"], &export("kettle.bib"))
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "1 already in the site with nothing to add",
        ));
    assert_eq!(site.read("citations/kettles.yaml"), merged);
    // Another export of the work brings its abstract, added after the first additions.
    import(&site, &["--update"], &export("kettle.nbib"))
        .code(0)
        .stdout("citations/kettles.yaml\n");
    let again = site.read("citations/kettles.yaml");
    assert!(
        again.starts_with(&merged[..merged.len() - rest.len()]),
        "{again}"
    );
    assert!(
        again.contains("  # Added from kettle.nbib by `evident import --update`.\n"),
        "{again}"
    );
}

#[test]
fn update_merges_only_into_csl_yaml() {
    let site = Site::fixture("minimal");
    let bib = std::fs::read_to_string(export("kettle.bib")).unwrap();
    site.write("citations/library.bib", &bib);
    import(&site, &["--update"], &export("kettle.nbib"))
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "is `thistlewood2019copper` at citations/library.bib:1:1",
        ))
        .stderr(predicate::str::contains(
            "`--update` adds fields only to CSL-YAML files, and citations/library.bib is not one",
        ));
    assert_eq!(site.read("citations/library.bib"), bib);
    assert_eq!(citation_files(&site), ["library.bib", "sources.yaml"]);
}
