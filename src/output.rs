//! The output stage: pretty/colour/compact JSON, field picking, raw text, separators. Renders
//! into memory so that a failure half-way prints nothing.

/// A parsed `--field` path: a `$` JSONPath over the whole document, or a shorthand applied to
/// each item of a list.
#[derive(Debug, Clone)]
pub struct FieldPath {
    pub text: String,
}

impl FieldPath {
    /// Parses a `--field` value; an invalid path is a usage error.
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        Ok(FieldPath {
            text: text.to_string(),
        })
    }
}
