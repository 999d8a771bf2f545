//! Steps that list a conference's participants: a page asked for with filters and paging, the
//! links between pages followed, and each page judged. Every step about a page judges all of
//! it first: its envelope by the profile's list page, its values by the request and by each
//! other (`check::page::page_values`), each of the scenario's participants on it as a resource,
//! each listed participant by the filters it was listed under, and, on a conference the
//! scenario arranged alone, that nobody of another conference is on it.

use cucumber::gherkin::Step;
use cucumber::{then, when};
use laml_conformance::check::{Deviation, page, shape, show, snapshot};
use laml_conformance::client::Exchange;
use laml_conformance::failure::Failure;
use reqwest::Method;
use serde_json::{Value, json};

use super::parameters::ListFilter;
use super::{Answer, ConformanceWorld, report, with_exchange};

/// A page of the list as it was asked for and answered.
pub struct Listing {
    pub(super) exchange: Exchange,
    /// The query the page was asked with, as pairs.
    sent: Vec<(String, String)>,
}

/// What the last answer is about when it is a page, for the refusal step.
const ABOUT: &str = "the participant list";

impl ConformanceWorld {
    /// Sends a GET for a page (the list's path with `sent`, or a link the last page gave) and
    /// keeps it; `fresh` starts a new walk through the pages.
    async fn list_page(
        &mut self,
        link: Option<String>,
        sent: Vec<(String, String)>,
        fresh: bool,
    ) -> Result<(), Failure> {
        let conference = self.conference()?;
        let client = self.client()?;
        let exchange = match link {
            None => {
                let pairs: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                client
                    .list_participants(&conference.credentials.project_id, &conference.conference_sid, &pairs)
                    .await
            }
            Some(link) => client.send(Method::GET, &link, None).await,
        }
        .map_err(|e| e.to_string())?;
        if fresh {
            self.listed.clear();
        }
        self.last = Some(Answer {
            about: ABOUT.into(),
            exchange: exchange.clone(),
        });
        self.listing = Some(Listing { exchange, sent });
        Ok(())
    }

    /// The first page of the whole list, as a client asks for it with no query.
    pub(super) async fn list_all(&mut self) -> Result<(), Failure> {
        self.list_page(None, Vec::new(), true).await
    }

    /// The last page, judged whole (see the module's comment), with its participants.
    pub(super) fn judged_page(&self) -> Result<(&Listing, Vec<Value>), Failure> {
        let listing = self
            .listing
            .as_ref()
            .ok_or("nothing was listed yet; add a \"When the participants are listed\" step")?;
        let exchange = &listing.exchange;
        let body = super::ok_json(exchange, "listing the participants")?;
        let Some(items) = body.get("participants").and_then(Value::as_array).cloned() else {
            return Err(with_exchange("the page has no \"participants\" array", exchange));
        };
        let profile = self.profile();
        let mut deviations = page_deviations(self, &body)?;
        deviations.extend(page::page_values(&body, &listing.sent, profile));
        deviations.extend(self.listed_as_filtered(&items, &listing.sent));
        deviations.extend(self.members(&items)?);
        if deviations.is_empty() {
            return Ok((listing, items));
        }
        let query: Vec<String> = listing.sent.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let title = format!(
            "the page listed with {} differs from what the {} profile documents for it",
            if query.is_empty() {
                "no query".to_string()
            } else {
                query.join("&")
            },
            profile.name
        );
        Err(with_exchange(report(&title, &deviations), exchange))
    }

    /// A participant listed under a filter holds the filter's value: one listed under
    /// `Muted=true` says `muted: true`.
    fn listed_as_filtered(&self, items: &[Value], sent: &[(String, String)]) -> Vec<Deviation> {
        let filters = sent
            .iter()
            .filter(|(k, _)| self.profile().list.filters.contains(k))
            .map(|(k, v)| (k, k.to_ascii_lowercase(), v.eq_ignore_ascii_case("true")));
        let mut out = Vec::new();
        for (filter, field, want) in filters {
            for (i, item) in items.iter().enumerate() {
                let got = item.get(&field).unwrap_or(&Value::Null);
                if got != &Value::Bool(want) {
                    out.push(Deviation {
                        path: format!("participants[{i}].{field}"),
                        expected: format!("{want} (it was listed under the filter {filter}={want})"),
                        actual: show(got),
                    });
                }
            }
        }
        out
    }

