//! How the console lays text out: cucumber's own console writer's indentation, tables and bold
//! captures (`writer::Basic` keeps them private), so the console looks as it always did.

use std::borrow::Cow;
use std::fmt::Write as _;

use cucumber::gherkin;
use regex::CaptureLocations;

/// `text` with every line indented by `indent` spaces and a newline before it; nothing for no
/// text.
pub fn indented(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.lines().fold(String::new(), |mut out, line| {
        let _ = write!(out, "\n{pad}{line}");
        out
    })
}

/// A step's table, its columns aligned, each row indented by `indent` + 1 spaces and a newline
/// before it; nothing for an empty table.
pub fn table(table: &gherkin::Table, indent: usize) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in &table.rows {
        if widths.is_empty() {
            widths = row.iter().map(String::len).collect();
        }
        for (cell, width) in row.iter().zip(&mut widths) {
            *width = (*width).max(cell.len());
        }
    }
    let pad = " ".repeat(indent + 1);
    table.rows.iter().fold(String::new(), |mut out, row| {
        out.push('\n');
        out.push_str(&pad);
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(out, "| {cell:width$} ");
        }
        out.push('|');
        out
    })
}

/// `value` in the `plain` style, with the parts the step's expression captured in `accent`
/// (nested groups are part of their outer one).
pub fn captures<'a>(
    value: &'a str,
    captures: &CaptureLocations,
    plain: impl Fn(&'a str) -> Cow<'a, str>,
    accent: impl Fn(&'a str) -> Cow<'a, str>,
) -> String {
    let mut out = String::with_capacity(value.len());
    let mut end = 0;
    for (start, stop) in (1..captures.len()).filter_map(|group| captures.get(group)) {
        if end > start {
            continue;
        }
        out.push_str(&plain(value.get(end..start).unwrap_or_default()));
        out.push_str(&accent(value.get(start..stop).unwrap_or_default()));
        end = stop;
    }
    out.push_str(&plain(value.get(end..).unwrap_or_default()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_indented_line_by_line_blank_lines_too() {
        assert_eq!(indented("a\n\nb", 2), "\n  a\n  \n  b");
        assert_eq!(indented("", 2), "");
    }

    #[test]
    fn a_table_is_aligned_by_column() {
        let t = gherkin::Table {
            rows: vec![
                vec!["Muted".into(), "true".into()],
                vec!["CallSidToCoach".into(), "a".into()],
            ],
            span: gherkin::Span::default(),
            position: gherkin::LineCol::default(),
        };
        assert_eq!(
            table(&t, 4),
            "\n     | Muted          | true |\n     | CallSidToCoach | a    |"
        );
    }

    #[test]
    fn the_captured_parts_are_accented() {
        let re = regex::Regex::new(r#"^"(\w+)" is (not )?muted$"#).unwrap();
        let mut locs = re.capture_locations();
        let value = r#""agent" is muted"#;
        re.captures_read(&mut locs, value).unwrap();
        let out = captures(value, &locs, Cow::Borrowed, |v| format!("[{v}]").into());
        assert_eq!(out, r#""[agent]" is muted"#);
    }

    #[test]
    fn a_nested_group_is_part_of_its_outer_one_and_adjacent_groups_are_each_accented() {
        let accented = |re: &str, value: &'static str| {
            let re = regex::Regex::new(re).unwrap();
            let mut locs = re.capture_locations();
            re.captures_read(&mut locs, value).unwrap();
            captures(value, &locs, Cow::Borrowed, |v| format!("[{v}]").into())
        };
        assert_eq!(accented(r"^((\w+)) is muted$", "agent is muted"), "[agent] is muted");
        assert_eq!(
            accented(r"^(\w)(\w+) is muted$", "agent is muted"),
            "[a][gent] is muted"
        );
    }
}
