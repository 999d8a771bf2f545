//! Where things are written in a feature file's text: what the Gherkin parser (gherkin 0.16)
//! does not keep, and the Gherkin document places. It keeps the line and column of keywords and
//! steps; the places of tags, table rows and cells, doc string delimiters, comments and the
//! `# language:` header are read here from the text.

use super::ast::Location;

/// A feature file's text, by line.
pub struct Text<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Text<'a> {
    /// The text, split into lines (`\n` or `\r\n`).
    pub fn new(text: &'a str) -> Self {
        Text {
            lines: text.lines().collect(),
        }
    }

    /// Line `n`, from 1; empty past the end.
    fn line(&self, n: usize) -> &'a str {
        n.checked_sub(1).and_then(|i| self.lines.get(i)).copied().unwrap_or("")
    }

    /// The dialect a `# language:` header names before the feature, else English.
    pub fn language(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.trim())
            .take_while(|l| l.is_empty() || l.starts_with('#'))
            .find_map(|l| {
                let rest = l.trim_start_matches('#').trim_start();
                let rest = rest.strip_prefix("language")?.trim_start().strip_prefix(':')?;
                Some(rest.trim().to_string())
            })
            .unwrap_or_else(|| "en".into())
    }

    /// Every comment line outside doc strings (the `# language:` header is no comment), as
    /// written.
    pub fn comments(&self) -> Vec<(Location, String)> {
        let mut out = Vec::new();
        let mut in_doc: Option<&str> = None;
        let mut header = true;
        for (i, line) in self.lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if let Some(delimiter) = in_doc {
                if trimmed.starts_with(delimiter) {
                    in_doc = None;
                }
                continue;
            }
            if let Some(delimiter) = ["\"\"\"", "```"].into_iter().find(|d| trimmed.starts_with(d)) {
                in_doc = Some(delimiter);
                continue;
            }
            let is_language = header && trimmed.trim_start_matches('#').trim_start().starts_with("language");
            header &= trimmed.is_empty() || trimmed.starts_with('#');
            if trimmed.starts_with('#') && !is_language {
                out.push((at(i + 1, 1), line.to_string()));
            }
        }
        out
    }

    /// The places of `names` (without `@`), the tags written on the lines above `line` (blank
    /// and comment lines between them skipped), in order; each at `line` where the text does
    /// not hold them so.
    pub fn tags_above(&self, line: usize, names: &[String]) -> Vec<Location> {
        let mut found: Vec<(Location, String)> = Vec::new();
        for n in (1..line).rev() {
            let text = self.line(n);
            let trimmed = text.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !trimmed.starts_with('@') {
                break;
            }
            let mut on_line = tags_on(text, n);
            on_line.append(&mut found);
            found = on_line;
        }
        let written: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
        let wanted: Vec<&str> = names.iter().map(String::as_str).collect();
        if written == wanted {
            found.into_iter().map(|(l, _)| l).collect()
        } else {
            names.iter().map(|_| at(line, 1)).collect()
        }
    }

    /// The places of a table's `count` rows, from line `from` on (blank and comment lines
    /// between rows skipped): each row's first `|`, and where each cell's value starts.
    pub fn rows(&self, from: usize, count: usize) -> Vec<(Location, Vec<Location>)> {
        let mut out = Vec::new();
        let mut n = from;
        while out.len() < count && n <= self.lines.len() {
            let text = self.line(n);
            let trimmed = text.trim_start();
            if trimmed.starts_with('|') {
                out.push(row(text, n));
            } else if !(trimmed.is_empty() || trimmed.starts_with('#') || out.is_empty()) {
                break;
            }
            n += 1;
        }
        // a table the text does not hold as parsed: each row at the table's line
        while out.len() < count {
            out.push((at(from, 1), Vec::new()));
        }
        out
    }

    /// The opening delimiter of the doc string under the step on `line`, and its place.
    pub fn doc_string(&self, line: usize) -> (Location, String) {
        for n in line + 1..=self.lines.len() {
            let text = self.line(n);
            let trimmed = text.trim_start();
            let column = text.len() - trimmed.len() + 1;
            if let Some(d) = ["\"\"\"", "```"].into_iter().find(|d| trimmed.starts_with(d)) {
                return (at(n, column), d.to_string());
            }
        }
        (at(line + 1, 1), "\"\"\"".into())
    }
}

/// A line and a column.
pub fn at(line: usize, column: usize) -> Location {
    Location {
        line,
        column: Some(column),
    }
}

/// The tags of a tag line, each with its place, up to a comment.
fn tags_on(text: &str, line: usize) -> Vec<(Location, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '#' => break,
            '@' => {
                let start = i;
                i += 1;
                while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '@' {
                    i += 1;
                }
                let name: String = chars[start + 1..i].iter().collect();
                out.push((at(line, start + 1), name));
            }
            _ => i += 1,
        }
    }
    out
}

