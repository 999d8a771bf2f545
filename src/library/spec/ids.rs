//! How a generation writes its ids (a profile's `ids` and `call_ids`): uuids, Twilio's
//! prefixed hex, or a tag and a base64url token (Telnyx's `v3:` call sids).

use serde::Deserialize;

/// How a generation writes its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdFormat {
    /// Hyphenated uuids, as SignalWire writes them.
    Uuid,
    /// Twilio's `AC…`, `CF…`, `CA…` and 32 hex digits.
    Prefixed,
    /// The profile's `id_tag` (such as `v3:`) and a base64url token.
    Tagged,
}

impl IdFormat {
    /// A fresh id of this format; `prefix` is Twilio's two letters (`AC`, `CF`, `CA`), or the
    /// profile's tag for [`IdFormat::Tagged`].
    pub fn fresh(self, prefix: &str) -> String {
        let id = uuid::Uuid::new_v4();
        match self {
            IdFormat::Uuid => id.to_string(),
            IdFormat::Prefixed => format!("{prefix}{}", id.simple()),
            IdFormat::Tagged => {
                use base64::Engine;
                let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes());
                format!("{prefix}{token}")
            }
        }
    }

    /// Whether `id` is written as this generation writes its ids: a hyphenated uuid, or
    /// `prefix` and 32 hex digits. A server answering in another generation's format fails here
    /// even when it names the right participant.
    pub fn fits(self, id: &str, prefix: &str) -> bool {
        match self {
            IdFormat::Uuid => id.len() == 36 && uuid::Uuid::try_parse(id).is_ok(),
            IdFormat::Prefixed => id
                .strip_prefix(prefix)
                .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())),
            IdFormat::Tagged => id.strip_prefix(prefix).is_some_and(|token| {
                token.len() >= 16
                    && token
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            }),
        }
    }

    /// The format a fault answers in instead: another generation's.
    pub fn other(self) -> IdFormat {
        match self {
            IdFormat::Uuid => IdFormat::Prefixed,
            IdFormat::Prefixed | IdFormat::Tagged => IdFormat::Uuid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fit_only_their_own_generations_format() {
        let uuid = IdFormat::Uuid.fresh("AC");
        let prefixed = IdFormat::Prefixed.fresh("AC");
        assert!(IdFormat::Uuid.fits(&uuid, "AC") && !IdFormat::Uuid.fits(&prefixed, "AC"));
        assert!(IdFormat::Prefixed.fits(&prefixed, "AC") && !IdFormat::Prefixed.fits(&uuid, "AC"));
        assert!(
            !IdFormat::Prefixed.fits(&prefixed, "CA"),
            "the prefix names the kind of id"
        );
        assert!(!IdFormat::Prefixed.fits(&format!("{prefixed}0"), "AC"));
        assert!(
            !IdFormat::Uuid.fits(&uuid.replace('-', ""), "AC"),
            "a uuid is hyphenated"
        );
    }
}