    /// Every listed participant is one of the conference's: on a conference the scenario
    /// arranged alone, one the scenario named there. A live, configured conference may hold
    /// others, who are not the scenario's business.
    fn members(&self, items: &[Value]) -> Result<Vec<Deviation>, Failure> {
        let conference = &self.conference()?.conference_sid;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(sid) = item.get("call_sid").and_then(Value::as_str) else {
                out.push(Deviation {
                    path: format!("participants[{i}].call_sid"),
                    expected: "a call sid (string)".into(),
                    actual: show(item.get("call_sid").unwrap_or(&Value::Null)),
                });
                continue;
            };
            let ours = self
                .participants
                .iter()
                .any(|n| n.at.call_sid == sid && &n.at.conference_sid == conference);
            if !ours && !self.run.target.shares_participants() {
                let whose = match self.name_of(sid) {
                    Some(name) => format!("{sid} ({name:?}, of another conference)"),
                    None => format!("{sid} (no participant of this conference)"),
                };
                out.push(Deviation {
                    path: format!("participants[{i}].call_sid"),
                    expected: "a participant of this conference".into(),
                    actual: whose,
                });
            }
        }
        Ok(out)
    }

    /// The names of the scenario's participants on `items`, in order.
    pub(super) fn names_on(&self, items: &[Value]) -> Vec<String> {
        items
            .iter()
            .filter_map(|item| item.get("call_sid").and_then(Value::as_str))
            .filter_map(|sid| self.name_of(sid).map(str::to_string))
            .collect()
    }
}

/// How a listed page differs from the profile's list page (`list.snap`, `<profile>_list.snap`),
/// and each of the scenario's participants in it from the profile's resource.
fn page_deviations(world: &ConformanceWorld, body: &Value) -> Result<Vec<Deviation>, Failure> {
    let profile = world.profile();
    let conference = world.conference()?;
    let subject = page::ListSubject {
        account: &conference.credentials.project_id,
        conference: &conference.conference_sid,
        dialect: world.run.target.dialect(),
        profile,
    };
    let committed =
        |name: String| snapshot::committed(&name).ok_or(format!("the committed snapshot {name} is missing"));
    let mut deviations = laml_conformance::check::compare(
        &committed(snapshot::name_in(profile, snapshot::LIST))?,
        &page::normalise_page(body, &subject),
        laml_conformance::check::Scope::Exact,
    );
    let resource = committed(snapshot::name_in(profile, snapshot::RESOURCE))?;
    for (i, item) in body
        .get("participants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(name) = item
            .get("call_sid")
            .and_then(Value::as_str)
            .and_then(|sid| world.name_of(sid))
        else {
            continue;
        };
        let actual = shape::resource(&shape::normalise(item, &world.subject(name)?), profile);
        deviations.extend(
            laml_conformance::check::compare(&resource, &actual, laml_conformance::check::Scope::Exact)
                .into_iter()
                .map(|d| Deviation {
                    path: format!("participants[{i}].{}", d.path),
                    ..d
                }),
        );
    }
    Ok(deviations)
}

/// The query a table of `| Parameter | value |` rows asks for; each key a filter or a paging
/// parameter the run's profile documents, so a scenario cannot ask what its profile lacks.
fn query_from(world: &ConformanceWorld, step: &Step) -> Result<Vec<(String, String)>, Failure> {
    let table = step
        .table
        .as_ref()
        .ok_or("this step needs a table of | Parameter | value | rows")?;
    let profile = world.profile();
    let mut out = Vec::new();
    for row in &table.rows {
        let [key, value] = row.as_slice() else {
            return Err(format!("each row has two cells, | Parameter | value |; this one has {row:?}").into());
        };
        if !profile.list.filters.contains(key) && !profile.list.paging.contains(key) {
            return Err(format!(
                "the {} profile documents no list parameter {key}; its filters are {:?} and its paging {:?} (tag the scenario @except-{})",
                profile.name, profile.list.filters, profile.list.paging, profile.name
            ).into());
        }
        out.push((key.clone(), value.clone()));
    }
    Ok(out)
}

#[when(expr = "the participants are listed")]
async fn listed(world: &mut ConformanceWorld) -> Result<(), Failure> {
    world.list_page(None, Vec::new(), true).await
}

