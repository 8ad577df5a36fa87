//! Claim files: any text gives a claim or diagnostics, never a panic; the review block's
//! recorded byte range always lies on character boundaries inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let config = evident::model::config::Config::default();
    let mut diagnostics = evident::diag::Diagnostics::new();
    if let Some(claim) = evident::load::parse_claim(text, "fuzz.yaml", "fuzz", &config, &mut diagnostics) {
        if let Some((start, end)) = claim.review.span {
            assert!(start <= end && end <= text.len());
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        let _ = evident::model::fingerprint::claim(&claim, &Default::default());
    }
    let _ = evident::model::config::Config::parse(text, "evident.yaml", &mut diagnostics);
});
