//! The QR code printed on a handout: the live topic page's URL, as an SVG drawn from vectors
//! (sharp at any print size; no image library, no network).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG document encoding `url`, or None when it is too long for a QR code.
///
/// Error correction M (15%) survives a creased or smudged sheet without making the code so
/// dense that an older phone camera struggles at a few centimetres.
pub fn svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(4, 4)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// The same SVG without its XML declaration, for inlining in HTML.
pub fn inline(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_url_as_svg() {
        let s = svg("https://example.org/relactation/").expect("short URLs encode");
        assert!(s.starts_with("<?xml"));
        assert!(inline(&s).starts_with("<svg"));
        assert!(inline(&s).contains("<path"));
        // The same input gives the same drawing.
        assert_eq!(Some(s), svg("https://example.org/relactation/"));
    }

    #[test]
    fn too_long_is_none_not_a_panic() {
        assert_eq!(svg(&"x".repeat(5000)), None);
    }
}
