//! What a handout says about getting help and about who hands it over: the topic's advice on
//! when to get help (front matter `when_to_get_help:` or `contact_us_if:`) and the site's
//! clinic or publisher block (`contact:` in evident.yaml) with its logo.

use std::sync::Arc;

use serde::Serialize;

use super::runs::{Span, spans};
use crate::model::HelpAdvice;
use crate::model::contact::{Contact, ImageKind};

/// The topic's advice on when to get help, printed in a box after the statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutHelp {
    /// The box's heading: "When to get help", or "Contact us if" for `contact_us_if:`.
    pub heading: String,
    /// Each line of advice as styled runs, in order; never empty.
    pub lines: Vec<Vec<Span>>,
}

impl HandoutHelp {
    /// The advice as the handout prints it.
    pub fn of(advice: &HelpAdvice) -> HandoutHelp {
        HandoutHelp {
            heading: advice.heading.clone(),
            lines: advice.lines.iter().map(|l| spans(l)).collect(),
        }
    }
}

/// The clinic or publisher that hands the handout over, printed at the top of its first page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoutContact {
    /// The clinic's or publisher's name.
    pub name: String,
    /// The phone number, as written in evident.yaml; None when not given.
    pub phone: Option<String>,
    /// The clinic's web address; None when not given.
    pub url: Option<String>,
    /// The logo's file name among the PDF's files (`logo.png`, `logo.svg`, `logo.jpg`), for
    /// `image(…)` in `handout.typ`; None when the site has no (readable) logo. `handout.html`
    /// receives the logo as the separate variable `logo_src`, a `data:` URI.
    pub logo: Option<String>,
    /// The logo's text alternative: "Logo of NAME".
    pub logo_alt: String,
    /// The logo's format and bytes, when it has one (not serialised: the PDF gets the file).
    #[serde(skip)]
    pub logo_image: Option<(ImageKind, Arc<[u8]>)>,
}

impl HandoutContact {
    /// The block as the handout prints it.
    pub fn of(contact: &Contact) -> HandoutContact {
        let image = contact
            .logo
            .as_ref()
            .and_then(|l| Some((l.kind, l.bytes.clone()?)));
        HandoutContact {
            name: contact.name.clone(),
            phone: contact.phone.clone(),
            url: contact.url.clone(),
            logo: image
                .as_ref()
                .map(|(kind, _)| format!("logo.{}", kind.extension())),
            logo_alt: format!("Logo of {}", contact.name),
            logo_image: image,
        }
    }

    /// The logo as a `data:` URI for the HTML handout; None without a logo.
    pub fn logo_src(&self) -> Option<String> {
        let (kind, bytes) = self.logo_image.as_ref()?;
        Some(crate::model::contact::data_uri(*kind, bytes))
    }
}
