//! The admin-consent link as a QR code, so an admin can open it on their phone or another
//! computer. Rendered as SVG text; the window shows it in an `<img>` (a `data:` URI), where an SVG
//! cannot run scripts.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG document encoding `text`, with a light quiet zone and a fixed minimum size.
pub fn svg(text: &str) -> Result<String, qrcode::types::QrError> {
    // Medium error correction: the links are long (several hundred characters), and the code
    // is read from a screen, not from worn paper.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_admin_consent_link_fits_in_an_svg() {
        let link = format!(
            "http://127.0.0.1:4321/tailspin-talent.example/v2.0/adminconsent?client_id=6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69&scope={}&redirect_uri=http%3A%2F%2Flocalhost",
            "https%3A%2F%2Fgraph.microsoft.com%2FMail.Send+".repeat(8)
        );
        let svg = svg(&link).unwrap_or_default();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<script"));
    }
}
