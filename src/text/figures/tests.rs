//! Tests of the figures lexer and of the checks on the numbers it finds.

use super::*;
use proptest::prelude::*;

fn ev<'a>(quotes: &[&'a str], numbers: &[f64], derived: &[&'a str]) -> Evidence<'a> {
    Evidence {
        quotes: quotes.to_vec(),
        numbers: numbers.to_vec(),
        derived: derived.to_vec(),
    }
}

/// The flagged figures' texts.
fn flagged(text: &str, evidence: &Evidence) -> Vec<String> {
    unsupported(text, evidence)
        .into_iter()
        .map(|f| f.text)
        .collect()
}

/// `(kind, normal form)` of each figure.
fn norm(text: &str) -> Vec<(FigureKind, String)> {
    parse(text)
        .into_iter()
        .map(|f| (f.figure.kind, f.key.to_string()))
        .collect()
}

fn texts(text: &str) -> Vec<String> {
    extract(text).into_iter().map(|f| f.text).collect()
}

const SEEMA: &str = "Relactation attempt was successful in 49 mothers (98 per cent), with \
        complete relactation in 46 (92 per cent) and only partial relactation in three mothers \
        (6 per cent).";
const SEEMA_NIPPLES: &str = "small/retracted nipples (8 per cent) and sore/fissured nipples \
        (4 per cent)";
const SEEMA_74: &str = "nipple confusion/frustration (74 per cent)";
const BOSE: &str = "Mothers reached their maximum potential for milk production in varying \
        periods of time (eight to 58 days).";
const WAN: &str = "mean RID 0.012% (30 mg/day) and 0.009% (60 mg/day)";

use FigureKind::*;

// --- The examples DESIGN §2 requires -------------------------------------------------------

#[test]
fn design_must_pass() {
    assert!(flagged("98%", &ev(&["(98 per cent)"], &[], &[])).is_empty());
    assert!(flagged("8 to 58 days", &ev(&["(eight to 58 days)"], &[], &[])).is_empty());
    assert!(flagged("n=50", &ev(&[], &[50.0], &[])).is_empty());
}

#[test]
fn design_must_flag() {
    assert_eq!(flagged("97%", &ev(&["98 per cent"], &[], &[])), ["97%"]);
    assert_eq!(flagged("4%", &ev(&["(74 per cent)"], &[], &[])), ["4%"]);
    assert_eq!(flagged("0.35%", &ev(&["0.012%"], &[], &[])), ["0.35%"]);
}

// --- Real quotes, correctly reworded: no false alarm ----------------------------------------

#[test]
fn reworded_seema_trial_passes() {
    let e = ev(&[SEEMA], &[50.0, 1997.0], &[]);
    for statement in [
        "In a trial of 50 mothers of hospitalised infants, 98% relactated and 92% relactated completely.",
        "Randomised trial, n=50; relactation 98%, complete relactation 92% (abstract).",
        "Almost all mothers in one study (49 of 50) made milk again; most fully breastfed again.",
        "49 of 50 mothers (98 %) relactated; 46 (92 percent) fully, three (6\u{a0}%) partially.",
        "Partial relactation: 3 mothers, 6 per cent. Published in 1997.",
        "Relactation succeeded in **98%** of mothers ([abstract](https://pubmed.ncbi.nlm.nih.gov/9283123/)).",
    ] {
        assert!(
            flagged(statement, &e).is_empty(),
            "{statement}: {:?}",
            flagged(statement, &e)
        );
    }
}

#[test]
fn reworded_nipple_problems_pass_and_74_is_not_4() {
    let e = ev(&[SEEMA_NIPPLES], &[50.0], &[]);
    assert!(flagged("Small or retracted nipples affected 8% of mothers.", &e).is_empty());
    assert!(flagged("Sore or fissured nipples: 4 %.", &e).is_empty());
    let e74 = ev(&[SEEMA_74], &[50.0], &[]);
    assert_eq!(
        flagged("Nipple confusion affected 4% of mothers.", &e74),
        ["4%"]
    );
    assert!(flagged("Nipple confusion affected 74% of mothers.", &e74).is_empty());
}

#[test]
fn reworded_bose_series_passes() {
    let e = ev(&[BOSE], &[7.0, 1981.0], &[]);
    for statement in [
        "Time to maximum milk production ranged from 8 to 58 days.",
        "Mothers took 8–58 days to reach full production (n=7).",
        "Between eight and 58 days, in a series of 7 mothers (1981).",
        "Up to 58 days.",
    ] {
        assert!(
            flagged(statement, &e).is_empty(),
            "{statement}: {:?}",
            flagged(statement, &e)
        );
    }
    // A changed end or an end alone where a span is claimed is flagged.
    assert_eq!(flagged("8 to 60 days", &e), ["8 to 60"]);
    assert_eq!(flagged("in 5 to 58 days", &e), ["5 to 58"]);
}

#[test]
fn reworded_wan_passes_and_unverified_range_is_flagged() {
    let e = ev(&[WAN], &[6.0, 2008.0], &[]);
    assert!(
        flagged(
            "Mean RID was 0.012% at 30 mg/day and 0.009% at 60 mg/day (n=6).",
            &e
        )
        .is_empty()
    );
    assert_eq!(
        flagged(
            "Relative infant dose 0.01–0.35%, well below the 10% threshold.",
            &e
        ),
        ["0.01–0.35%", "10%"]
    );
    assert_eq!(flagged("RID up to 0.35%", &e), ["0.35%"]);
}

// --- Extraction ---------------------------------------------------------------------------

#[test]
fn kinds_and_spans() {
    let s = "In 49 of 50 mothers (98 per cent), n = 50, 8–58 days, 0.01-0.35 % and 1,000.";
    let figs = extract(s);
    let got: Vec<_> = figs.iter().map(|f| (f.kind, f.text.as_str())).collect();
    assert_eq!(
        got,
        [
            (Ratio, "49 of 50"),
            (Percent, "98 per cent"),
            (SampleSize, "n = 50"),
            (Range, "8–58"),
            (Range, "0.01-0.35 %"),
            (Number, "1,000"),
        ]
    );
    for f in &figs {
        assert_eq!(&s[f.start..f.end], f.text);
    }
}

#[test]
fn percent_forms_normalise() {
    for s in [
        "98%",
        "98 %",
        "98\u{a0}%",
        "98\u{2009}%",
        "98\u{202f}%",
        "98 per cent",
        "98 Per Cent",
        "98 percent",
        "98 per-cent",
        "98.0%",
        "98％",
    ] {
        assert_eq!(norm(s), [(Percent, "98%".to_owned())], "{s}");
    }
    assert_eq!(norm("5 percentage points"), [(Number, "5".to_owned())]);
    assert_eq!(norm("98 per capita"), [(Number, "98".to_owned())]);
}

#[test]
fn range_forms_normalise() {
    for s in [
        "8 to 58",
        "8-58",
        "8–58",
        "8 – 58",
        "8 — 58",
        "8\u{2212}58",
        "eight to 58",
        "Eight to fifty-eight",
        "between 8 and 58",
    ] {
        assert_eq!(norm(s), [(Range, "8–58".to_owned())], "{s}");
    }
    for s in [
        "0.01-0.35%",
        "0.01–0.35 %",
        "0.01%–0.35%",
        "0.01 to 0.35 per cent",
    ] {
        assert_eq!(norm(s), [(Range, "0.01–0.35%".to_owned())], "{s}");
    }
    assert_eq!(norm("2 to 3 days"), [(Range, "2–3".to_owned())]);
    // Not ranges: a decrease, a page range, a bare "and".
    assert_eq!(
        norm("fell from 50 to 25"),
        [(Number, "50".into()), (Number, "25".into())]
    );
    assert_eq!(
        norm("8 and 58"),
        [(Number, "8".into()), (Number, "58".into())]
    );
}

#[test]
fn ratios_and_sample_sizes() {
    assert_eq!(norm("1 in 10"), [(Ratio, "1/10".to_owned())]);
    assert_eq!(norm("one in ten"), [(Ratio, "1/10".to_owned())]);
    assert_eq!(norm("49 out of 50"), [(Ratio, "49/50".to_owned())]);
    assert_eq!(norm("46/50"), [(Ratio, "46/50".to_owned())]);
    assert_eq!(norm("1:10"), [(Ratio, "1/10".to_owned())]);
    assert_eq!(
        norm("46 / 50"),
        [(Number, "46".into()), (Number, "50".into())]
    );
    for s in ["n=366", "N=366", "n = 366", "(n=366)"] {
        assert_eq!(norm(s), [(SampleSize, "n=366".to_owned())], "{s}");
    }
    assert_eq!(norm("in=5"), [(Number, "5".to_owned())]);
}

#[test]
fn thousands_and_decimal_commas() {
    assert_eq!(norm("1,000"), [(Number, "1000".to_owned())]);
    assert_eq!(norm("10,000"), [(Number, "10000".to_owned())]);
    assert_eq!(norm("1,234,567.50"), [(Number, "1234567.5".to_owned())]);
    assert_eq!(norm("10\u{2009}000"), [(Number, "10000".to_owned())]);
    assert_eq!(norm("10\u{a0}000"), [(Number, "10000".to_owned())]);
    assert_eq!(norm("0,35 %"), [(Percent, "0.35%".to_owned())]);
    assert_eq!(norm("0,012"), [(Number, "0.012".to_owned())]);
    assert_eq!(norm("12,5"), [(Number, "12.5".to_owned())]);
    assert_eq!(norm("1234,567"), [(Number, "1234.567".to_owned())]);
    assert_eq!(norm("007"), [(Number, "7".to_owned())]);
    assert_eq!(norm(".5"), [(Number, "0.5".to_owned())]);
    // An ordinary space does not group thousands; a comma list is still read as a list.
    assert_eq!(
        norm("10 000"),
        [(Number, "10".into()), (Number, "0".into())]
    );
    assert_eq!(
        norm("49, 46 and 3"),
        [
            (Number, "49".into()),
            (Number, "46".into()),
            (Number, "3".into())
        ]
    );
    // Matching across the forms.
    let e = ev(&["a total of 10,000 infants and 0,35 per cent"], &[], &[]);
    assert!(flagged("10000 infants, 0.35%", &e).is_empty());
    assert_eq!(
        flagged("10 000 infants", &ev(&["10,000"], &[], &[])),
        ["10", "000"]
    );
}

#[test]
fn number_words() {
    assert_eq!(norm("Twelve mothers"), [(Number, "12".to_owned())]);
    assert_eq!(norm("twenty-five"), [(Number, "25".to_owned())]);
    assert_eq!(norm("twenty five"), [(Number, "25".to_owned())]);
    assert_eq!(norm("ninety"), [(Number, "90".to_owned())]);
    for s in [
        "often",
        "weight",
        "someone",
        "tonight",
        "eighteenth",
        "none",
        "Tennessee",
        "twentysix",
    ] {
        assert!(extract(s).is_empty(), "{s}");
    }
    // "one-to-one" is no range, and "one" alone is never flagged in a statement.
    assert_eq!(
        norm("one-to-one"),
        [(Number, "1".into()), (Number, "1".into())]
    );
    let none = ev(&[], &[], &[]);
    assert!(flagged("In one study, one-to-one support helped.", &none).is_empty());
    assert_eq!(flagged("Two trials found it.", &none), ["Two"]);
    assert!(flagged("Two trials found it.", &ev(&[], &[], &["two"])).is_empty());
    assert!(flagged("3 mothers", &ev(&[SEEMA], &[], &[])).is_empty());
}

#[test]
fn identifiers_and_markup_are_not_figures() {
    for s in [
        "WHO/CHS/CAH/98.14",
        "COVID-19",
        "SARS-CoV-2",
        "IL-6",
        "H2 blockers",
        "CYP2D6",
        "vitamin B12",
        "pmid9283123",
        "[@pmid9283123, p. 3]",
        "a claim[^1]",
        "as shown [12]",
        "as shown [1, 2] and [3-5]",
        "[a link](https://example.org/42?x=7)",
        "see https://pubmed.ncbi.nlm.nih.gov/7354969/ today",
        "doi:10.1093/tropej/43.4.213",
        "the 3rd trimester, 1st-line, 21st",
        "on 2025-10-29 or 29/10/2025 at 10:30:00",
        "version 1.2.3",
        "1. First item",
        "2) Second",
        "",
        "   ",
    ] {
        assert!(extract(s).is_empty(), "{s}: {:?}", extract(s));
    }
    // Lowercase words before a hyphen or slash are not codes; link text is prose.
    assert_eq!(texts("mid-2020"), ["2020"]);
    assert_eq!(texts("day 3, Type 2"), ["3", "2"]);
    assert_eq!(texts("[98 mothers](https://x.org/1)"), ["98"]);
    assert_eq!(texts("30mg twice"), ["30"]);
    assert_eq!(texts("−2 SD"), ["2"]);
    assert_eq!(texts("10^6 cells"), ["10"]);
    assert_eq!(
        texts("5-HT3 and 2-PAM, not a 3-Day or 10-fold"),
        ["3", "10"]
    );
    assert_eq!(texts("Grade A-1, Day-3"), ["3"]);
    assert_eq!(texts("refs 1,2,3"), ["1", "2", "3"]);
    assert_eq!(texts("Item 1. First"), ["1"]);
}

#[test]
fn confidence_level_is_not_a_figure() {
    assert_eq!(
        norm("92% (95% CI 81.2–96.8%)"),
        [
            (Percent, "92%".to_owned()),
            (Range, "81.2–96.8%".to_owned())
        ]
    );
    assert!(norm("95 % confidence interval").is_empty());
}

#[test]
fn number_boundaries() {
    let e = ev(
        &["in 58 mothers, 8.5 ml, 1980, 0.012% and 74 per cent"],
        &[],
        &[],
    );
    assert_eq!(flagged("8 mothers", &e), ["8"]);
    assert_eq!(flagged("4%", &e), ["4%"]);
    assert_eq!(flagged("198", &e), ["198"]);
    assert_eq!(flagged("0.01%", &e), ["0.01%"]);
    assert!(flagged("58, 8.5, 1980, 0.012 %, 74%", &e).is_empty());
}

#[test]
fn percent_and_number_do_not_cross() {
    let e = ev(&["98 per cent of 50 mothers"], &[], &[]);
    assert_eq!(flagged("98 mothers and 50%", &e), ["98", "50%"]);
}

#[test]
fn ratio_support() {
    let none = ev(&[], &[], &[]);
    assert!(flagged("1 in 10", &ev(&["one in ten infants"], &[], &[])).is_empty());
    assert!(flagged("49 of 50", &ev(&[SEEMA], &[50.0], &[])).is_empty());
    assert_eq!(
        flagged("46 of 50 mothers", &ev(&[SEEMA], &[], &[])),
        ["46 of 50"]
    );
    assert_eq!(flagged("1 in 10", &none), ["1 in 10"]);
    // Each side may come from a different quote of the claim.
    assert!(flagged("46/50", &ev(&[SEEMA, "a trial of 50 mothers"], &[], &[])).is_empty());
}

#[test]
fn sample_size_support() {
    assert!(flagged("n=50", &ev(&["50 mothers were enrolled"], &[], &[])).is_empty());
    assert!(flagged("n = 7", &ev(&["(n=7)"], &[], &[])).is_empty());
    assert_eq!(flagged("N=366", &ev(&[SEEMA], &[50.0], &[])), ["N=366"]);
    // A quoted sample size backs the plain number too.
    assert!(flagged("366 women", &ev(&["a survey (n=366)"], &[], &[])).is_empty());
}

#[test]
fn evidence_numbers_back_plain_numbers_only() {
    let e = ev(&[], &[50.0, 1997.0], &[]);
    assert!(flagged("A 1997 trial of 50 mothers", &e).is_empty());
    assert_eq!(flagged("50%", &e), ["50%"]);
    assert_eq!(flagged("1998", &e), ["1998"]);
}

#[test]
fn derived_figures() {
    let e = ev(&[SEEMA], &[], &["81.2-96.8%"]);
    assert!(flagged("92% (95% CI 81.2–96.8 %)", &e).is_empty());
    assert_eq!(flagged("up to 96.8%", &e), ["96.8%"]);
    assert_eq!(flagged("81.2–96.9%", &e), ["81.2–96.9%"]);
}

#[test]
fn multiple_quotes() {
    let e = ev(&[SEEMA, BOSE, WAN], &[], &[]);
    assert!(flagged("98%, 8–58 days and 0.009%", &e).is_empty());
    assert_eq!(flagged("98%, 8–59 days and 0.09%", &e), ["8–59", "0.09%"]);
}

#[test]
fn unicode_text() {
    let s = "Étude: 12 % des mères — soit 6 femmes — ont eu 0,5 mg/jour; naïve 3\u{2009}%.";
    assert_eq!(texts(s), ["12 %", "6", "0,5", "3\u{2009}%"]);
    let e = ev(&["résultat: 12 per cent (6 mères), 0.5 mg, 3%"], &[], &[]);
    assert!(flagged(s, &e).is_empty());
    assert_eq!(norm("l’âge 5–8 ans"), [(Range, "5–8".to_owned())]);
}

#[test]
fn empty_inputs() {
    let none = Evidence::default();
    assert!(extract("").is_empty());
    assert!(unsupported("", &none).is_empty());
    assert!(unsupported("no figures here", &ev(&[""], &[], &[""])).is_empty());
    assert_eq!(flagged("98%", &none), ["98%"]);
    assert_eq!(flagged("98%", &ev(&[""], &[], &[""])), ["98%"]);
}

#[test]
fn normalized_form() {
    let f = &extract("(eight to 58 days)")[0];
    assert_eq!(f.normalized(), "8–58");
    assert_eq!(extract("0,35 per cent")[0].normalized(), "0.35%");
    assert_eq!(extract("N = 50")[0].normalized(), "n=50");
}

#[test]
fn long_and_hostile_inputs_finish() {
    let long = "In 49 of 50 (98 per cent), 8–58 days, n=50, COVID-19. ".repeat(20_000);
    assert_eq!(extract(&long).len(), 80_000);
    for hostile in [
        "](".repeat(50_000),
        "[@".repeat(50_000),
        "A-".repeat(50_000),
    ] {
        let _ = extract(&hostile);
        let _ = unsupported(&hostile, &ev(&[&hostile], &[], &[]));
    }
}

fn check_spans(text: &str) {
    for f in extract(text) {
        assert!(f.start <= f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert_eq!(&text[f.start..f.end], f.text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_any_string(text in any::<String>(), quote in any::<String>()) {
        check_spans(&text);
        let _ = unsupported(&text, &ev(&[&quote], &[50.0, f64::NAN], &[&quote]));
    }

    #[test]
    fn never_panics_on_figure_like_text(
        text in "[0-9 .,%\\-–—/:=\\[\\]()^@nNa-z\u{a0}\u{2009}éü]{0,60}",
        quote in "[0-9 .,%\\-–/=a-z\u{a0}]{0,60}",
    ) {
        check_spans(&text);
        let figs = unsupported(&text, &ev(&[&quote], &[], &[]));
        // Flagged figures are figures of the text.
        let all = extract(&text);
        prop_assert!(figs.iter().all(|f| all.contains(f)));
        // A text always supports its own figures.
        prop_assert!(unsupported(&text, &ev(&[&text], &[], &[])).is_empty());
    }
}
