//! Claim files and the claims checker (see ARCHITECTURE.md).
