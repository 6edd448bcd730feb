//! The page cookie: proof that a browser request comes from a page the API port served.
//!
//! A random secret made when the servers start, sent as an `HttpOnly`, `SameSite=Strict` cookie on
//! the API port's answers. Browsers attach it only to requests from the same site, page scripts
//! cannot read it, and a page on another loopback port (same site, other origin) cannot guess it.
//! The name carries the port, because cookies are shared by every port of a host. Nothing is
//! written to disk: after a restart the next answer sets the new secret.

use super::guard::constant_time_equal;
use axum::http::{HeaderMap, header};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct PageCookie {
    name: Arc<str>,
    secret: Arc<str>,
}

impl PageCookie {
    /// A new secret for the API port `api_port`.
    pub fn new(api_port: u16) -> PageCookie {
        let secret = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        PageCookie { name: format!("ai_observer_page_{api_port}").into(), secret: secret.into() }
    }

    /// Whether one of the request's `Cookie` headers carries this secret.
    pub fn is_present_in(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .any(|(name, value)| name == &*self.name && constant_time_equal(value.as_bytes(), self.secret.as_bytes()))
    }

    /// The `Set-Cookie` value.
    pub fn set_cookie_header(&self) -> String {
        format!("{}={}; Path=/; HttpOnly; SameSite=Strict", self.name, self.secret)
    }
}
