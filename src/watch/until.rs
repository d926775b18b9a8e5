//! `watch --until COND`: parsing a condition and deciding whether an observation meets it. It
//! fetches and prints nothing.

use std::fmt;

use serde_json::Value;

use crate::field::FieldPath;
use crate::output::{Shape, value_text};

/// `PATH` (it matches something) or `PATH=VALUE` (a matched value's raw text is VALUE).
#[derive(Debug, Clone)]
pub struct Condition {
    path: FieldPath,
    value: Option<String>,
}

impl Condition {
    /// Parses COND; a bad path is a usage error before any request.
    ///
    /// Where the path ends: a shorthand has no `=` of its own, so at the first `=`; a `$`
    /// JSONPath may hold `==`, `!=`, `<=` and `>=` in its filters, so at the last `=` that is
    /// none of these (a VALUE with an `=` then needs a shorthand).
    pub fn parse(text: &str) -> Result<Condition, String> {
        let split = if text.starts_with('$') {
            last_assignment(text)
        } else {
            text.find('=')
        };
        let (path, value) = match split {
            Some(at) => (&text[..at], Some(text[at + 1..].to_string())),
            None => (text, None),
        };
        if path.is_empty() {
            return Err(format!(
                "'{}' has no path before its `=`: write PATH or PATH=VALUE, like status=running",
                crate::text::clip(text)
            ));
        }
        Ok(Condition {
            path: FieldPath::parse(path)?,
            value,
        })
    }

    /// Whether the observation meets the condition. A shorthand is looked for in each item
    /// of a list, and of a document that is a collection: one object member holding an array
    /// of objects (what `get instance/software_attachments` prints); a `$` path in the whole.
    pub(crate) fn holds(&self, value: &Value, shape: Shape) -> bool {
        if self.path.is_jsonpath() {
            return self.any_matches(value);
        }
        match (shape, value) {
            (Shape::List, Value::Array(items)) => items.iter().any(|i| self.any_matches(i)),
            _ => {
                self.any_matches(value)
                    || collection_items(value)
                        .is_some_and(|items| items.iter().any(|i| self.any_matches(i)))
            }
        }
    }

    /// Whether the path picks something in `value` (whose raw text is VALUE, when given).
    fn any_matches(&self, value: &Value) -> bool {
        match self.path.select(value, false) {
            Ok(found) => match &self.value {
                None => true,
                Some(want) => found.iter().any(|v| value_text(v) == want.as_str()),
            },
            Err(_) => false,
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}={v}", self.path),
            None => write!(f, "{}", self.path),
        }
    }
}

/// The position of the last `=` that is not part of `==`, `!=`, `<=` or `>=`.
fn last_assignment(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).rev().find(|&i| {
        bytes[i] == b'='
            && !matches!(
                i.checked_sub(1).map(|p| bytes[p]),
                Some(b'=' | b'!' | b'<' | b'>')
            )
            && bytes.get(i + 1) != Some(&b'=')
    })
}

/// The items of a collection document: its one member that holds an array of objects.
fn collection_items(value: &Value) -> Option<&Vec<Value>> {
    let Value::Object(members) = value else {
        return None;
    };
    let mut arrays = members.values().filter_map(|v| match v {
        Value::Array(items) if items.iter().all(Value::is_object) => Some(items),
        _ => None,
    });
    match (arrays.next(), arrays.next()) {
        (Some(items), None) => Some(items),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(cond: &str, value: Value, shape: Shape) -> bool {
        Condition::parse(cond).unwrap().holds(&value, shape)
    }

    #[test]
    fn path_and_value_are_split_where_the_path_ends() {
        let c = Condition::parse("status=running").unwrap();
        assert_eq!(
            (c.path.text.as_str(), c.value.as_deref()),
            ("status", Some("running"))
        );
        let c = Condition::parse("user_data=a=b").unwrap();
        assert_eq!(
            (c.path.text.as_str(), c.value.as_deref()),
            ("user_data", Some("a=b"))
        );
        let c = Condition::parse("$.keys[?@.name=='a'].type=rsa").unwrap();
        assert_eq!(c.path.text, "$.keys[?@.name=='a'].type");
        assert_eq!(c.value.as_deref(), Some("rsa"));
        let c = Condition::parse("$.keys[?@.n>=2]").unwrap();
        assert_eq!(c.value, None);
        let c = Condition::parse("status=").unwrap();
        assert_eq!(c.value.as_deref(), Some(""));
        assert!(Condition::parse("=x").is_err());
        assert!(Condition::parse("a..b").is_err());
        assert!(Condition::parse("$[").is_err());
    }

    #[test]
    fn a_condition_holds_on_a_document_a_list_or_a_collection() {
        let doc = json!({"status": "running", "vcpu": {"count": 2}});
        assert!(holds("status", doc.clone(), Shape::Document));
        assert!(holds("status=running", doc.clone(), Shape::Document));
        assert!(!holds("status=stopped", doc.clone(), Shape::Document));
        assert!(holds("vcpu.count=2", doc.clone(), Shape::Document));
        assert!(!holds("missing", doc.clone(), Shape::Document));
        let list = json!([{"id": "a"}, {"id": "b", "state": "stable"}]);
        assert!(holds("state=stable", list.clone(), Shape::List));
        assert!(!holds("state=pending", list.clone(), Shape::List));
        assert!(holds("$[1].id=b", list, Shape::List));
        let page = json!({"software_attachments": [
            {"id": "a", "lifecycle_state": "pending"},
            {"id": "b", "lifecycle_state": "stable"}]});
        assert!(holds(
            "lifecycle_state=stable",
            page.clone(),
            Shape::Document
        ));
        assert!(!holds("lifecycle_state=failed", page, Shape::Document));
        let two = json!({"a": [{"x": 1}], "b": [{"x": 1}]});
        assert!(!holds("x", two, Shape::Document));
    }
}
