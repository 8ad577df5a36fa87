//! evident: an evidence-graded knowledge base and static site generator.
