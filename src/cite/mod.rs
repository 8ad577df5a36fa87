//! References: a source formatted in the site's citation style (`vancouver`, `ama`, `apa` or a
//! `.csl` file of the site).

mod format;
mod style;
#[cfg(test)]
mod tests;

pub use style::{Style, format_reference};