/// A row's first `|`, and where each of its cells' values starts (after the spaces that follow
/// its `|`); `\|` is a pipe inside a cell.
fn row(text: &str, line: usize) -> (Location, Vec<Location>) {
    let chars: Vec<char> = text.chars().collect();
    let first = chars.iter().position(|c| *c == '|').unwrap_or(0);
    let mut cells = Vec::new();
    let mut i = first + 1;
    while i < chars.len() {
        let mut start = i;
        while start < chars.len() && (chars[start] == ' ' || chars[start] == '\t') {
            start += 1;
        }
        let mut end = i;
        while end < chars.len() && chars[end] != '|' {
            end += if chars[end] == '\\' { 2 } else { 1 };
        }
        if end >= chars.len() {
            break; // what follows the last `|` is no cell
        }
        cells.push(at(line, start.min(end) + 1));
        i = end + 1;
    }
    (at(line, first + 1), cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_cells_tags_and_comments_are_placed_as_written() {
        let text = "# language: en\n@a @b\n# note\n@c\nFeature: f\n  Scenario: s\n    Given x\n      | k  | v\\|w |\n      # between\n      |  | 2 |\n";
        let t = Text::new(text);
        assert_eq!(t.language(), "en");
        let names = ["a".to_string(), "b".into(), "c".into()];
        assert_eq!(t.tags_above(5, &names), [at(2, 1), at(2, 4), at(4, 1)]);
        // tags that are not written so are placed at the line they tag
        assert_eq!(t.tags_above(5, &names[..1]), [at(5, 1)]);
        let comments: Vec<usize> = t.comments().iter().map(|(l, _)| l.line).collect();
        assert_eq!(comments, [3, 9]);
        let rows = t.rows(8, 2);
        assert_eq!(rows[0], (at(8, 7), vec![at(8, 9), at(8, 14)]));
        assert_eq!(rows[1].0, at(10, 7));
        assert_eq!(rows[1].1.len(), 2);
    }

    #[test]
    fn the_language_header_may_follow_blank_lines_and_comments_but_not_the_feature() {
        assert_eq!(
            Text::new("\n# a note\n# language: fr\nFonctionnalité: f\n").language(),
            "fr"
        );
        assert_eq!(Text::new("Feature: f\n# language: fr\n").language(), "en");
    }

    #[test]
    fn only_the_language_header_is_no_comment() {
        let text = "# a note\n# language: en\nFeature: f\n  # language is a word here\n  Scenario: s\n";
        let comments: Vec<usize> = Text::new(text).comments().iter().map(|(l, _)| l.line).collect();
        assert_eq!(comments, [1, 4]);
    }

    #[test]
    fn a_table_the_text_does_not_hold_is_placed_at_its_line() {
        let rows = Text::new("Feature: f\n  Scenario: s\n").rows(2, 3);
        assert_eq!(
            rows,
            [(at(2, 1), Vec::new()), (at(2, 1), Vec::new()), (at(2, 1), Vec::new())]
        );
    }

    #[test]
    fn a_doc_string_is_placed_at_its_delimiter_or_under_its_step() {
        let t = Text::new("    Given x\n\n      ```json\n      {}\n      ```\n");
        assert_eq!(t.doc_string(1), (at(3, 7), "```".to_string()));
        assert_eq!(
            Text::new("    Given x\n").doc_string(1),
            (at(2, 1), "\"\"\"".to_string())
        );
        // the doc string of the step before is not this one's
        let two =
            Text::new("    Given a\n      \"\"\"\n      x\n      \"\"\"\n    When b\n      ```\n      y\n      ```\n");
        assert_eq!(two.doc_string(5), (at(6, 7), "```".to_string()));
    }

    #[test]
    fn a_row_with_blanks_after_its_last_pipe_has_its_cells_only() {
        assert_eq!(
            Text::new("  | a | b |  \t").rows(1, 1)[0],
            (at(1, 3), vec![at(1, 5), at(1, 9)])
        );
    }

    #[test]
    fn a_tag_line_ends_at_its_comment() {
        let names = ["a".to_string(), "b".into()];
        let t = Text::new("@a @b # @c\nFeature: f\n");
        assert_eq!(t.tags_above(2, &names), [at(1, 1), at(1, 4)]);
    }

    #[test]
    fn a_table_s_rows_stop_at_its_count_whatever_follows() {
        let t = Text::new("| a |\n| b |\n\n| c |\n");
        assert_eq!(t.rows(1, 2).len(), 2);
        assert_eq!(t.rows(1, 2)[1].0, at(2, 1));
    }
}
