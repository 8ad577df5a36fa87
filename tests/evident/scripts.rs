//! Any script a site uses builds (issue 20, point 1): Japanese and Arabic handouts with the
//! machine's Noto fonts (Debian `fonts-noto-cjk`, `fonts-noto-core`, installed by scripts/test),
//! Arabic laid out right to left, a site's own font files, emoji, characters no font has, and
//! control characters. The real binary builds; `pdftotext` and `pdffonts` read the PDFs. A
//! "machine without fonts" is fontconfig pointed at an empty folder (`FONTCONFIG_FILE`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

use crate::harness::TODAY;

/// A site of `files` (path, text) in a temporary folder, at `<tmp>/site`.
fn site(files: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, root)
}

const TEA_TOPIC: &str = "---\ntitle: お茶の淹れ方\nquestion: 美味しいお茶の淹れ方は？\nsummary: お湯を少し冷ましてから、茶葉に注ぎます。\nreview:\n  status: draft\n---\n\nお茶を楽しみましょう。\n\n- [[steep-time]]\n";
const TEA_CLAIM: &str = "statement: 緑茶は一分ほど蒸らします。\nkind: practice-point\nbasis: 庭の経験から。\nreview:\n  status: draft\n";
const GARDEN_TOPIC: &str = "---\ntitle: سقي الحديقة\nquestion: متى نسقي النعناع في الحديقة؟\nsummary: نسقي النعناع في الصباح الباكر قبل شرب الشاي.\nreview:\n  status: draft\n---\n\nالحديقة جميلة.\n";

fn japanese_site() -> (TempDir, PathBuf) {
    site(&[
        ("evident.yaml", "title: お茶の庭\nlanguage: ja\n"),
        ("content/tea.md", TEA_TOPIC),
        ("content/claims/steep-time.yaml", TEA_CLAIM),
    ])
}

fn arabic_site(config_more: &str) -> (TempDir, PathBuf) {
    let config = format!("title: حديقة الشاي\nlanguage: ar\n{config_more}");
    site(&[
        ("evident.yaml", &config),
        ("content/garden.md", GARDEN_TOPIC),
    ])
}

/// `evident build --preview` of `root` into `<tmp>/<out>` (the preview's handouts are drafts,
/// which carry every statement), with fontconfig's folders emptied when `no_machine_fonts`.
#[track_caller]
fn build(root: &Path, out: &str, no_machine_fonts: bool) -> (PathBuf, Output) {
    let out = root.parent().unwrap().join(out);
    let mut cmd = Command::cargo_bin("evident").unwrap();
    cmd.arg("--root")
        .arg(root)
        .args([
            "--today",
            TODAY,
            "build",
            "--preview",
            "--no-search",
            "--out",
        ])
        .arg(&out);
    if no_machine_fonts {
        let empty = root.parent().unwrap().join("no-fonts");
        std::fs::create_dir_all(&empty).unwrap();
        let conf = root.parent().unwrap().join("fonts.conf");
        std::fs::write(
            &conf,
            format!(
                "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
                empty.display()
            ),
        )
        .unwrap();
        cmd.env("FONTCONFIG_FILE", conf);
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "build failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    (out, output)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A poppler tool's output; a clear failure (never a skip) when it is missing.
#[track_caller]
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("`{tool}` cannot run ({e}): run scripts/test, which installs poppler-utils")
        });
    assert!(
        out.status.success(),
        "{tool} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The fonts a PDF embeds (`pdffonts`, which takes no `-` argument).
#[track_caller]
fn fonts_of(pdf: &Path) -> String {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("`pdffonts` cannot run: run scripts/test, which installs poppler-utils");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[track_caller]
fn assert_noto_installed() {
    for package in ["fonts-noto-cjk", "fonts-noto-core"] {
        let ok = Command::new("dpkg")
            .args(["-s", package])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "{package} is not installed: run scripts/test, which installs it"
        );
    }
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_japanese_topic_builds_its_pdf_with_the_machines_fonts() {
    assert_noto_installed();
    let (_tmp, root) = japanese_site();
    let (out, output) = build(&root, "out", false);
    assert!(
        !stderr(&output).contains("missing-glyph"),
        "{}",
        stderr(&output)
    );
    let pdf = out.join("handouts/tea.pdf");
    let text = without_spaces(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf));
    for shown in [
        "お茶の庭",
        "美味しいお茶の淹れ方は？",
        "お湯を少し冷ましてから、茶葉に注ぎます。",
        "緑茶は一分ほど蒸らします。",
    ] {
        assert!(text.contains(shown), "{shown} not in {text}");
    }
    assert!(fonts_of(&pdf).contains("CJK"), "{}", fonts_of(&pdf));
}

#[test]
fn an_arabic_topic_runs_right_to_left() {
    assert_noto_installed();
    let (_tmp, root) = arabic_site("");
    let (out, output) = build(&root, "out", false);
    assert!(
        !stderr(&output).contains("missing-glyph"),
        "{}",
        stderr(&output)
    );
    let pdf = out.join("handouts/garden.pdf");
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    assert!(text.contains("متى نسقي النعناع في الحديقة؟"), "{text}");
    // The words of the question, each with its left edge: a word's letters come out in the
    // order they are drawn, left to right, so each is reversed back.
    let bbox = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], &pdf);
    let words: Vec<(f64, String)> = bbox
        .lines()
        .filter_map(|line| {
            let x: f64 = line
                .split("xMin=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let word = line.split('>').nth(1)?.split('<').next()?;
            Some((x, word.chars().rev().collect()))
        })
        .collect();
    let at = |w: &str| {
        words
            .iter()
            .find(|(_, word)| word == w)
            .unwrap_or_else(|| panic!("no word {w} in {words:?}"))
            .0
    };
    assert!(
        at("متى") > at("الحديقة؟"),
        "the first word of the question is right of its last: {words:?}"
    );
    assert!(
        at("متى") > at("نسقي") && at("نسقي") > at("النعناع"),
        "{words:?}"
    );
}

