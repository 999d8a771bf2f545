//! The reports a person reads after a run, from real runs of the binary: the JUnit failures'
//! bodies.

use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

mod common;

use common::{run, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("laml-reports-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("no report at {}: {e}", path.display()))
}

/// One element of a document: its name, its attributes, and all the text inside it.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn element(e: &BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attributes");
            let value = quick_xml::escape::unescape(std::str::from_utf8(&a.value).unwrap())
                .expect("attribute values escape only known entities")
                .into_owned();
            (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
        })
        .collect();
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs,
        text: String::new(),
    }
}

/// Every element of `xml`, in the order they close; panics where it is not well-formed (an end
/// tag that closes another element, one left open, CDATA in a page that never writes any).
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let (mut open, mut done): (Vec<Element>, Vec<Element>) = (Vec::new(), Vec::new());
    let add = |open: &mut Vec<Element>, text: &str| {
        for e in open.iter_mut() {
            e.text.push_str(text);
        }
    };
    loop {
        match reader.read_event() {
            Err(e) => panic!("not well-formed at byte {}: {e}", reader.buffer_position()),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => open.push(element(&e)),
            Ok(Event::Empty(e)) => done.push(element(&e)),
            Ok(Event::End(e)) => {
                let closed = open.pop().expect("an end tag closes an open element");
                assert_eq!(closed.name.as_bytes(), e.name().as_ref(), "mismatched end tag");
                done.push(closed);
            }
            Ok(Event::Text(t)) => add(&mut open, &t.decode().unwrap()),
            Ok(Event::CData(t)) => add(&mut open, &t.decode().unwrap()),
            Ok(Event::GeneralRef(r)) => {
                let text = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r.decode().unwrap())
                        .expect("only XML's predefined entities")
                        .to_string(),
                };
                add(&mut open, &text);
            }
            Ok(Event::DocType(_) | Event::Decl(_) | Event::Comment(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
        }
    }
    let left: Vec<&str> = open.iter().map(|e| e.name.as_str()).collect();
    assert!(left.is_empty(), "elements left open: {left:?}");
    done
}

/// cucumber writes a failure's text only into the `message` attribute, where XML readers turn
/// its newlines into spaces; the run gives each `<failure>` the whole text as its body.
#[test]
fn a_junit_failure_carries_the_whole_deviation_in_its_body() {
    let dir = temp_dir("junit");
    let junit = dir.join("report.xml");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/failing.feature");
    let o = run(
        &[
            "--features",
            fixture.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
        &[],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let all = elements(&read(&junit));
    let failures: Vec<&Element> = all.iter().filter(|e| e.name == "failure").collect();
    assert_eq!(failures.len(), 1, "{failures:#?}");
    let first = "Step panicked. Captured output: the response differs from the documented \"mute\" example (Mute a Participant): 1 field(s) differ";
    assert_eq!(failures[0].attr("message"), Some(first));
    let body = &failures[0].text;
    assert!(
        body.starts_with(&format!(
            "{first}\n  muted\n    expected: <true> (boolean)\n    actual:   <false> (boolean)\n\nrequest:  curl -X POST '"
        )),
        "{body}"
    );
    assert!(body.contains("\nresponse: 200 after "), "{body}");
    std::fs::remove_dir_all(&dir).ok();
}
