//! The output stage (docs/ARCHITECTURE.md §3): the document as pretty, compact or coloured JSON, or
//! the values `--field` and `--shell` paths pick from it: raw text in columns, NUL-ended values, or
//! shell assignments.
//!
//! It renders into memory and owns no terminal logic: whether to colour is decided by the
//! settings and passed in. What a `--field` path picks is [`crate::field`]'s business.

use std::borrow::Cow;
use std::io::Write;

use colored_json::{ColoredFormatter, CompactFormatter, PrettyFormatter, Styler};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::Value;
use serde_json::ser::Formatter;

use crate::error::Error;
use crate::field::FieldPath;
use crate::shell::{self, ShellVar};
use crate::text::clip;
use crate::tsv;

/// Indentation of pretty-printed JSON.
const INDENT: &[u8] = b"  ";
/// Separates the columns of several `--field`s on one line.
const COLUMN_SEPARATOR: &[u8] = b"\t";
/// Ends a line of picked values.
const LINE_END: &[u8] = b"\n";
/// Ends every picked value with `--null`.
const NUL_END: &[u8] = b"\0";
/// How the output is to look, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// `--field` paths, in the order given; empty prints the whole document.
    pub fields: Vec<FieldPath>,
    /// `--compact`: JSON on one line.
    pub compact: bool,
    /// `--null`: end every picked value with NUL, with no column separators.
    pub null: bool,
    /// `--shell NAME=PATH`s, in the order given (never with `fields`).
    pub shell: Vec<ShellVar>,
    /// `--default TEXT`: what a path that matches nothing gives.
    pub default: Option<String>,
    /// Colour the JSON document (never picked values).
    pub color: bool,
}

/// What the value passed to [`render`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape<'a> {
    /// One document (`imds instance`, `imds keys ID`).
    Document,
    /// A JSON array of the items from every page (`imds keys`); shorthands apply to each item.
    List,
    /// A collection as the service shapes it (`imds get keys`): its items in the array under
    /// `key`, next to page fields. Shorthands apply to each item, as on a list; a `$` path, and
    /// the JSON printed without `--field`, see the whole document.
    Collection { key: &'a str },
}

impl Shape<'_> {
    /// What `path` is applied to in `value`, and whether to each of its items: a shorthand to
    /// every item of a list or collection, a `$` path to the whole value.
    fn scope<'v>(self, value: &'v Value, path: &FieldPath) -> (&'v Value, bool) {
        match self {
            Shape::Document => (value, false),
            Shape::List => (value, true),
            Shape::Collection { .. } if path.is_jsonpath() => (value, false),
            Shape::Collection { key } => match value.get(key) {
                Some(items @ Value::Array(_)) => (items, true),
                _ => (value, false),
            },
        }
    }
}

/// Writes `value` as `opts` asks: the whole document as JSON, or the picked values.
///
/// On error `out` is left as it was.
pub fn render(
    value: &Value,
    shape: Shape,
    opts: &OutputOptions,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let default = opts.default.clone().map(Value::String);
    if !opts.shell.is_empty() {
        write_shell(value, shape, &opts.shell, default.as_ref(), out)
    } else if opts.fields.is_empty() {
        write_document(value, opts, out)
    } else {
        let columns = opts
            .fields
            .iter()
            .map(|field| {
                let (scope, each_item) = shape.scope(value, field);
                field.select_or(scope, each_item, default.as_ref())
            })
            .collect::<Result<Vec<_>, _>>()?;
        write_columns(&opts.fields, &columns, opts.null, out)
    }
}

/// `NAME='value'` lines: each variable holds its path's values, one per line.
///
/// A variable holds one value only for a shorthand on one document; on a list, or with a `$`
/// path, it holds as many as there are items or matches, so a value holding a newline would
/// read as two and is refused.
fn write_shell(
    value: &Value,
    shape: Shape,
    vars: &[ShellVar],
    default: Option<&Value>,
    out: &mut impl Write,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    for var in vars {
        let (scope, each_item) = shape.scope(value, &var.path);
        let values = var.path.select_or(scope, each_item, default)?;
        let texts: Vec<Cow<str>> = values.into_iter().map(value_text).collect();
        if each_item || var.path.is_jsonpath() {
            let which = if var.path.is_jsonpath() {
                "match"
            } else {
                "item"
            };
            if let Some(i) = texts.iter().position(|t| t.contains('\n')) {
                return Err(Error::other(format!(
                    "--shell {}: the value of {which} {i} holds a newline, which separates one \
                     value from the next",
                    clip(&var.to_string())
                ))
                .with_hint("pick this field with --field and -0, which ends each value with NUL"));
            }
        }
        shell::assign(&mut buf, &var.name, &texts.join("\n")).map_err(|_| {
            Error::other(format!(
                "--shell {}: the value holds a NUL character, which a shell variable \
                     cannot hold",
                clip(&var.to_string())
            ))
            .with_hint("pick this field with --field instead, which prints it as it is")
        })?;
    }
    write_out(out, &buf)
}

