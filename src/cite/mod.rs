//! References: a source formatted in the site's citation style (`vancouver`, `ama`, `apa` or a
//! `.csl` file of the site).

mod engine;
mod mend;
mod style;
#[cfg(test)]
mod tests;

pub use engine::format_reference;
pub use style::{SHIPPED, Style, StyleError};
