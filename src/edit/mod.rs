//! Everything that writes the user's files outside a build: review decisions, imported
//! sources, scaffolded files and the handout `evident handout` makes. Each file is replaced
//! whole, atomically, or created only where none exists, so an edit never leaves a
//! half-written file and never overwrites one by accident.

pub mod file;
pub mod gate;
pub mod handout;
pub mod import;
pub mod review;
pub mod scaffold;
