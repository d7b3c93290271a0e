//! HTML reports: a [`DriftReport`](crate::drift::DriftReport) or a
//! [`Comparison`](crate::compare::Comparison) to one self-contained page (inline CSS and JS, no
//! network).
//!
//! Every page shares one frame (`page.rs`: a Content-Security-Policy with a per-page nonce, the
//! base styles, an error hook) and one escape helper (`escape`): every string from a
//! certificate or a file name goes through it, and no data is embedded as JSON. The styles and
//! scripts are real files beside this one, pulled in with `include_str!`.

mod against;
mod compare;
mod drift;
mod heat_map;
mod page;

use std::borrow::Cow;
use std::io::{self, Write};

use crate::diff::ChangeClass;

pub use compare::compare;
pub use drift::{Limits, drift, drift_with};

/// HTML-escapes text for element content and quoted attribute values: the one escaping every
/// HTML report uses.
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}

/// One badge per change class.
fn class_badges(w: &mut dyn Write, classes: &[ChangeClass]) -> io::Result<()> {
    for &c in classes {
        write!(
            w,
            "<span class=\"badge {}\">{}</span>",
            c.css_class(),
            c.label()
        )?;
    }
    Ok(())
}

/// `1 certificate`, `2 certificates`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