#[when(expr = "the participants are listed with:")]
async fn listed_with(world: &mut ConformanceWorld, step: &Step) -> Result<(), Failure> {
    let sent = query_from(world, step)?;
    world.list_page(None, sent, true).await
}

/// Follows a link of the last page, as a client pages: the link is sent as given.
#[when(regex = r"^the (next|previous|first) page is followed$")]
async fn followed(world: &mut ConformanceWorld, which: String) -> Result<(), Failure> {
    let (listing, items) = world.judged_page()?;
    let key = format!("{which}_page_uri");
    let body = listing.exchange.json().map_err(|e| e.to_string())?;
    let Some(link) = body.get(&key).and_then(Value::as_str).map(str::to_string) else {
        return Err(with_exchange(
            format!("the page has no {key} to follow"),
            &listing.exchange,
        ));
    };
    let names = world.names_on(&items);
    world.listed.extend(names);
    let sent = serde_urlencoded::from_str(link.split_once('?').map_or("", |(_, q)| q)).unwrap_or_default();
    world.list_page(Some(link), sent, false).await
}

#[then(regex = r"^the page lists (\d+) participants?$")]
async fn page_lists(world: &mut ConformanceWorld, count: usize) -> Result<(), Failure> {
    let (listing, items) = world.judged_page()?;
    if items.len() == count {
        return Ok(());
    }
    let d = Deviation::values("participants (how many)", &json!(count), &json!(items.len()));
    Err(with_exchange(
        report("the page lists another number of participants", &[d]),
        &listing.exchange,
    ))
}

#[then(regex = r"^the page has (a|no) (next|previous) page$")]
async fn page_has(world: &mut ConformanceWorld, has: String, which: String) -> Result<(), Failure> {
    let (listing, _) = world.judged_page()?;
    let key = format!("{which}_page_uri");
    let body = listing.exchange.json().map_err(|e| e.to_string())?;
    let link = body.get(&key).unwrap_or(&Value::Null);
    let want = has == "a";
    if link.is_string() == want {
        return Ok(());
    }
    let d = Deviation {
        path: key,
        expected: if want {
            format!("a link to the {which} page")
        } else {
            format!("null (there is no {which} page)")
        },
        actual: show(link),
    };
    Err(with_exchange(
        report(&format!("the {which} page link is wrong"), &[d]),
        &listing.exchange,
    ))
}

/// Every page seen since the participants were listed, this one included, lists exactly these
/// of the scenario's participants, each once.
#[then(regex = r#"^the pages together list exactly ((?:"[^"]+"(?:, | and )?)*|nobody)$"#)]
async fn pages_together(world: &mut ConformanceWorld, list: String) -> Result<(), Failure> {
    let (listing, items) = world.judged_page()?;
    let mut got = world.listed.clone();
    got.extend(world.names_on(&items));
    got.sort();
    let mut want = super::conference::names(&list);
    want.sort();
    if got == want {
        return Ok(());
    }
    let d = Deviation::values(
        "participants of every page (the scenario's, by name)",
        &json!(want),
        &json!(got),
    );
    Err(with_exchange(
        report("the pages together list others", &[d]),
        &listing.exchange,
    ))
}

/// The list filtered by one documented filter names exactly these of the scenario's
/// participants (others of a live conference are not the scenario's business).
#[then(
    regex = r#"^listing the participants with "([A-Za-z]+)" set to "([^"]*)" gives exactly ((?:"[^"]+"(?:, | and )?)*|nobody)$"#
)]
async fn listing(world: &mut ConformanceWorld, filter: String, value: String, list: String) -> Result<(), Failure> {
    let ListFilter(filter) = filter.parse()?;
    let profile = world.profile();
    if !profile.list.filters.contains(&filter) {
        return Err(format!(
            "the {} profile documents no {filter} filter; its filters are {:?}",
            profile.name, profile.list.filters
        )
        .into());
    }
    world
        .list_page(None, vec![(filter.clone(), value.clone())], true)
        .await?;
    let (listing, items) = world.judged_page()?;
    let mut got = world.names_on(&items);
    got.sort();
    let mut want = super::conference::names(&list);
    want.sort();
    if got == want {
        return Ok(());
    }
    let d = Deviation::values("participants (the scenario's, by name)", &json!(want), &json!(got));
    Err(with_exchange(
        report(&format!("listing with {filter}={value}"), &[d]),
        &listing.exchange,
    ))
}
