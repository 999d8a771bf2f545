//! The whole failure text in the body of each JUnit `<failure>`.
//!
//! cucumber's JUnit writer (0.23) writes a failure as `<failure type="Step Panicked"
//! message="…"/>`: the deviation text only in the `message` attribute, whose newlines every XML
//! reader turns into spaces (attribute-value normalisation), so CI tools show the field diff on
//! one line, or cut it. The writer builds its test cases privately, so the least code is to
//! rewrite its output: each empty `<failure>` gets the message, newlines kept, as its body, and
//! the first line as its message, and its `type` says "Step Failed" (or "Hook Failed") where
//! cucumber says "Step Panicked", as the failure text itself says it in plain words
//! ([`super::words`]). Everything else passes through byte for byte.

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// `xml` with every empty `<failure message="…"/>` given its message as a body, and each
/// `<testsuite>` given `properties` (what the run ran against), so a JUnit reader sees the same
/// target, profile and mode as the console's first line.
/// A `note` is appended to each failure's body (how to reproduce it, where its curl command
/// cannot be pasted as it is).
pub fn with_failure_bodies(
    xml: &[u8],
    properties: &[(&str, &str)],
    note: Option<&str>,
) -> Result<Vec<u8>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + xml.len() / 2));
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == b"testsuite" && !properties.is_empty() => {
                writer.write_event(Event::Start(e))?;
                writer.write_event(Event::Start(BytesStart::new("properties")))?;
                for (name, value) in properties {
                    let mut p = BytesStart::new("property");
                    p.push_attribute(("name", *name));
                    p.push_attribute(("value", *value));
                    writer.write_event(Event::Empty(p))?;
                }
                writer.write_event(Event::End(quick_xml::events::BytesEnd::new("properties")))?;
            }
            Event::Empty(e) if e.name().as_ref() == b"failure" => {
                let Some(text) = message(&e)? else {
                    writer.write_event(Event::Empty(e))?;
                    continue;
                };
                let mut start = BytesStart::new("failure");
                for attr in e.attributes() {
                    let attr = attr.map_err(quick_xml::Error::from)?;
                    if attr.key.as_ref() == b"message" {
                        start.push_attribute(("message", text.lines().next().unwrap_or_default()));
                    } else if attr.key.as_ref() == b"type" {
                        let kind = match attr.value.as_ref() {
                            b"Step Panicked" => b"Step Failed".as_slice(),
                            b"Hook Panicked" => b"Hook Failed",
                            other => other,
                        };
                        start.push_attribute((b"type".as_slice(), kind));
                    } else {
                        start.push_attribute(attr);
                    }
                }
                writer.write_event(Event::Start(start))?;
                let text = match note {
                    Some(n) => format!("{text}\n\n{n}"),
                    None => text,
                };
                writer.write_event(Event::Text(BytesText::new(&text)))?;
                writer.write_event(Event::End(e.to_end().into_owned()))?;
            }
            event => writer.write_event(event)?,
        }
    }
    Ok(writer.into_inner())
}

/// The `message` attribute as written, unescaped but with its newlines kept (a reader's
/// normalised value would have them as spaces).
fn message(e: &BytesStart<'_>) -> Result<Option<String>, quick_xml::Error> {
    let Some(attr) = e.try_get_attribute("message")? else {
        return Ok(None);
    };
    let raw = std::str::from_utf8(&attr.value)
        .map_err(|e| quick_xml::Error::from(quick_xml::encoding::EncodingError::from(e)))?;
    Ok(Some(quick_xml::escape::unescape(raw)?.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_gets_its_whole_text_as_body_and_its_first_line_as_message() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites><testsuite name=\"F\"><testcase name=\"a\"><failure type=\"Step Panicked\" message=\"differs: 1 field(s)\n  muted\n    expected: &lt;true&gt; (boolean)\"/><system-out><![CDATA[<failure message=\"x\"/>]]></system-out></testcase><testcase name=\"b\"/></testsuite></testsuites>";
        let out = String::from_utf8(with_failure_bodies(xml.as_bytes(), &[], None).unwrap()).unwrap();
        assert!(
            out.contains("<failure type=\"Step Failed\" message=\"differs: 1 field(s)\">differs: 1 field(s)\n  muted\n    expected: &lt;true&gt; (boolean)</failure>"),
            "{out}"
        );
        assert!(
            out.contains("<![CDATA[<failure message=\"x\"/>]]>"),
            "CDATA is left alone: {out}"
        );
        assert!(
            out.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites>"),
            "{out}"
        );
        assert!(out.contains("<testcase name=\"b\"/>"), "{out}");
    }
}