#[test]
fn a_site_font_is_used_before_the_machines_and_travels_with_the_site() {
    let font = Path::new("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf");
    assert!(
        font.is_file(),
        "fonts-noto-core is not installed: run scripts/test"
    );
    let (_tmp, root) = arabic_site("handout:\n  fonts:\n    - fonts/NotoNaskhArabic-Regular.ttf\n");
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::fs::copy(font, root.join("fonts/NotoNaskhArabic-Regular.ttf")).unwrap();
    let (with_machine, output) = build(&root, "a", false);
    assert!(
        !stderr(&output).contains("missing-glyph"),
        "{}",
        stderr(&output)
    );
    let (without, output) = build(&root, "b", true);
    assert!(
        !stderr(&output).contains("missing-glyph"),
        "{}",
        stderr(&output)
    );
    let pdf = |out: &Path| std::fs::read(out.join("handouts/garden.pdf")).unwrap();
    assert!(fonts_of(&without.join("handouts/garden.pdf")).contains("NotoNaskhArabic"));
    assert_eq!(
        pdf(&with_machine),
        pdf(&without),
        "the site's font, whatever the machine has"
    );
}

#[test]
fn a_missing_site_font_is_an_error_at_its_line() {
    let (_tmp, root) = arabic_site("handout:\n  fonts: [fonts/gone.otf]\n");
    let output = Command::cargo_bin("evident")
        .unwrap()
        .arg("--root")
        .arg(&root)
        .args(["--today", TODAY, "check"])
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(text.contains("evident.yaml:4:11"), "{text}");
    assert!(
        text.contains("the font `fonts/gone.otf` does not exist"),
        "{text}"
    );
}

#[test]
fn latin_pdfs_do_not_depend_on_the_machines_fonts() {
    let (_tmp, root) = site(&[
        ("evident.yaml", "title: Tea garden (fictional)\n"),
        (
            "content/tea.md",
            "---\ntitle: Tea for two\nquestion: How long does green tea steep, café-style?\nsummary: About a minute, in water just off the boil — “gently”.\nreview:\n  status: draft\n---\n\nBody.\n",
        ),
    ]);
    let (a, _) = build(&root, "a", false);
    let (b, _) = build(&root, "b", true);
    let pdf = |out: &Path| std::fs::read(out.join("handouts/tea.pdf")).unwrap();
    assert_eq!(pdf(&a), pdf(&b));
}

#[test]
fn without_a_font_for_a_character_the_pdf_is_written_and_the_character_named() {
    let (_tmp, root) = japanese_site();
    let (out, output) = build(&root, "out", true);
    let text = stderr(&output);
    assert!(
        text.contains("warning[missing-glyph]: no font has a glyph for “緑” (U+7DD1)"),
        "{text}"
    );
    assert!(
        text.contains("content/claims/steep-time.yaml:1:12"),
        "{text}"
    );
    assert!(
        text.contains("content/tea.md:2:8"),
        "the title's first character: {text}"
    );
    assert!(out.join("handouts/tea.pdf").is_file());
}

#[test]
fn an_emoji_in_the_site_title_builds() {
    let (_tmp, root) = site(&[
        ("evident.yaml", "title: Tea garden 🫖 (fictional)\n"),
        (
            "content/tea.md",
            "---\ntitle: Tea for two\nquestion: How long does tea steep?\nreview:\n  status: draft\n---\n\nBody.\n",
        ),
    ]);
    let (out, output) = build(&root, "out", false);
    let pdf = out.join("handouts/tea.pdf");
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    // A machine with an emoji font shows it; one without says where it was left out.
    let warned = stderr(&output).contains("evident.yaml:1:19");
    assert!(
        text.contains('🫖') != warned,
        "shown or warned: {}\n{text}",
        stderr(&output)
    );
}

#[test]
fn control_characters_are_warnings_at_their_place_and_left_out() {
    let (_tmp, root) = site(&[
        ("evident.yaml", "title: \"Tea \\e garden\"\n"),
        (
            "content/tea.md",
            "---\ntitle: Tea for two\u{7}\nquestion: How long does tea steep?\nreview:\n  status: draft\n---\n\nSteep\u{1b}[1m for a minute.\n",
        ),
    ]);
    let (out, output) = build(&root, "out", false);
    let text = stderr(&output);
    assert!(
        text.contains("U+0007 (BEL)") && text.contains("content/tea.md:2:19"),
        "{text}"
    );
    assert!(
        text.contains("U+001B (ESC)") && text.contains("content/tea.md:8:6"),
        "{text}"
    );
    assert!(text.contains("evident.yaml:1:8"), "the escaped ESC: {text}");
    assert!(!text.contains('\u{1b}'), "no raw ESC reaches the terminal");
    let page = std::fs::read_to_string(out.join("tea/index.html")).unwrap();
    assert!(
        !page.contains('\u{7}') && !page.contains('\u{1b}'),
        "{page}"
    );
    assert!(page.contains("Tea for two"));
    assert!(out.join("handouts/tea.pdf").is_file());
}