/// The whole document: pretty (2-space indent) or compact, coloured only when asked.
fn write_document(value: &Value, opts: &OutputOptions, out: &mut Vec<u8>) -> Result<(), Error> {
    write_json(opts, out, value)
}

/// Whether [`render_list`] can print a list as it arrives: the whole list as JSON, nothing
/// picked from it.
pub fn streams(opts: &OutputOptions) -> bool {
    opts.fields.is_empty() && opts.shell.is_empty()
}

/// Takes each item of a list for the output, in order.
pub type ItemSink<'a> = dyn FnMut(Value) -> Result<(), Error> + 'a;

/// A list as a JSON array written item by item while `produce` hands the items over, page by
/// page as they arrive, so that no more than one page need be held in memory. The same bytes
/// as [`render`] of the whole array with [`Shape::List`]. On error `out` is left as it was.
pub fn render_list(
    opts: &OutputOptions,
    out: &mut Vec<u8>,
    produce: impl FnOnce(&mut ItemSink) -> Result<(), Error>,
) -> Result<(), Error> {
    write_json(opts, out, Items(produce))
}

/// JSON in the output's layout and colours: pretty (2-space indent) or compact, coloured only
/// when asked, then a newline. On error `out` is left as it was.
fn write_json(opts: &OutputOptions, out: &mut Vec<u8>, json: impl Json) -> Result<(), Error> {
    let start = out.len();
    // The formatters `colored_json::ColoredFormatter::write_colored_json` would use: with colour
    // the coloured formatter around the layout's, without it the layout's alone (its `Auto` mode
    // looks at the real stdout, DESIGN §7), so both share the layout.
    let result = match (opts.compact, opts.color) {
        (false, false) => json.write(PrettyFormatter::with_indent(INDENT), out),
        (false, true) => json.write(styled(PrettyFormatter::with_indent(INDENT)), out),
        (true, false) => json.write(CompactFormatter, out),
        (true, true) => json.write(styled(CompactFormatter), out),
    };
    match result {
        Ok(()) => {
            out.extend_from_slice(LINE_END);
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// The colours around a layout. Whether to colour is decided (the plan), so yansi, which paints
/// for colored_json, paints on every system: on Windows its switch would otherwise be off
/// wherever stdout is no console.
fn styled<F: Formatter>(layout: F) -> ColoredFormatter<F> {
    yansi::enable();
    ColoredFormatter::with_styler(layout, Styler::default())
}

/// What [`write_json`] writes, through whichever formatter the options pick.
trait Json {
    fn write<F: Formatter>(self, formatter: F, out: &mut Vec<u8>) -> Result<(), Error>;
}

impl Json for &Value {
    fn write<F: Formatter>(self, formatter: F, out: &mut Vec<u8>) -> Result<(), Error> {
        let mut ser = serde_json::Serializer::with_formatter(out, formatter);
        self.serialize(&mut ser).map_err(format_error)
    }
}

/// A list whose items `produce` hands over one at a time; each is written, then dropped.
struct Items<P>(P);

impl<P> Json for Items<P>
where
    P: FnOnce(&mut ItemSink) -> Result<(), Error>,
{
    fn write<F: Formatter>(self, formatter: F, out: &mut Vec<u8>) -> Result<(), Error> {
        let mut ser = serde_json::Serializer::with_formatter(out, formatter);
        let mut seq = ser.serialize_seq(None).map_err(format_error)?;
        (self.0)(&mut |item| seq.serialize_element(&item).map_err(format_error))?;
        seq.end().map_err(format_error)
    }
}

fn format_error(e: serde_json::Error) -> Error {
    Error::other(format!("cannot format the document: {e}"))
}

/// Joins the i-th values of every column with a tab, one line per i.
fn write_columns(
    fields: &[FieldPath],
    columns: &[Vec<&Value>],
    null: bool,
    out: &mut impl Write,
) -> Result<(), Error> {
    let rows = columns.first().map_or(0, Vec::len);
    if columns.iter().any(|c| c.len() != rows) {
        let counts: Vec<String> = fields
            .iter()
            .zip(columns)
            .map(|(f, c)| format!("'{}' has {}", clip(&f.to_string()), c.len()))
            .collect();
        return Err(Error::other(format!(
            "the fields give different numbers of values: {}",
            counts.join(", ")
        ))
        .with_hint("give fields that pick one value each per line, or one --field at a time"));
    }
    // -0: every value raw and ended by NUL. One column: raw lines, as `jq -r`. Several: values
    // escaped as jq's @tsv, so a tab or newline inside one cannot shift the columns after it.
    let escape = columns.len() > 1 && !null;
    let mut buf = Vec::new();
    for row in 0..rows {
        for (i, column) in columns.iter().enumerate() {
            let text = value_text(column[row]);
            if null && text.contains('\0') {
                // A NUL inside would read as the end of this value and the start of another
                // (jq's --raw-output0 refuses it too).
                return Err(Error::other(format!(
                    "--field {}: a value holds a NUL character, which -0 puts after each value",
                    clip(&fields[i].to_string())
                ))
                .with_hint("leave out -0: with one --field the value prints as it is"));
            }
            if null {
                buf.extend_from_slice(text.as_bytes());
                buf.extend_from_slice(NUL_END);
                continue;
            }
            if i > 0 {
                buf.extend_from_slice(COLUMN_SEPARATOR);
            }
            if escape {
                buf.extend_from_slice(tsv::escape(&text).as_bytes());
            } else {
                buf.extend_from_slice(text.as_bytes());
            }
        }
        if !null {
            buf.extend_from_slice(LINE_END);
        }
    }
    write_out(out, &buf)
}

/// A picked value as text: a string raw (like `jq -r`), anything else as compact JSON.
pub(crate) fn value_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

fn write_out(out: &mut impl Write, bytes: &[u8]) -> Result<(), Error> {
    out.write_all(bytes)
        .map_err(|e| Error::other(format!("cannot write the output: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
    use crate::field::{HINT_DEFAULT, HINT_PICK_KEY, HINT_WHOLE_DOCUMENT, MAX_KEYS_LISTED};
    use serde_json::json;

    fn opts(fields: &[&str]) -> OutputOptions {
        OutputOptions {
            fields: fields
                .iter()
                .map(|f| FieldPath::parse(f).unwrap())
                .collect(),
            ..OutputOptions::default()
        }
    }

    fn render_with(value: &Value, shape: Shape, opts: &OutputOptions) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        let result = render(value, shape, opts, &mut out);
        if result.is_err() {
            assert!(out.is_empty(), "output written before an error");
        }
        result.map(|()| out)
    }

    fn text(value: &Value, shape: Shape, fields: &[&str]) -> String {
        String::from_utf8(render_with(value, shape, &opts(fields)).unwrap()).unwrap()
    }

    fn error(value: &Value, shape: Shape, fields: &[&str]) -> Error {
        render_with(value, shape, &opts(fields)).unwrap_err()
    }

    fn keys() -> Value {
        json!([
            {"created_at": "2024-01-01T00:00:00Z", "crn": "crn:v1:a", "fingerprint": "SHA256:aa",
             "id": "r006-1", "length": 2048, "name": "alice", "public_key": "ssh-rsa AAAA alice",
             "type": "rsa"},
            {"created_at": "2024-01-02T00:00:00Z", "crn": "crn:v1:b", "fingerprint": "SHA256:bb",
             "id": "r006-2", "length": 256, "name": "bob", "public_key": "ssh-ed25519 BBBB bob",
             "type": "ed25519"},
            {"created_at": "2024-01-03T00:00:00Z", "crn": "crn:v1:c", "fingerprint": "SHA256:cc",
             "id": "r006-3", "length": 4096, "name": "carol", "public_key": "ssh-rsa CCCC carol",
             "type": "rsa"}
        ])
    }

    fn instance() -> Value {
        json!({
            "id": "0717_1e09281b",
            "name": "my-instance",
            "vcpu": {"architecture": "amd64", "count": 2, "manufacturer": "intel"},
            "zone": {"name": "us-south-1"},
            "network_interfaces": [
                {"id": "n1", "name": "eth0", "subnet": {"name": "subnet-a"}},
                {"id": "n2", "name": "eth1", "subnet": {"name": "subnet-b"}}
            ],
            "disks": [],
            "metadata_service": null,
            "tags": {}
        })
    }

    // ---- the whole document ----

    #[test]
    fn document_is_pretty_with_two_space_indent_and_newline() {
        let v = json!({"a": 1, "b": [true, null], "c": {"d": "x"}});
        assert_eq!(
            text(&v, Shape::Document, &[]),
            "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {\n    \"d\": \"x\"\n  }\n}\n"
        );
    }

    #[test]
    fn compact_is_one_line() {
        let v = json!({"a": 1, "b": [true, null], "c": {"d": "x y"}});
        let o = OutputOptions {
            compact: true,
            ..OutputOptions::default()
        };
        let out = render_with(&v, Shape::Document, &o).unwrap();
        assert_eq!(out, b"{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"x y\"}}\n");
    }

    #[test]
    fn list_prints_the_array() {
        let v = json!([{"id": "a"}, {"id": "b"}]);
        assert_eq!(
            text(&v, Shape::List, &[]),
            "[\n  {\n    \"id\": \"a\"\n  },\n  {\n    \"id\": \"b\"\n  }\n]\n"
        );
        assert_eq!(text(&json!([]), Shape::List, &[]), "[]\n");
    }

    #[test]
    fn colour_on_has_escapes_and_the_same_text_underneath() {
        let v = instance();
        for compact in [false, true] {
            let plain = OutputOptions {
                compact,
                ..OutputOptions::default()
            };
            let coloured = OutputOptions {
                color: true,
                ..plain.clone()
            };
            let p = String::from_utf8(render_with(&v, Shape::Document, &plain).unwrap()).unwrap();
            let c =
                String::from_utf8(render_with(&v, Shape::Document, &coloured).unwrap()).unwrap();
            assert!(!p.contains('\x1b'), "{p}");
            assert!(c.contains("\x1b["), "{c}");
            assert_eq!(strip_ansi(&c), p);
        }
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn key_order_is_the_documents() {
        let v: Value =
            serde_json::from_str(r#"{"zeta": 1, "alpha": {"y": 2, "b": 3}, "mid": 4}"#).unwrap();
        let o = OutputOptions {
            compact: true,
            ..OutputOptions::default()
        };
        assert_eq!(
            render_with(&v, Shape::Document, &o).unwrap(),
            br#"{"zeta":1,"alpha":{"y":2,"b":3},"mid":4}"#
                .iter()
                .chain(b"\n")
                .copied()
                .collect::<Vec<u8>>()
        );
        assert_eq!(text(&v, Shape::Document, &["alpha"]), "{\"y\":2,\"b\":3}\n");
        let e = error(&v, Shape::Document, &["nope"]);
        assert!(
            e.message().ends_with("keys there are zeta, alpha, mid"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn null_flag_does_not_change_the_document() {
        let o = OutputOptions {
            null: true,
            compact: true,
            ..OutputOptions::default()
        };
        assert_eq!(render_with(&json!([1]), Shape::List, &o).unwrap(), b"[1]\n");
    }

    // ---- picked values ----

    #[test]
    fn strings_print_raw() {
        let v = json!({"s": "line 1\nline\t2 \"quoted\" \\ ünïcødé ✓ \u{1F600}", "e": ""});
        assert_eq!(
            text(&v, Shape::Document, &["s"]),
            "line 1\nline\t2 \"quoted\" \\ ünïcødé ✓ \u{1F600}\n"
        );
        assert_eq!(text(&v, Shape::Document, &["e"]), "\n");
    }

    #[test]
    fn other_values_print_as_compact_json() {
        let v = json!({"n": 2, "f": 1.5, "neg": -3, "t": true, "z": null,
                       "o": {"k": "v w", "a": [1, "x\ny"]}, "a": [], "big": 18446744073709551615u64});
        assert_eq!(text(&v, Shape::Document, &["n"]), "2\n");
        assert_eq!(text(&v, Shape::Document, &["f"]), "1.5\n");
        assert_eq!(text(&v, Shape::Document, &["neg"]), "-3\n");
        assert_eq!(text(&v, Shape::Document, &["t"]), "true\n");
        assert_eq!(text(&v, Shape::Document, &["z"]), "null\n");
        assert_eq!(
            text(&v, Shape::Document, &["o"]),
            "{\"k\":\"v w\",\"a\":[1,\"x\\ny\"]}\n"
        );
        assert_eq!(text(&v, Shape::Document, &["a"]), "[]\n");
        assert_eq!(
            text(&v, Shape::Document, &["big"]),
            "18446744073709551615\n"
        );
    }

    #[test]
    fn picked_values_are_never_coloured() {
        let o = OutputOptions {
            color: true,
            ..opts(&["vcpu", "zone.name"])
        };
        assert_eq!(
            render_with(&instance(), Shape::Document, &o).unwrap(),
            b"{\"architecture\":\"amd64\",\"count\":2,\"manufacturer\":\"intel\"}\tus-south-1\n"
        );
    }

    #[test]
    fn shorthand_nested_keys_and_indexes() {
        let v = instance();
        assert_eq!(text(&v, Shape::Document, &["vcpu.count"]), "2\n");
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[0].subnet.name"]),
            "subnet-a\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[-1].name"]),
            "eth1\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["network_interfaces[-2].id"]),
            "n1\n"
        );
        let nested = json!({"m": [[1, 2], [3, [4, 5]]]});
        assert_eq!(text(&nested, Shape::Document, &["m[1][1][0]"]), "4\n");
        let odd = json!({"a-b": {"0": "zero", "_x": 1}});
        assert_eq!(text(&odd, Shape::Document, &["a-b.0"]), "zero\n");
        assert_eq!(text(&odd, Shape::Document, &["a-b._x"]), "1\n");
    }

    #[test]
    fn shorthand_applies_to_each_item_of_a_list() {
        assert_eq!(
            text(&keys(), Shape::List, &["public_key"]),
            "ssh-rsa AAAA alice\nssh-ed25519 BBBB bob\nssh-rsa CCCC carol\n"
        );
        assert_eq!(text(&keys(), Shape::List, &["length"]), "2048\n256\n4096\n");
    }

    #[test]
    fn on_a_collection_a_shorthand_applies_to_each_item_and_a_jsonpath_to_the_whole() {
        let page = json!({"keys": keys(), "limit": 100, "total_count": 3});
        let shape = Shape::Collection { key: "keys" };
        assert_eq!(text(&page, shape, &["name"]), "alice\nbob\ncarol\n");
        assert_eq!(text(&page, shape, &["$.total_count"]), "3\n");
        assert_eq!(
            text(&page, shape, &["id", "$.keys[*].length"]),
            "r006-1\t2048\nr006-2\t256\nr006-3\t4096\n"
        );
        // The page fields are no item's: a shorthand does not reach them.
        assert_eq!(
            error(&page, shape, &["total_count"]).kind(),
            Kind::FieldNotFound
        );
        assert_eq!(
            render_with(&page, shape, &shell_opts(&["n=name"])).unwrap(),
            b"n='alice\nbob\ncarol'\n"
        );
        let o = OutputOptions {
            compact: true,
            ..OutputOptions::default()
        };
        assert_eq!(
            render_with(&page, shape, &o).unwrap(),
            format!("{page}\n").into_bytes()
        );
    }

    #[test]
    fn shorthand_on_an_empty_list_prints_nothing() {
        assert_eq!(text(&json!([]), Shape::List, &["public_key"]), "");
        assert_eq!(text(&json!([]), Shape::List, &["a", "b.c"]), "");
    }

    #[test]
    fn jsonpath_applies_to_the_whole_list() {
        assert_eq!(
            text(&keys(), Shape::List, &["$[*].name"]),
            "alice\nbob\ncarol\n"
        );
        assert_eq!(text(&keys(), Shape::List, &["$[1].name"]), "bob\n");
        assert_eq!(text(&keys(), Shape::List, &["$[-1].id"]), "r006-3\n");
        assert_eq!(text(&keys(), Shape::List, &["$"]), format!("{}\n", keys()));
    }

    #[test]
    fn jsonpath_filters_wildcards_slices_and_descendants() {
        let k = keys();
        assert_eq!(
            text(&k, Shape::List, &["$[?@.type == 'rsa'].name"]),
            "alice\ncarol\n"
        );
        assert_eq!(
            text(&k, Shape::List, &["$[?@.length > 3000].name"]),
            "carol\n"
        );
        assert_eq!(text(&k, Shape::List, &["$[0:2].id"]), "r006-1\nr006-2\n");
        assert_eq!(
            text(&k, Shape::List, &["$[?search(@.name, '^b')].id"]),
            "r006-2\n"
        );
        let v = instance();
        assert_eq!(
            text(&v, Shape::Document, &["$..subnet.name"]),
            "subnet-a\nsubnet-b\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["$.vcpu.*"]),
            "amd64\n2\nintel\n"
        );
        assert_eq!(
            text(&v, Shape::Document, &["$['zone']['name']"]),
            "us-south-1\n"
        );
        assert_eq!(text(&v, Shape::Document, &["$.metadata_service"]), "null\n");
    }

    #[test]
    fn several_fields_make_tab_separated_columns_in_the_order_given() {
        assert_eq!(
            text(&keys(), Shape::List, &["name", "type", "length"]),
            "alice\trsa\t2048\nbob\ted25519\t256\ncarol\trsa\t4096\n"
        );
        assert_eq!(
            text(&instance(), Shape::Document, &["zone.name", "vcpu.count"]),
            "us-south-1\t2\n"
        );
        // A shorthand and a JSONPath with as many values line up too.
        assert_eq!(
            text(&keys(), Shape::List, &["id", "$[*].fingerprint"]),
            "r006-1\tSHA256:aa\nr006-2\tSHA256:bb\nr006-3\tSHA256:cc\n"
        );
        assert_eq!(
            text(
                &instance(),
                Shape::Document,
                &["$.network_interfaces[*].name", "$..subnet.name"]
            ),
            "eth0\tsubnet-a\neth1\tsubnet-b\n"
        );
    }

    #[test]
    fn null_ends_every_value_with_nul_and_separates_no_columns() {
        let o = OutputOptions {
            null: true,
            ..opts(&["public_key"])
        };
        assert_eq!(
            render_with(&keys(), Shape::List, &o).unwrap(),
            b"ssh-rsa AAAA alice\0ssh-ed25519 BBBB bob\0ssh-rsa CCCC carol\0"
        );
        let o = OutputOptions {
            null: true,
            ..opts(&["name", "id"])
        };
        assert_eq!(
            render_with(&keys(), Shape::List, &o).unwrap(),
            b"alice\0r006-1\0bob\0r006-2\0carol\0r006-3\0"
        );
        let o = OutputOptions {
            null: true,
            ..opts(&["s"])
        };
        assert_eq!(
            render_with(&json!({"s": "a\nb"}), Shape::Document, &o).unwrap(),
            b"a\nb\0"
        );
    }

    #[test]
    fn several_columns_escape_separators_one_column_stays_raw() {
        let v = json!({"a": "x\ty", "b": "1\n2\r\\", "c": {"k": "t\tq"}});
        assert_eq!(
            text(&v, Shape::Document, &["a", "b", "c"]),
            "x\\ty\t1\\n2\\r\\\\\t{\"k\":\"t\\\\tq\"}\n"
        );
        assert_eq!(text(&v, Shape::Document, &["b"]), "1\n2\r\\\n");
        let o = OutputOptions {
            null: true,
            ..opts(&["a", "b"])
        };
        assert_eq!(
            render_with(&v, Shape::Document, &o).unwrap(),
            b"x\ty\x001\n2\r\\\0"
        );
    }

    #[test]
    fn default_stands_in_for_what_matches_nothing() {
        let o = OutputOptions {
            default: Some("none".into()),
            ..opts(&["name", "nope", "$.x"])
        };
        let e = render_with(&keys(), Shape::List, &o).unwrap_err();
        assert_eq!(e.kind(), Kind::Other, "one default for a JSONPath, 3 items");
        let o = OutputOptions {
            default: Some("-".into()),
            ..opts(&["name", "nope"])
        };
        assert_eq!(
            render_with(&keys(), Shape::List, &o).unwrap(),
            b"alice\t-\nbob\t-\ncarol\t-\n"
        );
        let v = json!([{"f": [{"a": "1.2.3.4"}]}, {"f": []}]);
        let e = error(&v, Shape::List, &["f[0].a"]);
        assert_eq!(e.message(), "no field 'f[0].a' in item 1: 'f' has no items");
        assert_eq!(e.hint(), Some(HINT_DEFAULT));
        let e = error(&v, Shape::List, &["g"]);
        assert_ne!(e.hint(), Some(HINT_DEFAULT), "no item has it");
        let o = OutputOptions {
            default: Some(String::new()),
            ..opts(&["f[0].a"])
        };
        assert_eq!(render_with(&v, Shape::List, &o).unwrap(), b"1.2.3.4\n\n");
        let o = OutputOptions {
            default: Some("d".into()),
            ..opts(&["$.nope"])
        };
        assert_eq!(
            render_with(&instance(), Shape::Document, &o).unwrap(),
            b"d\n"
        );
    }

    fn shell_opts(vars: &[&str]) -> OutputOptions {
        OutputOptions {
            shell: vars.iter().map(|v| ShellVar::parse(v).unwrap()).collect(),
            ..OutputOptions::default()
        }
    }

    #[test]
    fn shell_assigns_each_variable_its_values() {
        let o = shell_opts(&["names=name", "len=length", "all=$[*].type"]);
        assert_eq!(
            String::from_utf8(render_with(&keys(), Shape::List, &o).unwrap()).unwrap(),
            "names='alice\nbob\ncarol'\nlen='2048\n256\n4096'\nall='rsa\ned25519\nrsa'\n"
        );
        let o = shell_opts(&["v=vcpu", "q=q"]);
        let v = json!({"vcpu": {"count": 2}, "q": "it's"});
        assert_eq!(
            String::from_utf8(render_with(&v, Shape::Document, &o).unwrap()).unwrap(),
            "v='{\"count\":2}'\nq='it'\\''s'\n"
        );
    }

    #[test]
    fn shell_refuses_nul_and_missing_fields() {
        let v = json!({"ok": "x", "nul": "a\u{0}b"});
        let e = render_with(&v, Shape::Document, &shell_opts(&["a=ok", "b=nul"])).unwrap_err();
        assert_eq!(e.kind(), Kind::Other);
        assert!(
            e.message().starts_with("--shell b=nul: "),
            "{}",
            e.message()
        );
        let e = render_with(&v, Shape::Document, &shell_opts(&["a=nope"])).unwrap_err();
        assert_eq!(e.kind(), Kind::FieldNotFound);
        let o = OutputOptions {
            default: Some("d".into()),
            ..shell_opts(&["a=nope"])
        };
        assert_eq!(render_with(&v, Shape::Document, &o).unwrap(), b"a='d'\n");
    }

    #[test]
    fn shell_refuses_a_newline_where_values_are_one_per_line() {
        let v = json!([{"n": "a"}, {"n": "b\nc"}]);
        let e = render_with(&v, Shape::List, &shell_opts(&["n=n"])).unwrap_err();
        assert_eq!(e.kind(), Kind::Other);
        assert!(
            e.message()
                .starts_with("--shell n=n: the value of item 1 holds a newline"),
            "{}",
            e.message()
        );
        let e = render_with(&v, Shape::List, &shell_opts(&["n=$[*].n"])).unwrap_err();
        assert!(e.message().contains("match 1"), "{}", e.message());
        let doc = json!({"n": "b\nc", "l": ["x\ny"]});
        let e = render_with(&doc, Shape::Document, &shell_opts(&["n=$.l[*]"])).unwrap_err();
        assert!(e.message().contains("match 0"), "{}", e.message());
        assert_eq!(
            render_with(&doc, Shape::Document, &shell_opts(&["n=n"])).unwrap(),
            b"n='b\nc'\n"
        );
    }

    #[test]
    fn null_refuses_a_value_holding_nul() {
        let v = json!([{"a": "x", "b": "1"}, {"a": "y", "b": "2\u{0}3"}]);
        for fields in [&["b"][..], &["a", "b"], &["$[*].b"]] {
            let o = OutputOptions {
                null: true,
                ..opts(fields)
            };
            let e = render_with(&v, Shape::List, &o).unwrap_err();
            assert_eq!(e.kind(), Kind::Other, "{fields:?}");
            assert!(e.message().contains("NUL"), "{}", e.message());
            assert!(e.message().starts_with("--field "), "{}", e.message());
        }
        // Without -0 a NUL is data like any other byte.
        assert_eq!(text(&v, Shape::List, &["b"]), "1\n2\u{0}3\n");
    }

    #[test]
    fn columns_of_different_lengths_are_exit_1() {
        let e = error(&keys(), Shape::List, &["name", "$[0:2].id"]);
        assert_eq!(e.kind(), Kind::Other);
        assert_eq!(crate::failure::exit_code(e.kind()), 1);
        assert_eq!(
            e.message(),
            "the fields give different numbers of values: 'name' has 3, '$[0:2].id' has 2"
        );
        assert!(e.hint().is_some());
        let e = error(
            &instance(),
            Shape::Document,
            &["name", "$.network_interfaces[*].id"],
        );
        assert_eq!(e.kind(), Kind::Other);
    }

    // ---- fields that match nothing ----

    #[test]
    fn missing_key_in_an_item_lists_the_keys_there() {
        let e = error(&keys(), Shape::List, &["publc_key"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
        assert_eq!(crate::failure::exit_code(e.kind()), 6);
        assert_eq!(
            e.message(),
            "no field 'publc_key' in item 0: keys there are created_at, crn, fingerprint, id, \
             length, name, public_key, type"
        );
        assert_eq!(e.hint(), Some(HINT_PICK_KEY));
    }

    #[test]
    fn missing_key_in_a_later_item_names_that_item() {
        let v = json!([{"a": 1}, {"a": 2}, {"b": 3}]);
        let e = error(&v, Shape::List, &["a"]);
        assert_eq!(e.message(), "no field 'a' in item 2: keys there are b");
    }

    #[test]
    fn missing_nested_key_names_where_the_path_stopped() {
        let v = instance();
        let e = error(&v, Shape::Document, &["vcpu.cnt"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
        assert_eq!(
            e.message(),
            "no field 'vcpu.cnt': keys at 'vcpu' are architecture, count, manufacturer"
        );
        let e = error(&v, Shape::Document, &["network_interfaces[5].name"]);
        assert_eq!(
            e.message(),
            "no field 'network_interfaces[5].name': 'network_interfaces' has 2 items"
        );
        assert_eq!(e.hint(), Some(HINT_WHOLE_DOCUMENT));
        let e = error(&v, Shape::Document, &["network_interfaces[-3]"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
        let e = error(&v, Shape::Document, &["disks[0]"]);
        assert_eq!(e.message(), "no field 'disks[0]': 'disks' has no items");
        let e = error(&v, Shape::Document, &["zone.name.x"]);
        assert_eq!(
            e.message(),
            "no field 'zone.name.x': 'zone.name' is a string, not an object"
        );
        let e = error(&v, Shape::Document, &["vcpu[0]"]);
        assert_eq!(
            e.message(),
            "no field 'vcpu[0]': 'vcpu' is an object, not an array"
        );
        let e = error(&v, Shape::Document, &["tags.x"]);
        assert_eq!(e.message(), "no field 'tags.x': 'tags' is an empty object");
        let e = error(&v, Shape::Document, &["network_interfaces[0].subnet.id"]);
        assert_eq!(
            e.message(),
            "no field 'network_interfaces[0].subnet.id': keys at 'network_interfaces[0].subnet' \
             are name"
        );
        let e = error(&v, Shape::Document, &["metadata_service.x"]);
        assert_eq!(
            e.message(),
            "no field 'metadata_service.x': 'metadata_service' is null, not an object"
        );
    }

    #[test]
    fn long_key_lists_are_cut_short() {
        let mut map = serde_json::Map::new();
        for i in 0..(MAX_KEYS_LISTED + 5) {
            map.insert(format!("k{i:02}"), json!(i));
        }
        let e = error(&Value::Object(map), Shape::Document, &["nope"]);
        assert!(e.message().contains("k00, k01"), "{}", e.message());
        assert!(
            e.message().ends_with(", k29, and 5 more"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn jsonpath_matching_nothing_names_the_deepest_match() {
        let v = instance();
        let e = error(&v, Shape::Document, &["$.vcpu.cnt"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
        assert_eq!(
            e.message(),
            "no match for '$.vcpu.cnt': keys at '$['vcpu']' are architecture, count, manufacturer"
        );
        assert_eq!(e.hint(), Some(HINT_PICK_KEY));
        let e = error(&keys(), Shape::List, &["$[?@.type == 'dsa'].name"]);
        assert_eq!(
            e.message(),
            "no match for '$[?@.type == 'dsa'].name': '$' has 3 items"
        );
        let e = error(&v, Shape::Document, &["$.nope"]);
        assert!(
            e.message()
                .starts_with("no match for '$.nope': keys at '$' are id, name, vcpu"),
            "{}",
            e.message()
        );
        let e = error(&json!([]), Shape::List, &["$[*].id"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
        assert_eq!(e.message(), "no match for '$[*].id': '$' has no items");
        let e = error(&v, Shape::Document, &["$.zone.name.x"]);
        assert_eq!(
            e.message(),
            "no match for '$.zone.name.x': '$['zone']['name']' is a string"
        );
    }

    #[test]
    fn a_missing_field_wins_over_mismatched_columns() {
        let e = error(&keys(), Shape::List, &["$[0].id", "nope"]);
        assert_eq!(e.kind(), Kind::FieldNotFound);
    }

    // ---- parsing ----

    // ---- properties ----

    use proptest::prelude::*;

    /// Cases per property: enough to find panics, few enough to keep `cargo test` quick.
    const PROPTEST_CASES: u32 = 64;

    /// Keys the generated documents and paths share, so paths often match.
    const KEYS: &[&str] = &["a", "b", "id", "name", "x-y", "0"];

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(KEYS).prop_map(str::to_string)
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            // Eighths print and parse back exactly (serde_json's default float parsing does not
            // round-trip every f64).
            (-1000i32..1000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
            ".{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    fn shorthand() -> impl Strategy<Value = String> {
        let step = prop_oneof![
            key().prop_map(|k| format!(".{k}")),
            (-3i64..4).prop_map(|i| format!("[{i}]")),
        ];
        (key(), prop::collection::vec(step, 0..4))
            .prop_map(|(first, rest)| format!("{first}{}", rest.concat()))
    }

    fn jsonpath() -> impl Strategy<Value = String> {
        let segment = prop_oneof![
            key().prop_map(|k| format!("['{k}']")),
            key().prop_map(|k| format!("..['{k}']")),
            (-3i64..4).prop_map(|i| format!("[{i}]")),
            Just("[*]".to_string()),
            Just("..*".to_string()),
            Just("[0:2]".to_string()),
            Just("[::-1]".to_string()),
            key().prop_map(|k| format!("[?@['{k}']]")),
            key().prop_map(|k| format!("[?@['{k}'] == 1]")),
            Just("[?length(@) > 1]".to_string()),
            Just("[?match(@, 'a.*')]".to_string()),
        ];
        prop::collection::vec(segment, 0..4).prop_map(|s| format!("${}", s.concat()))
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![shorthand(), jsonpath()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(PROPTEST_CASES))]

        #[test]
        fn parse_never_panics(text in ".{0,24}") {
            let _ = FieldPath::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_path_like_text(text in "[$@a-z0-9_.\\[\\]?*:,'\" ()=<>!&|-]{0,24}") {
            if let Err(e) = FieldPath::parse(&text) {
                prop_assert!(!e.contains('\n'), "{e:?}");
            }
        }

        #[test]
        fn generated_paths_parse(path in field()) {
            prop_assert!(FieldPath::parse(&path).is_ok(), "{}", path);
        }

        #[test]
        fn render_never_panics(
            value in json_value(),
            paths in prop::collection::vec(field(), 0..3),
            list in any::<bool>(),
            compact in any::<bool>(),
            null in any::<bool>(),
            color in any::<bool>(),
            default in prop::option::of(".{0,4}"),
        ) {
            let opts = OutputOptions {
                fields: paths.iter().map(|p| FieldPath::parse(p).unwrap()).collect(),
                compact,
                null,
                color,
                shell: Vec::new(),
                default,
            };
            let shape = if list { Shape::List } else { Shape::Document };
            let mut out = Vec::new();
            match render(&value, shape, &opts, &mut out) {
                Ok(()) => {
                    if opts.fields.is_empty() || !out.is_empty() {
                        let end = if null && !opts.fields.is_empty() { 0 } else { b'\n' };
                        prop_assert_eq!(out.last(), Some(&end));
                    }
                }
                Err(e) => {
                    prop_assert!(matches!(e.kind(), Kind::FieldNotFound | Kind::Other), "{:?}", e);
                    prop_assert!(out.is_empty());
                }
            }
        }

        #[test]
        fn a_list_written_item_by_item_is_the_whole_array(
            pages in prop::collection::vec(prop::collection::vec(json_value(), 0..4), 0..4),
            compact in any::<bool>(),
            color in any::<bool>(),
        ) {
            let opts = OutputOptions { compact, color, ..OutputOptions::default() };
            let whole = Value::Array(pages.iter().flatten().cloned().collect());
            let mut want = b"before".to_vec();
            render(&whole, Shape::List, &opts, &mut want).unwrap();
            let mut out = b"before".to_vec();
            render_list(&opts, &mut out, |sink| {
                pages.into_iter().flatten().try_for_each(&mut *sink)
            })
            .unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want));
        }

        #[test]
        fn a_list_that_fails_midway_leaves_the_output_as_it_was(
            items in prop::collection::vec(json_value(), 0..6),
            compact in any::<bool>(),
            color in any::<bool>(),
        ) {
            let opts = OutputOptions { compact, color, ..OutputOptions::default() };
            let mut out = b"before".to_vec();
            let e = render_list(&opts, &mut out, |sink| {
                items.into_iter().try_for_each(&mut *sink)?;
                Err(Error::decode("the next page is not JSON"))
            })
            .unwrap_err();
            prop_assert_eq!(e.kind(), Kind::BadResponse);
            prop_assert_eq!(out, b"before".to_vec());
        }

        #[test]
        fn uncoloured_documents_round_trip(value in json_value(), compact in any::<bool>()) {
            let opts = OutputOptions { compact, ..OutputOptions::default() };
            let mut out = Vec::new();
            render(&value, Shape::Document, &opts, &mut out).unwrap();
            let back: Value = serde_json::from_slice(&out).unwrap();
            prop_assert_eq!(back, value);
        }
    }
}
