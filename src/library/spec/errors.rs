//! The documented error codes and the error body (SPEC.md section 4).

/// One documented refusal: its code, the HTTP status it travels with, and when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 10000 / 400: an argument is invalid or blank, or the conference is already completed.
    InvalidArgument,
    /// 13221 / 400: an HTTP method attribute is not `GET` or `POST`.
    InvalidMethod,
    /// 16002 / 400: conference attributes invalid or missing (the coached participant is not
    /// in the conference).
    InvalidConferenceAttributes,
    /// 20003 / 401: authentication failed.
    AuthenticationFailed,
    /// 20004 / 405: the resource does not allow this HTTP method (Twilio's code; this page
    /// documents none).
    MethodNotAllowed,
    /// 20404 / 404: the account, conference or participant does not exist.
    NotFound,
    /// 20429 / 429: too many requests.
    TooManyRequests,
    /// 21402 / 400: a URL is not valid or not fully qualified.
    InvalidUrl,
}

impl ErrorCode {
    /// Every code the harness knows: SPEC.md section 4's, and 20004 for a method the resource
    /// does not allow, which this page does not document (a choice, see errors.feature).
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::InvalidArgument,
        ErrorCode::InvalidMethod,
        ErrorCode::InvalidConferenceAttributes,
        ErrorCode::AuthenticationFailed,
        ErrorCode::MethodNotAllowed,
        ErrorCode::NotFound,
        ErrorCode::TooManyRequests,
        ErrorCode::InvalidUrl,
    ];

    /// The documented code with this number, if any.
    pub fn from_code(code: u32) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The numeric `code` of the error body.
    pub fn code(self) -> u32 {
        match self {
            ErrorCode::InvalidArgument => 10000,
            ErrorCode::InvalidMethod => 13221,
            ErrorCode::InvalidConferenceAttributes => 16002,
            ErrorCode::AuthenticationFailed => 20003,
            ErrorCode::MethodNotAllowed => 20004,
            ErrorCode::NotFound => 20404,
            ErrorCode::TooManyRequests => 20429,
            ErrorCode::InvalidUrl => 21402,
        }
    }

    /// The HTTP status this code travels with; the body's `status` must equal it.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::AuthenticationFailed => 401,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::TooManyRequests => 429,
            _ => 400,
        }
    }

    /// The `more_info` URL of the error body.
    pub fn more_info(self) -> String {
        format!("https://www.twilio.com/docs/errors/{}", self.code())
    }
}

/// The keys of every documented error body, in order.
pub const ERROR_FIELDS: &[&str] = &["code", "message", "more_info", "status"];
