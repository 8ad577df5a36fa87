//! Printable handouts (issue 7), end to end: the real binary writes them, `pdftotext` and
//! `pdfinfo` read the PDFs, headless Chromium prints the HTML. No test skips when a tool is
//! missing: it fails and says to run scripts/test, which installs them.
//!
//! The site is the bundled relactation knowledge base, copied to a temporary folder, with its
//! topic approved through `evident review` so that the handout has real review dates.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use evident::render::handout::{DRAFT_MARK, Paper};

use crate::harness::Site;

const TODAY: &str = "2026-12-01";
const URL: &str = "https://example.org/relactation/";

fn evident(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("evident").expect("the evident binary");
    cmd.arg("--root")
        .arg(root)
        .arg("--today")
        .arg(TODAY)
        .arg("--quiet");
    cmd
}

#[track_caller]
fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The relactation site, whose topic is approved (on 2026-11-29, so due a year later).
#[track_caller]
fn site() -> Site {
    // The bundled topic is approved, so its public handout is built.
    Site::bundled()
}

/// A tool the tests need; a clear failure (never a skip) when it is missing.
#[track_caller]
fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{name}` is not installed: run scripts/test, which installs poppler-utils and chromium"
    );
    Command::new(name)
}

/// The PDF's text without whitespace, hyphens and typographic quotes, so that wordings that
/// wrap across lines (pdftotext joins "re-" + "establishing" as "reestablishing") still match.
#[track_caller]
fn pdf_text(pdf: &Path) -> String {
    let out = run(tool("pdftotext").arg("-enc").arg("UTF-8").arg(pdf).arg("-"));
    normalise(&String::from_utf8_lossy(&out.stdout))
}

fn normalise(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{00ad}' | '\u{2010}'))
        .collect()
}

#[track_caller]
fn pdf_info(pdf: &Path) -> String {
    let out = run(tool("pdfinfo").arg(pdf));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A field of pdfinfo's output ("Pages", "Title", "Tagged", "Page size").
#[track_caller]
fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name} in pdfinfo output:\n{info}"))
}

#[track_caller]
fn pages(info: &str) -> usize {
    field(info, "Pages")
        .parse()
        .unwrap_or_else(|_| panic!("bad page count in pdfinfo output:\n{info}"))
}

#[track_caller]
fn handout(root: &Path, out: &Path, extra: &[&str]) {
    run(evident(root)
        .args(["handout", "relactation", "--out"])
        .arg(out)
        .args(extra));
}

/// What the library says the handout holds, to check the PDF against.
#[cfg(feature = "pdf")]
#[track_caller]
fn expected(root: &Path, draft: bool) -> evident::render::handout::Handout {
    let date = evident::text::fields::parse_date(TODAY).expect("date");
    let kb = evident::check(&evident::project::Project::new(root), date).expect("check");
    let options = evident::render::handout::HandoutOptions {
        draft,
        ..evident::render::handout::HandoutOptions::site_default(&kb.config)
    };
    evident::render::handout::handout(&kb, "relactation", &options).expect("handout")
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn pdf_holds_the_reviewed_statements_references_and_review_dates() {
    let site = site();
    let root = site.root.as_path();
    let want = expected(root, false);
    // Only approved claims: 11 of the topic's embeds are approved, the others are left out.
    assert!(want.claim_count >= 10, "{} claims", want.claim_count);
    assert!(want.omitted > 0);
    for paper in ["a4", "letter"] {
        let pdf = root.join(format!("{paper}.pdf"));
        handout(root, &pdf, &["--paper", paper]);
        let text = pdf_text(&pdf);
        assert!(
            text.contains(&normalise(&want.title)),
            "title missing:\n{text}"
        );
        for claim in want.sections.iter().flat_map(|s| &s.claims) {
            assert!(
                text.contains(&normalise(&claim.text)),
                "claim {} missing from the {paper} PDF:\n{text}",
                claim.id
            );
        }
        // Certainty in the patient words of `certainty_words`, never the scales' jargon.
        assert!(text.contains(&normalise("based on limited research; we are not sure")));
        assert!(text.contains(&normalise("practical advice, not a research finding")));
        for jargon in ["confidence", "conditional", "recommendation,", "not graded"] {
            assert!(
                !text.contains(&normalise(jargon)),
                "{paper}: `{jargon}` on a patient handout:\n{text}"
            );
        }
        // The bundled topic gives no advice on when to get help (nothing verified supports
        // any): no such section, not even its heading.
        assert!(!text.contains(&normalise("When to get help")));
        // The bundled site's fictional clinic, and the clinician's notes box.
        for line in [
            "Example Clinic (fictional)",
            "Phone 01632 960 000",
            "Notes from your clinician",
        ] {
            assert!(text.contains(&normalise(line)), "{line} missing:\n{text}");
        }
        assert!(text.contains(&normalise(&format!(
            "{} statements awaiting review are not included",
            want.omitted
        ))));
        for reference in &want.references {
            assert!(
                text.contains(&normalise(&reference.text)),
                "reference {} missing:\n{text}",
                reference.number
            );
            for id in &reference.identifiers {
                assert!(text.contains(&normalise(id)), "{id} missing:\n{text}");
            }
        }
        for line in [
            // The public face's review line.
            "Reviewed by Example Reviewer (fictional), IBCLC on 2026-11-29".to_string(),
            "Next review due 2027-11-29".to_string(),
            URL.to_string(),
            "Educational purpose only.".to_string(),
        ] {
            assert!(text.contains(&normalise(&line)), "{line} missing:\n{text}");
        }
        assert!(
            !text.contains("DRAFT"),
            "a reviewed handout is not marked as a draft"
        );

        let info = pdf_info(&pdf);
        assert!(pages(&info) <= 2, "{paper}: more than 2 pages:\n{info}");
        assert_eq!(field(&info, "Title"), want.title);
        assert_eq!(field(&info, "Tagged"), "yes");
        let size = if paper == "a4" {
            "595.276 x 841.89"
        } else {
            "612 x 792"
        };
        assert!(
            field(&info, "Page size").starts_with(size),
            "{paper}:\n{info}"
        );
    }
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn draft_includes_everything_and_marks_every_page() {
    let site = site();
    let root = site.root.as_path();
    let want = expected(root, true);
    assert_eq!(want.omitted, 0);
    let pdf = root.join("draft.pdf");
    handout(root, &pdf, &["--draft"]);
    let text = pdf_text(&pdf);
    let pages = pages(&pdf_info(&pdf));
    assert!(
        pages <= 2,
        "a draft of every statement fits 2 pages: {pages}"
    );
    assert_eq!(
        text.matches(&normalise(DRAFT_MARK)).count(),
        pages,
        "the draft mark is on every page once:\n{text}"
    );
    assert!(text.contains(&normalise("Not reviewed: Draft")));
    assert!(!text.contains(&normalise("awaiting review are not included")));
    for claim in want.sections.iter().flat_map(|s| &s.claims) {
        assert!(
            text.contains(&normalise(&claim.text)),
            "{} missing",
            claim.id
        );
    }
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn the_same_input_gives_the_same_pdf_bytes() {
    let site = site();
    let root = site.root.as_path();
    let (a, b) = (root.join("a.pdf"), root.join("b.pdf"));
    handout(root, &a, &[]);
    handout(root, &b, &[]);
    let (a, b) = (std::fs::read(a).expect("a"), std::fs::read(b).expect("b"));
    assert!(a.starts_with(b"%PDF-"));
    assert!(a == b, "two PDFs of the same input differ");
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn build_writes_handouts_for_topics_and_honours_no_pdf() {
    let site = site();
    let root = site.root.as_path();
    run(evident(root).args(["build", "--no-pdf"]));
    let handouts = root.join("public/handouts");
    assert!(handouts.join("relactation.html").is_file());
    // The domperidone page is not approved: the public site has neither it nor its handout.
    assert!(!handouts.join("domperidone.html").exists());
    assert!(
        !handouts.join("relactation.pdf").exists(),
        "--no-pdf writes no PDF"
    );
    assert!(
        !handouts.join("editorial-policy.html").exists(),
        "plain pages get no handout"
    );
    // The topic page links exactly the formats written.
    let topic =
        std::fs::read_to_string(root.join("public/relactation/index.html")).expect("topic page");
    assert!(
        topic.contains("handouts&#x2f;relactation.html"),
        "print page link"
    );
    assert!(
        !topic.contains("relactation.pdf"),
        "no PDF link without a PDF"
    );

    run(evident(root).arg("build"));
    let topic =
        std::fs::read_to_string(root.join("public/relactation/index.html")).expect("topic page");
    assert!(
        topic.contains("handouts&#x2f;relactation.pdf"),
        "PDF link once the PDF is written"
    );
    let built = std::fs::read(handouts.join("relactation.pdf")).expect("built PDF");
    // The standalone command with the site's defaults makes exactly what the build wrote.
    let alone = root.join("alone.pdf");
    handout(root, &alone, &[]);
    assert!(built == std::fs::read(&alone).expect("alone"));
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn standalone_names_variants_apart_and_leaves_other_files_alone() {
    let site = site();
    let root = site.root.as_path();
    let handouts = root.join("public/handouts");
    std::fs::create_dir_all(&handouts).expect("mkdir");
    std::fs::write(handouts.join("notes.txt"), "mine").expect("write");
    run(evident(root).args(["handout", "topic:relactation"]));
    run(evident(root).args([
        "handout",
        "relactation",
        "--draft",
        "--audience",
        "clinician",
    ]));
    for name in [
        "relactation.html",
        "relactation.pdf",
        "relactation-clinician-draft.html",
        "relactation-clinician-draft.pdf",
    ] {
        assert!(handouts.join(name).is_file(), "{name} missing");
    }
    assert_eq!(
        std::fs::read_to_string(handouts.join("notes.txt")).expect("notes"),
        "mine"
    );
    let html =
        std::fs::read_to_string(handouts.join("relactation-clinician-draft.html")).expect("html");
    assert!(html.contains(DRAFT_MARK));
    // No JavaScript: the only script element is the JSON-LD data block.
    assert_eq!(
        html.matches("<script").count(),
        1,
        "a handout needs no script"
    );
    assert!(
        html.contains("<script type=\"application/ld+json\">"),
        "only JSON-LD"
    );
}

#[test]
fn mistakes_on_the_command_line_exit_2() {
    let site = site();
    let root = site.root.as_path();
    for args in [
        &["handout", "relactaton"][..],
        &["handout", "relactation", "--audience", "nobody"],
        &["handout", "editorial-policy"],
        &["handout", "relactation", "--out", "x.txt"],
    ] {
        let out = evident(root).args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(!out.stderr.is_empty());
    }
}

/// Prints the HTML handout with headless Chromium and counts the pages.
#[track_caller]
fn print_html(html: &Path, pdf: &Path) -> usize {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = tool("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(
        pdf.is_file(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    pages(&pdf_info(pdf))
}

#[test]
fn print_html_fits_two_pages_on_a4_and_letter() {
    let site = site();
    let root = site.root.as_path();
    for paper in ["a4", "letter"] {
        for draft in [false, true] {
            let name = format!("{paper}{}", if draft { "-draft" } else { "" });
            let html = root.join(format!("{name}.html"));
            let mut args = vec!["--paper", paper];
            if draft {
                args.push("--draft");
            }
            handout(root, &html, &args);
            let text = std::fs::read_to_string(&html).expect("html");
            assert_eq!(text.contains(DRAFT_MARK), draft);
            let pdf = root.join(format!("{name}-chromium.pdf"));
            let pages = print_html(&html, &pdf);
            assert!(pages <= 2, "{name}: the print HTML takes {pages} pages");
            // Printed, the draft mark heads every page (and a reviewed handout has none).
            let printed = pdf_text(&pdf);
            assert!(
                printed.contains(&normalise(URL)),
                "{name}: the URL is printed"
            );
            let marks = printed.matches(&normalise(DRAFT_MARK)).count();
            assert_eq!(marks, if draft { pages } else { 0 }, "{name}");
        }
    }
}

#[test]
fn default_paper_follows_the_site_language() {
    assert_eq!(Paper::for_language("en"), Paper::A4);
    assert_eq!(Paper::for_language("en-US"), Paper::Letter);
}

/// The text of an HTML page's body: tags dropped, entities decoded.
fn html_text(page: &str) -> String {
    let body = &page[page.find("<body").unwrap_or(0)..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    crate::harness::decode_entities(&text)
}

/// The kettle site (tests/fixtures/kettles): a topic with advice on when to get help, a
/// fictional repair desk as its contact, and a made-up mark as its logo.
fn kettles() -> Site {
    Site::fixture("kettles")
}

#[track_caller]
fn kettle_handout(root: &Path, out: &Path, extra: &[&str]) {
    run(evident(root)
        .args(["handout", "kettles", "--draft", "--out"])
        .arg(out)
        .args(extra));
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn when_to_get_help_contact_and_notes_are_on_both_handouts() {
    let site = kettles();
    let root = site.root.as_path();
    let (pdf, html) = (root.join("k.pdf"), root.join("k.html"));
    kettle_handout(root, &pdf, &[]);
    kettle_handout(root, &html, &[]);
    let text = pdf_text(&pdf);
    let page = std::fs::read_to_string(&html).expect("html");
    let printed = normalise(&html_text(&page));
    for line in [
        "When to get help",
        "Call us if the kettle sparks.",
        "Call us if the lid will not close.",
        "Kettle Repair Desk (fictional)",
        "01632 960 123",
        "https://example.org/kettles/",
        "Notes from your clinician",
        "based on limited research; we are not sure",
        "suggested, based on limited research",
    ] {
        assert!(
            text.contains(&normalise(line)),
            "PDF: {line} missing:\n{text}"
        );
        assert!(
            printed.contains(&normalise(line)),
            "HTML: {line} missing:\n{page}"
        );
    }
    for jargon in ["confidence", "conditional"] {
        assert!(!text.contains(jargon), "PDF: {jargon}:\n{text}");
        assert!(!printed.contains(jargon), "HTML: {jargon}:\n{page}");
    }
    // The help box comes after the statements, the notes box after it.
    let at = |needle: &str| {
        text.find(&normalise(needle))
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(at("Descale the kettle") < at("When to get help"));
    assert!(at("When to get help") < at("Notes from your clinician"));
    // The logo: inline in the HTML (the file needs nothing beside it), a file of the PDF.
    assert!(
        page.contains("<img src=\"data:image&#x2f;svg+xml;base64,")
            && page.contains("alt=\"Logo of Kettle Repair Desk (fictional)\""),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"help-heading\">When to get help</h2>"));
    assert!(page.contains("<h2 id=\"notes-heading\">Notes from your clinician</h2>"));
    let date = evident::text::fields::parse_date(TODAY).expect("date");
    let kb = evident::check(&site.project(), date).expect("check");
    let options = evident::render::handout::HandoutOptions {
        draft: true,
        ..evident::render::handout::HandoutOptions::site_default(&kb.config)
    };
    let want = evident::render::handout::handout(&kb, "kettles", &options).expect("handout");
    let contact = want.contact.expect("contact");
    assert_eq!(contact.logo.as_deref(), Some("logo.svg"));
    assert_eq!(field(&pdf_info(&pdf), "Tagged"), "yes");

    // The topic page shows the same advice after its statements.
    let out = site.build_preview();
    let topic = std::fs::read_to_string(out.join("kettles/index.html")).expect("topic page");
    let help = topic
        .find("<section class=\"topic-help\"")
        .expect("help section");
    assert!(topic[help..].contains("<h2 id=\"topic-help-heading\">When to get help</h2>"));
    assert!(topic[help..].contains("<li>Call us if the kettle <strong>sparks</strong>.</li>"));
    assert!(topic.find("class=\"topic-body\"").expect("body") < help);
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn without_advice_or_contact_there_is_no_section() {
    let site = kettles();
    let root = site.root.as_path();
    let topic = site.read("content/kettles.md");
    let without: String = topic
        .lines()
        .filter(|l| !l.starts_with("when_to_get_help:") && !l.starts_with("  - Call us"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, topic);
    site.write("content/kettles.md", &without);
    let config = site.read("evident.yaml");
    let cut = config.find("contact:").expect("contact block");
    site.write("evident.yaml", &config[..cut]);
    let (pdf, html) = (root.join("k.pdf"), root.join("k.html"));
    kettle_handout(root, &pdf, &[]);
    kettle_handout(root, &html, &[]);
    let text = pdf_text(&pdf);
    let page = std::fs::read_to_string(&html).expect("html");
    for absent in ["When to get help", "Kettle Repair Desk", "Call us"] {
        assert!(!text.contains(&normalise(absent)), "PDF: {absent}:\n{text}");
        assert!(!page.contains(absent), "HTML: {absent}:\n{page}");
    }
    assert!(!page.contains("class=\"help\"") && !page.contains("class=\"contact\""));
    // The notes box is always there.
    assert!(text.contains(&normalise("Notes from your clinician")));
    let out = site.build_preview();
    let topic = std::fs::read_to_string(out.join("kettles/index.html")).expect("topic page");
    assert!(!topic.contains("topic-help"), "no empty help section");
}

#[test]
fn contact_us_if_is_shown_under_its_own_heading() {
    let site = kettles();
    let root = site.root.as_path();
    let topic = site.read("content/kettles.md");
    site.write(
        "content/kettles.md",
        &topic.replace("when_to_get_help:", "contact_us_if:"),
    );
    let html = root.join("k.html");
    kettle_handout(root, &html, &[]);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(
        page.contains("<h2 id=\"help-heading\">Contact us if</h2>"),
        "{page}"
    );
    assert!(!page.contains("When to get help"));
}

#[test]
fn a_missing_logo_is_an_error_at_its_line() {
    let site = kettles();
    let root = site.root.as_path();
    site.remove("static/mark.svg");
    let out = evident(root)
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("static/mark.svg"))
        .unwrap_or_else(|| panic!("no diagnostic about the logo:\n{stdout}"));
    let d: serde_json::Value = serde_json::from_str(line).expect("json");
    assert_eq!(d["code"], "invalid-value");
    assert_eq!(d["path"], "evident.yaml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(14), Some(9))
    );
    assert_eq!(d["message"], "the logo `static/mark.svg` does not exist");
    // No handout is made from a site that does not check.
    let out = evident(root)
        .args(["handout", "kettles", "--draft", "--out"])
        .arg(root.join("k.html"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("k.html").exists());
}

/// The median height of the words of a PDF, from `pdftotext -bbox`, in points.
#[cfg(feature = "pdf")]
#[track_caller]
fn median_word_height(pdf: &Path) -> f64 {
    let out = run(tool("pdftotext").arg("-bbox").arg(pdf).arg("-"));
    let text = String::from_utf8_lossy(&out.stdout);
    let number = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        let end = start + line[start..].find('"').expect("quote");
        line[start..end].parse().expect("number")
    };
    let mut heights: Vec<f64> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| number(l, "yMax") - number(l, "yMin"))
        .collect();
    assert!(!heights.is_empty(), "no words in {}", pdf.display());
    heights.sort_by(f64::total_cmp);
    heights[heights.len() / 2]
}

// PDF handouts exist only with the default `pdf` feature.
#[cfg(feature = "pdf")]
#[test]
fn large_print_is_larger_and_named_apart() {
    let site = site();
    let root = site.root.as_path();
    let (normal, large) = (root.join("normal.pdf"), root.join("large.pdf"));
    handout(root, &normal, &[]);
    handout(root, &large, &["--large-print"]);
    let (a, b) = (median_word_height(&normal), median_word_height(&large));
    assert!(
        b >= a * 1.3,
        "large print words are {b:.1}pt high against {a:.1}pt"
    );
    // The same statements, on more pages (large print may exceed two; that is the point).
    let (pages_normal, pages_large) = (pages(&pdf_info(&normal)), pages(&pdf_info(&large)));
    assert!(
        pages_large > pages_normal,
        "{pages_large} vs {pages_normal}"
    );
    assert_eq!(field(&pdf_info(&large), "Tagged"), "yes");
    let text = pdf_text(&large);
    for line in ["Notes from your clinician", "Example Clinic (fictional)"] {
        assert!(text.contains(&normalise(line)), "{line} missing:\n{text}");
    }
    let html = root.join("large.html");
    handout(root, &html, &["--large-print"]);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("html { font-size: 16pt;"), "large print CSS");
    // In the output folder, a large-print handout never takes the place of the usual one.
    run(evident(root).args(["handout", "relactation", "--large-print"]));
    let handouts = root.join("public/handouts");
    assert!(handouts.join("relactation-large-print.pdf").is_file());
    assert!(handouts.join("relactation-large-print.html").is_file());
    assert!(!handouts.join("relactation.pdf").exists());
}

#[test]
fn out_never_replaces_a_file_of_the_build_output_folder() {
    let site = kettles();
    let root = site.root.as_path();
    run(evident(root).args(["build", "--no-pdf"]));
    let public = root.join("public");
    std::fs::write(public.join("CNAME.html"), "mine").expect("write");
    let index = std::fs::read(public.join("index.html")).expect("index");
    for (target, why) in [
        ("public/index.html", "wrote that file"),
        ("public/CNAME.html", "already"),
        ("public/.evident-manifest.html", "keeps for its own"),
    ] {
        let out = evident(root)
            .args(["handout", "kettles", "--draft", "--out"])
            .arg(root.join(target))
            .output()
            .expect("run");
        assert!(!out.status.success(), "{target}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(why), "{target}: {stderr}");
    }
    assert_eq!(
        std::fs::read(public.join("index.html")).expect("index"),
        index
    );
    assert_eq!(
        std::fs::read_to_string(public.join("CNAME.html")).expect("mine"),
        "mine"
    );
    assert!(!public.join(".evident-manifest.html").exists());
    // A new file there is fine: the build never overwrites it either.
    kettle_handout(root, &public.join("kettles-for-the-shed.html"), &[]);
    assert!(public.join("kettles-for-the-shed.html").is_file());
}
